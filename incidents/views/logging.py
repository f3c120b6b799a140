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
from incidents.duplicates import find_duplicates
from incidents.forms import IncidentForm, NewPlaceForm, item_formset_class
from incidents.models import Incident, IncidentStatus
from incidents.route_forms import link_formset_class, link_initial, route_formset_class
from incidents.services.recording import EDITABLE_FIELDS
from incidents.views.access import require_perm, staff_page
from incidents.views.detail import visible_incident
from lootwatch.forms import add_service_errors
from lootwatch.versioning import StaleEditError


def _show_refusal(error, *, form, parts):
    """Show a service's refusal on the form it is about: ``parts`` maps the part names a
    SubmissionError gives ("new_place", "items.0", "claims.2", "route.1") to forms;
    anything else belongs to the incident ``form``. A stale edit is an alert above the form."""
    target = parts.get(getattr(error, "part", None), form)
    target.stale = isinstance(error, StaleEditError)
    add_service_errors(target, error)


def _claim_submission(claim_form, *, reported_via=None):
    """A claim form's content as the services take it."""
    claim = claim_form.instance
    claim.source = claim_form.cleaned_data.get("source")
    return incident_services.ClaimSubmission(
        claim=claim,
        new_source=claim_form.new_source(),
        reported_via=reported_via,
        evidence=[(upload, None) for upload in claim_form.cleaned_data.get("evidence") or []],
    )


def _filled_claim_forms(claim_formset):
    return [
        form
        for index, form in enumerate(claim_formset.forms)
        if index < claim_formset.min_num or form.has_changed()
    ]


def _filled_item_forms(item_formset):
    deleted = set(item_formset.deleted_forms) if item_formset.can_delete else set()
    return [form for form in item_formset.forms if form.has_changed() and form not in deleted]


def _duplicates_of_submission(request, *, form, place_form, claim_forms):
    place = form.cleaned_data.get("place") if form is not None else None
    latitude = longitude = None
    if form is not None and place is None and place_form.is_filled():
        latitude = place_form.cleaned_data.get("latitude")
        longitude = place_form.cleaned_data.get("longitude")
    # The evidence field already hashed each file it accepted: reuse its digests rather
    # than reading every upload again.
    digests = [
        digest
        for claim_form in claim_forms
        for digest in getattr(claim_form.fields["evidence"], "inspected", {}).values()
    ]
    perceptual_hashes = [
        value
        for claim_form in claim_forms
        for value in getattr(claim_form.fields["evidence"], "perceptual_hashes", {}).values()
    ]
    return find_duplicates(
        user=request.user,
        urls=[claim_form.cleaned_data.get("url") for claim_form in claim_forms],
        digests=digests,
        perceptual_hashes=perceptual_hashes,
        occurred_from=form.cleaned_data.get("occurred_from") if form is not None else None,
        occurred_to=form.cleaned_data.get("occurred_to") if form is not None else None,
        place=place,
        latitude=latitude,
        longitude=longitude,
    )


def _route_and_link_parts(route_forms, link_forms):
    """The part names of the route's and links' forms (see _show_refusal)."""
    parts = {}
    for index, route_form in enumerate(route_forms):
        parts[f"route.{index}"] = route_form
        parts[f"route.{index}.new_place"] = route_form.new_place_form
    parts.update({f"links.{index}": link_form for index, link_form in enumerate(link_forms)})
    return parts


def _incident_forms_valid(form, place_form):
    valid = form.is_valid()
    if form.cleaned_data.get("place") is None and form.describes_new_place():
        place_form.in_use = True
        valid = place_form.is_valid() and valid
    return valid


@require_http_methods(["GET", "POST"])
@staff_page
def incident_create(request):
    """Log an incident with its place, items, actors and claims (with evidence) in one go.

    The whole submission is saved in one transaction: if any part is refused (an invalid
    claim, an unreadable evidence file), nothing is saved and the form comes back with the
    error next to the field and everything typed still in it.
    """
    require_perm(request, "incidents.add_incident", "You are not allowed to log incidents.")
    ItemFormSet = item_formset_class(can_delete=False)
    RouteFormSet = route_formset_class(logging=True, can_delete=False)
    LinkFormSet = link_formset_class(can_delete=False)
    duplicates = None
    if request.method == "POST":
        place_form = NewPlaceForm(request.POST)
        form = IncidentForm(request.POST, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=Incident(), prefix="items")
        claim_formset = ClaimFormSet(
            request.POST, request.FILES, prefix="claims", form_kwargs={"user": request.user}
        )
        route_formset = RouteFormSet(
            request.POST,
            instance=Incident(),
            prefix="route",
            filled_claims={claim.claim_index() for claim in _filled_claim_forms(claim_formset)},
            form_kwargs={"claim_count": claim_formset.total_form_count()},
        )
        link_formset = LinkFormSet(request.POST, prefix="links", form_kwargs={"user": request.user})
        valid = _incident_forms_valid(form, place_form)
        valid = item_formset.is_valid() and valid
        valid = claim_formset.is_valid() and valid
        valid = route_formset.is_valid() and valid
        valid = link_formset.is_valid() and valid
        if valid:
            claim_forms = _filled_claim_forms(claim_formset)
            duplicates = _duplicates_of_submission(
                request, form=form, place_form=place_form, claim_forms=claim_forms
            )
            if not duplicates or request.POST.get("confirm_duplicates"):
                incident = _log_incident(
                    request,
                    form=form,
                    place_form=place_form,
                    item_forms=_filled_item_forms(item_formset),
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
            "item_formset": item_formset,
            "claim_formset": claim_formset,
            "route_formset": route_formset,
            "link_formset": link_formset,
            "duplicates": duplicates,
            "files_dropped": request.method == "POST" and bool(request.FILES),
        },
    )


def _log_incident(request, *, form, place_form, item_forms, claim_forms, route_forms, link_forms):
    """Log the submission through the service; return the incident, or None if it was
    refused (the errors are then on the forms)."""
    # Positions in the formset (the "known through" choices) become positions among the
    # claims actually sent, which is what the service counts.
    position = {claim_form.claim_index(): index for index, claim_form in enumerate(claim_forms)}
    claims = [
        _claim_submission(
            claim_form,
            reported_via=position.get(claim_form.cleaned_data.get("reported_via_number")),
        )
        for claim_form in claim_forms
    ]
    place = form.cleaned_data.get("place")
    try:
        return incident_services.log_incident(
            logged_by=request.user,
            incident=form.instance,
            place=place,
            new_place=place_form.instance if place is None else None,
            actors=form.cleaned_data.get("actors") or [],
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
        parts = {"new_place": place_form}
        parts.update({f"items.{i}": item_form for i, item_form in enumerate(item_forms)})
        parts.update({f"claims.{i}": claim_form for i, claim_form in enumerate(claim_forms)})
        parts.update(_route_and_link_parts(route_forms, link_forms))
        _show_refusal(error, form=form, parts=parts)
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
        raise PermissionDenied("This incident can no longer be edited from these pages.")
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
        form = IncidentForm(request.POST, instance=incident, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=incident, prefix="items")
        route_formset = RouteFormSet(request.POST, **route_options)
        link_formset = LinkFormSet(request.POST, **link_options)
        valid = _incident_forms_valid(form, place_form)
        valid = item_formset.is_valid() and valid
        valid = route_formset.is_valid() and valid
        if link_formset.is_valid() and valid:
            saved = _save_edit(
                request,
                incident=incident,
                form=form,
                place_form=place_form,
                item_formset=item_formset,
                route_forms=route_formset.kept_forms(),
                link_forms=link_formset.kept_forms(),
            )
            if saved:
                messages.success(request, gettext("Changes saved."))
                return redirect(incident)
    else:
        place_form = NewPlaceForm()
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
            "item_formset": item_formset,
            "route_formset": route_formset,
            "link_formset": link_formset,
        },
    )


def incident_claims():
    """The claims a route point may cite, with what their labels show."""
    return Claim.objects.select_related("source").order_by("published_at", "pk")


def _save_edit(request, *, incident, form, place_form, item_formset, route_forms, link_forms):
    """Save the edit through the service; return False if it was refused (the errors are
    then on the forms, and the version the form was opened at stays in it, so that sending
    it again is refused again rather than overwriting someone else's change)."""
    place = form.cleaned_data.get("place")
    changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name != "place"}
    if place is not None:
        changes["place"] = place
    item_forms = _filled_item_forms(item_formset)
    try:
        incident_services.edit_incident(
            incident=incident,
            editor=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=changes,
            new_place=place_form.instance if place is None else None,
            actors=form.cleaned_data.get("actors") or [],
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
        parts = {"new_place": place_form}
        parts.update({f"items.{i}": item_form for i, item_form in enumerate(item_forms)})
        parts.update(_route_and_link_parts(route_forms, link_forms))
        _show_refusal(error, form=form, parts=parts)
        return False
    return True


@require_http_methods(["GET", "POST"])
@staff_page
def claim_create(request, public_id):
    """Add a claim, with evidence files, to an existing incident."""
    require_perm(request, "claims.add_claim", "You are not allowed to add claims.")
    incident = visible_incident(request, public_id)
    if not rules.can_add_claims(request.user, incident):
        # Say so before anyone fills in the form (the service would refuse it anyway).
        messages.error(request, gettext("This incident is withdrawn: it takes no more claims."))
        return redirect(incident)
    duplicates = None
    if request.method == "POST":
        form = ClaimForm(request.POST, request.FILES, incident=incident, user=request.user)
        if form.is_valid():
            duplicates = _duplicates_of_submission(
                request, form=None, place_form=None, claim_forms=[form]
            )
            if not duplicates or request.POST.get("confirm_duplicates"):
                submission = _claim_submission(form)
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
                    _show_refusal(error, form=form, parts={})
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
        return "Claim added. Submit the incident for review when it is ready."
    return "Claim added. Editors will review it."
