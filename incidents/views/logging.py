"""Logging an incident with its place, items, actors and claims (with evidence) in one go,
editing it until it is published, and adding a claim to it. Each submission is saved by one
service call, or nothing is saved and the form comes back with the errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claims import services as claim_services
from claims.forms import ClaimForm, ClaimFormSet
from incidents import services as incident_services
from incidents.duplicates import find_duplicates
from incidents.forms import IncidentForm, NewPlaceForm, item_formset_class
from incidents.models import Incident, IncidentStatus
from incidents.views.access import require_perm, staff_page
from incidents.views.detail import _visible_incident
from lootwatch.forms import add_service_errors
from lootwatch.versioning import StaleEditError

INCIDENT_FIELDS = [
    "title",
    "summary",
    "place",
    "occurred_from",
    "occurred_to",
    "date_precision",
    "internal_notes",
]


class Refused(Exception):
    """A service refused part of a submission; the errors are already on the forms."""


def _run_service(form, call, field=None):
    """Call ``call()``; on ValidationError, show it on ``form`` and abandon the submission."""
    try:
        return call()
    except ValidationError as error:
        # A stale edit is shown as an alert above the form, not as a field error.
        form.stale = isinstance(error, StaleEditError)
        if field:
            for message in error.messages:
                form.add_error(field, message)
        else:
            add_service_errors(form, error)
        raise Refused from error


def _save_place(request, form, place_form):
    place = form.cleaned_data.get("place")
    if place is not None:
        return place
    return _run_service(
        place_form,
        lambda: incident_services.create_place(place=place_form.instance, created_by=request.user),
    )


def _save_claim(request, claim_form, *, incident, reported_via=None):
    """Save the claim (and its new source) and attach its evidence files."""
    user = request.user
    source = claim_form.cleaned_data.get("source")
    new_source = claim_form.new_source()
    if new_source is not None:
        source = _run_service(
            claim_form,
            lambda: claim_services.create_source(source=new_source, created_by=user),
        )
    claim = claim_form.instance
    claim.incident = incident
    claim.source = source
    if reported_via is not None:
        claim.reported_via = reported_via
    _run_service(claim_form, lambda: claim_services.create_claim(claim=claim, submitted_by=user))
    for upload in claim_form.cleaned_data.get("evidence") or []:
        _run_service(
            claim_form,
            lambda upload=upload: claim_services.attach_evidence(
                claim=claim, file=upload, uploaded_by=user
            ),
            field="evidence",
        )
    return claim


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
    return find_duplicates(
        user=request.user,
        urls=[claim_form.cleaned_data.get("url") for claim_form in claim_forms],
        digests=digests,
        occurred_from=form.cleaned_data.get("occurred_from") if form is not None else None,
        occurred_to=form.cleaned_data.get("occurred_to") if form is not None else None,
        place=place,
        latitude=latitude,
        longitude=longitude,
    )


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
    duplicates = None
    if request.method == "POST":
        place_form = NewPlaceForm(request.POST)
        form = IncidentForm(request.POST, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=Incident(), prefix="items")
        claim_formset = ClaimFormSet(request.POST, request.FILES, prefix="claims")
        valid = _incident_forms_valid(form, place_form)
        valid = item_formset.is_valid() and valid
        valid = claim_formset.is_valid() and valid
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
                    submit="submit" in request.POST,
                )
                if incident is not None:
                    if incident.status == IncidentStatus.SUBMITTED:
                        messages.success(request, "Incident logged and submitted for review.")
                    else:
                        messages.success(request, "Incident saved as a draft.")
                    return redirect(incident)
    else:
        place_form = NewPlaceForm()
        form = IncidentForm(new_place_form=place_form)
        item_formset = ItemFormSet(instance=Incident(), prefix="items")
        claim_formset = ClaimFormSet(prefix="claims")
    return render(
        request,
        "incidents/incident_form.html",
        {
            "form": form,
            "place_form": place_form,
            "item_formset": item_formset,
            "claim_formset": claim_formset,
            "duplicates": duplicates,
            "files_dropped": request.method == "POST" and bool(request.FILES),
        },
    )


def _log_incident(request, *, form, place_form, item_forms, claim_forms, submit):
    """Save everything or nothing; return the incident, or None if a service refused."""
    user = request.user
    try:
        with transaction.atomic():
            incident = form.instance
            incident.place = _save_place(request, form, place_form)
            _run_service(
                form,
                lambda: incident_services.create_incident(incident=incident, created_by=user),
            )
            incident_services.set_incident_actors(
                incident=incident, editor=user, actors=form.cleaned_data.get("actors") or []
            )
            for item_form in item_forms:
                _run_service(
                    item_form,
                    lambda item_form=item_form: incident_services.save_incident_items(
                        incident=incident, editor=user, items=[item_form.instance]
                    ),
                )
            saved_claims = {}
            for claim_form in claim_forms:
                number = claim_form.cleaned_data.get("reported_via_number")
                saved_claims[claim_form.claim_index()] = _save_claim(
                    request, claim_form, incident=incident, reported_via=saved_claims.get(number)
                )
            if submit:
                _run_service(
                    form, lambda: incident_services.submit_incident(incident=incident, user=user)
                )
    except Refused:
        # The transaction was rolled back; the errors are on the forms.
        return None
    return incident


@require_http_methods(["GET", "POST"])
@staff_page
def incident_edit(request, public_id):
    """Edit an incident until it is published (editors: until it is withdrawn).

    The form carries the version it was opened at; if someone saved the incident since,
    nothing is saved and the form comes back with what was typed and who changed what.
    """
    incident = _visible_incident(request, public_id, Incident.objects.select_related("place"))
    if not incident_services.can_edit_incident(request.user, incident):
        raise PermissionDenied("This incident can no longer be edited from these pages.")
    ItemFormSet = item_formset_class(
        can_delete=request.user.has_perm("incidents.delete_incidentitem")
    )
    if request.method == "POST":
        place_form = NewPlaceForm(request.POST)
        form = IncidentForm(request.POST, instance=incident, new_place_form=place_form)
        item_formset = ItemFormSet(request.POST, instance=incident, prefix="items")
        valid = _incident_forms_valid(form, place_form)
        if item_formset.is_valid() and valid:
            saved = _save_edit(
                request,
                incident=incident,
                form=form,
                place_form=place_form,
                item_formset=item_formset,
                submit="submit" in request.POST,
            )
            if saved:
                messages.success(request, "Changes saved.")
                return redirect(incident)
    else:
        place_form = NewPlaceForm()
        form = IncidentForm(instance=incident, new_place_form=place_form)
        item_formset = ItemFormSet(instance=incident, prefix="items")
    return render(
        request,
        "incidents/incident_form.html",
        {
            "incident": incident,
            "form": form,
            "place_form": place_form,
            "item_formset": item_formset,
        },
    )


def _save_edit(request, *, incident, form, place_form, item_formset, submit):
    user = request.user
    try:
        with transaction.atomic():
            incident.place = _save_place(request, form, place_form)
            _run_service(
                form,
                lambda: incident_services.update_incident(
                    incident=incident,
                    editor=user,
                    expected_version=form.cleaned_data.get("version"),
                    fields=INCIDENT_FIELDS,
                ),
            )
            incident_services.set_incident_actors(
                incident=incident, editor=user, actors=form.cleaned_data.get("actors") or []
            )
            removed = [
                item_form.instance
                for item_form in item_formset.deleted_forms
                if item_form.instance.pk
            ]
            item_forms = _filled_item_forms(item_formset)
            for item_form in item_forms:
                _run_service(
                    item_form,
                    lambda item_form=item_form: incident_services.save_incident_items(
                        incident=incident, editor=user, items=[item_form.instance]
                    ),
                )
            if removed:
                incident_services.save_incident_items(
                    incident=incident, editor=user, items=[], removed=removed
                )
            if submit and incident.status == IncidentStatus.DRAFT:
                _run_service(
                    form, lambda: incident_services.submit_incident(incident=incident, user=user)
                )
    except Refused:
        # Keep the version the form was opened at, so that sending it again is refused
        # again rather than silently overwriting the other person's change.
        return False
    return True


@require_http_methods(["GET", "POST"])
@staff_page
def claim_create(request, public_id):
    """Add a claim, with evidence files, to an existing incident."""
    require_perm(request, "claims.add_claim", "You are not allowed to add claims.")
    incident = _visible_incident(request, public_id)
    # Whether the incident still takes claims (not once withdrawn) is decided by
    # claims.services.create_claim alone; its refusal is shown on the form.
    duplicates = None
    if request.method == "POST":
        form = ClaimForm(request.POST, request.FILES, incident=incident)
        if form.is_valid():
            duplicates = _duplicates_of_submission(
                request, form=None, place_form=None, claim_forms=[form]
            )
            if not duplicates or request.POST.get("confirm_duplicates"):
                try:
                    with transaction.atomic():
                        _save_claim(request, form, incident=incident)
                except Refused:
                    pass
                else:
                    messages.success(request, "Claim added. Editors will review it.")
                    return redirect(incident)
    else:
        form = ClaimForm(incident=incident)
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
