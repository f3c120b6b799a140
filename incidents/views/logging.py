"""Logging an incident with its place, items, actors, claims (with evidence), route and links
in one go, editing it until it is published, and adding a claim to it. Each submission is
saved by one service call, or nothing is saved and the form comes back with the errors next
to what was typed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from claims import services as claim_services
from claims.forms import ClaimForm, ClaimFormSet
from claims.models import Claim
from incidents import rules, selectors
from incidents import services as incident_services
from incidents.forms import IncidentForm, NewActorForm, NewPlaceForm, item_formset_class
from incidents.models import Incident, IncidentStatus
from incidents.route_forms import link_formset_class, link_initial, route_formset_class
from incidents.services.recording import EDITABLE_FIELDS
from incidents.views.access import require_perm, staff_page
from incidents.views.detail import visible_incident
from incidents.views.submission import (
    claim_submission,
    duplicates_of_submission,
    filled_claim_forms,
    filled_item_forms,
    show_refusal,
    submission_parts,
)


def _incident_forms_valid(form, place_form, actor_form):
    valid = form.is_valid()
    if form.cleaned_data.get("place") is None and form.describes_new_place():
        place_form.in_use = True
        valid = place_form.is_valid() and valid
    if actor_form.is_filled():
        actor_form.in_use = True
        valid = actor_form.is_valid() and valid
    return valid


def _new_actors(actor_form):
    """The new actor described in the form (unsaved), as the services take new actors."""
    return [actor_form.instance] if actor_form.in_use else []


@require_http_methods(["GET", "POST"])
@staff_page
def incident_create(request):
    """Log an incident with its place, items, actors and claims (with evidence) in one go.

    The whole submission is saved in one transaction: if any part is refused (an invalid
    claim, an unreadable evidence file), nothing is saved and the form comes back with the
    error next to the field and everything typed still in it.
    """
    require_perm(
        request, "incidents.add_incident", gettext("You are not allowed to log incidents.")
    )
    ItemFormSet = item_formset_class(can_delete=False)
    RouteFormSet = route_formset_class(logging=True, can_delete=False)
    LinkFormSet = link_formset_class(can_delete=False)
    duplicates = None
    if request.method == "POST":
        place_form = NewPlaceForm(request.POST)
        actor_form = NewActorForm(request.POST)
        form = IncidentForm(request.POST, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=Incident(), prefix="items")
        claim_formset = ClaimFormSet(
            request.POST, request.FILES, prefix="claims", form_kwargs={"user": request.user}
        )
        route_formset = RouteFormSet(
            request.POST,
            instance=Incident(),
            prefix="route",
            filled_claims={claim.claim_index() for claim in filled_claim_forms(claim_formset)},
            form_kwargs={"claim_count": claim_formset.total_form_count()},
        )
        link_formset = LinkFormSet(request.POST, prefix="links", form_kwargs={"user": request.user})
        valid = _incident_forms_valid(form, place_form, actor_form)
        valid = item_formset.is_valid() and valid
        valid = claim_formset.is_valid() and valid
        valid = route_formset.is_valid() and valid
        valid = link_formset.is_valid() and valid
        if valid:
            claim_forms = filled_claim_forms(claim_formset)
            duplicates = duplicates_of_submission(
                request, form=form, place_form=place_form, claim_forms=claim_forms
            )
            if not duplicates or request.POST.get("confirm_duplicates"):
                incident = _log_incident(
                    request,
                    form=form,
                    place_form=place_form,
                    actor_form=actor_form,
                    item_forms=filled_item_forms(item_formset),
                    claim_forms=claim_forms,
                    route_forms=route_formset.kept_forms(),
                    link_forms=link_formset.kept_forms(),
                )
                if incident is not None:
                    if incident.status == IncidentStatus.SUBMITTED:
                        messages.success(
                            request, gettext("Incident logged and submitted for review.")
                        )
                    else:
                        messages.success(request, gettext("Incident saved as a draft."))
                    return redirect(incident)
    else:
        place_form = NewPlaceForm()
        actor_form = NewActorForm()
        form = IncidentForm(new_place_form=place_form)
        item_formset = ItemFormSet(instance=Incident(), prefix="items")
        claim_formset = ClaimFormSet(prefix="claims", form_kwargs={"user": request.user})
        route_formset = RouteFormSet(
            instance=Incident(),
            prefix="route",
            form_kwargs={"claim_count": claim_formset.total_form_count()},
        )
        link_formset = LinkFormSet(prefix="links", form_kwargs={"user": request.user})
    return render(
        request,
        "incidents/incident_form.html",
        {
            "form": form,
            "place_form": place_form,
            "actor_form": actor_form,
            "item_formset": item_formset,
            "claim_formset": claim_formset,
            "route_formset": route_formset,
            "link_formset": link_formset,
            "duplicates": duplicates,
            "files_dropped": request.method == "POST" and bool(request.FILES),
        },
    )


def _log_incident(
    request, *, form, place_form, actor_form, item_forms, claim_forms, route_forms, link_forms
):
    """Log the submission through the service; return the incident, or None if it was
    refused (the errors are then on the forms)."""
    # Positions in the formset (the "known through" choices) become positions among the
    # claims actually sent, which is what the service counts.
    position = {claim_form.claim_index(): index for index, claim_form in enumerate(claim_forms)}
    claims = [
        claim_submission(
            claim_form,
            reported_via=position.get(claim_form.cleaned_data.get("reported_via_number")),
        )
        for claim_form in claim_forms
    ]
    # The forms by the names the service gives its refusals (see show_refusal).
    parts = submission_parts(
        place_form=place_form,
        actor_form=actor_form,
        item_forms=item_forms,
        claim_forms=claim_forms,
        route_forms=route_forms,
        link_forms=link_forms,
    )
    place = form.cleaned_data.get("place")
    try:
        return incident_services.log_incident(
            logged_by=request.user,
            incident=form.instance,
            place=place,
            new_place=place_form.instance if place is None else None,
            actors=form.cleaned_data.get("actors") or [],
            new_actors=_new_actors(actor_form),
            items=[item_form.instance for item_form in item_forms],
            claims=claims,
            route=[
                route_form.submission(
                    [position[number] for number in route_form.cleaned_data["claim_numbers"]]
                )
                for route_form in route_forms
            ],
            links=[link_form.submission() for link_form in link_forms],
            submit="submit" in request.POST,
        )
    except ValidationError as error:
        show_refusal(error, form=form, parts=parts)
        return None


@require_http_methods(["GET", "POST"])
@staff_page
def incident_edit(request, public_id):
    """Edit an incident until it is published (editors: until it is withdrawn).

    The form carries the version it was opened at; if someone saved the incident since,
    nothing is saved and the form comes back with what was typed and who changed what.
    """
    user = request.user
    incident = visible_incident(
        request,
        public_id,
        Incident.objects.select_related("place").prefetch_related(
            *selectors.route_and_links(
                claims=incident_claims(), linked=lambda path: rules.visible_to_staff(user, path)
            )
        ),
    )
    if not rules.can_edit_incident(user, incident):
        raise PermissionDenied(gettext("This incident can no longer be edited from these pages."))
    ItemFormSet = item_formset_class(can_delete=user.has_perm("incidents.delete_incidentitem"))
    RouteFormSet = route_formset_class(
        logging=False, can_delete=user.has_perm("incidents.delete_routepoint")
    )
    LinkFormSet = link_formset_class(can_delete=user.has_perm("incidents.delete_incidentlink"))
    route_options = {
        "prefix": "route",
        "instance": incident,
        "form_kwargs": {"claims": incident_claims().filter(incident=incident)},
    }
    link_options = {
        "prefix": "links",
        "initial": link_initial(incident),
        "form_kwargs": {"user": user},
    }
    if request.method == "POST":
        place_form = NewPlaceForm(request.POST)
        actor_form = NewActorForm(request.POST)
        form = IncidentForm(request.POST, instance=incident, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=incident, prefix="items")
        route_formset = RouteFormSet(request.POST, **route_options)
        link_formset = LinkFormSet(request.POST, **link_options)
        valid = _incident_forms_valid(form, place_form, actor_form)
        valid = item_formset.is_valid() and valid
        valid = route_formset.is_valid() and valid
        if link_formset.is_valid() and valid:
            saved = _save_edit(
                request,
                incident=incident,
                form=form,
                place_form=place_form,
                actor_form=actor_form,
                item_formset=item_formset,
                route_forms=route_formset.kept_forms(),
                link_forms=link_formset.kept_forms(),
            )
            if saved:
                messages.success(request, gettext("Changes saved."))
                return redirect(incident)
    else:
        place_form = NewPlaceForm()
        actor_form = NewActorForm()
        form = IncidentForm(instance=incident, new_place_form=place_form)
        item_formset = ItemFormSet(instance=incident, prefix="items")
        route_formset = RouteFormSet(**route_options)
        link_formset = LinkFormSet(**link_options)
    return render(
        request,
        "incidents/incident_form.html",
        {
            "incident": incident,
            "form": form,
            "place_form": place_form,
            "actor_form": actor_form,
            "item_formset": item_formset,
            "route_formset": route_formset,
            "link_formset": link_formset,
        },
    )


def incident_claims():
    """The claims a route point may cite, with what their labels show."""
    return Claim.objects.select_related("source").order_by("published_at", "pk")


def _save_edit(
    request, *, incident, form, place_form, actor_form, item_formset, route_forms, link_forms
):
    """Save the edit through the service; return False if it was refused (the errors are
    then on the forms, and the version the form was opened at stays in it, so that sending
    it again is refused again rather than overwriting someone else's change)."""
    place = form.cleaned_data.get("place")
    changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name != "place"}
    if place is not None:
        changes["place"] = place
    item_forms = filled_item_forms(item_formset)
    parts = submission_parts(
        place_form=place_form,
        actor_form=actor_form,
        item_forms=item_forms,
        route_forms=route_forms,
        link_forms=link_forms,
    )
    try:
        incident_services.edit_incident(
            incident=incident,
            editor=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=changes,
            new_place=place_form.instance if place is None else None,
            actors=form.cleaned_data.get("actors") or [],
            new_actors=_new_actors(actor_form),
            items=[item_form.instance for item_form in item_forms],
            removed_items=[
                item_form.instance
                for item_form in item_formset.deleted_forms
                if item_form.instance.pk
            ],
            route=[
                route_form.submission(list(route_form.cleaned_data["supporting_claims"]))
                for route_form in route_forms
            ],
            links=[link_form.submission() for link_form in link_forms],
            submit="submit" in request.POST,
        )
    except ValidationError as error:
        show_refusal(error, form=form, parts=parts)
        return False
    return True


@require_http_methods(["GET", "POST"])
@staff_page
def claim_create(request, public_id):
    """Add a claim, with evidence files, to an existing incident."""
    require_perm(request, "claims.add_claim", gettext("You are not allowed to add claims."))
    incident = visible_incident(request, public_id)
    if not rules.can_add_claims(request.user, incident):
        # Say so before anyone fills in the form (the service would refuse it anyway).
        messages.error(request, gettext("This incident is withdrawn: it takes no more claims."))
        return redirect(incident)
    duplicates = None
    if request.method == "POST":
        form = ClaimForm(request.POST, request.FILES, incident=incident, user=request.user)
        if form.is_valid():
            duplicates = duplicates_of_submission(
                request, form=None, place_form=None, claim_forms=[form]
            )
            if not duplicates or request.POST.get("confirm_duplicates"):
                submission = claim_submission(form)
                claim = submission.claim
                claim.incident = incident
                try:
                    claim_services.create_claim(
                        claim=claim,
                        submitted_by=request.user,
                        new_source=submission.new_source,
                        evidence=submission.evidence,
                    )
                except ValidationError as error:
                    show_refusal(error, form=form, parts={})
                else:
                    messages.success(request, _claim_added_message(incident))
                    return redirect(incident)
    else:
        form = ClaimForm(incident=incident, user=request.user)
    return render(
        request,
        "incidents/claim_form.html",
        {
            "incident": incident,
            "form": form,
            "duplicates": duplicates,
            "files_dropped": request.method == "POST" and bool(request.FILES),
        },
    )


def _claim_added_message(incident):
    if incident.status == IncidentStatus.DRAFT:
        return gettext("Claim added. Submit the incident for review when it is ready.")
    return gettext("Claim added. Editors will review it.")
