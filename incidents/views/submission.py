"""Turning the log and add-a-claim forms into what the services take, and a service's
refusal back onto the form it is about: shared by incidents.views.logging's pages."""

from incidents import services as incident_services
from incidents.duplicates import find_duplicates
from lootwatch.forms import add_service_errors
from lootwatch.versioning import StaleEditError


def show_refusal(error, *, form, parts):
    """Show a service's refusal on the form it is about: ``parts`` maps the part names a
    SubmissionError gives ("new_place", "items.0", "claims.2", "route.1") to forms;
    anything else belongs to the incident ``form``. A stale edit is an alert above the form."""
    target = parts.get(getattr(error, "part", None), form)
    target.stale = isinstance(error, StaleEditError)
    add_service_errors(target, error)


def claim_submission(claim_form, *, reported_via=None):
    """A claim form's content as the services take it."""
    claim = claim_form.instance
    claim.source = claim_form.cleaned_data.get("source")
    return incident_services.ClaimSubmission(
        claim=claim,
        new_source=claim_form.new_source(),
        reported_via=reported_via,
        evidence=[(upload, None) for upload in claim_form.cleaned_data.get("evidence") or []],
    )


def filled_claim_forms(claim_formset):
    return [
        form
        for index, form in enumerate(claim_formset.forms)
        if index < claim_formset.min_num or form.has_changed()
    ]


def filled_item_forms(item_formset):
    deleted = set(item_formset.deleted_forms) if item_formset.can_delete else set()
    return [form for form in item_formset.forms if form.has_changed() and form not in deleted]


def duplicates_of_submission(request, *, form, place_form, claim_forms):
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


def submission_parts(
    *, place_form, actor_form, item_forms, claim_forms=(), route_forms, link_forms
):
    """The part names of a submission's forms (see show_refusal)."""
    parts = {"new_place": place_form, "new_actors.0": actor_form}
    parts.update({f"items.{i}": item_form for i, item_form in enumerate(item_forms)})
    parts.update({f"claims.{i}": claim_form for i, claim_form in enumerate(claim_forms)})
    for index, route_form in enumerate(route_forms):
        parts[f"route.{index}"] = route_form
        parts[f"route.{index}.new_place"] = route_form.new_place_form
    parts.update({f"links.{index}": link_form for index, link_form in enumerate(link_forms)})
    return parts
