"""The journalists' pages: find, map and follow incidents, log them with their claims and
evidence, edit them until they are published.

Views are thin: reads go through IncidentQuerySet (visible_to, with_summary) and the page
filters, writes through incidents.services and claims.services. Review and publication
are not here: editors do them in the admin.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncWeek
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import services as claim_services
from claims.models import Claim, Evidence, Review
from incidents import services as incident_services
from incidents.duplicates import find_duplicates, shifted
from incidents.filters import IncidentPageFilterSet
from incidents.forms import (
    ClaimForm,
    ClaimFormSet,
    DuplicateCheckForm,
    IncidentForm,
    NewPlaceForm,
    add_service_errors,
    item_formset_class,
)
from incidents.models import Incident, IncidentItem, IncidentStatus, Place
from lootwatch.versioning import StaleEditError

PAGE_SIZE = 25
# The map shows at most this many incidents; the page says so when there are more.
MAP_LIMIT = 5000
INCIDENT_FIELDS = [
    "title",
    "summary",
    "place",
    "occurred_from",
    "occurred_to",
    "date_precision",
    "internal_notes",
]


def staff_page(view):
    """Require a signed-in journalist or editor: anyone else (a partner account) gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("incidents.view_incident"):
            raise PermissionDenied("These pages are for Lootwatch journalists and editors.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def require_perm(request, permission, message):
    if not request.user.has_perm(permission):
        raise PermissionDenied(message)


# Finding incidents ------------------------------------------------------------------------


def _filterset(request, queryset):
    return IncidentPageFilterSet(request.GET or None, queryset=queryset, request=request)


def _querystring_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _list_context(request, filterset):
    return {
        "filter": filterset,
        "querystring": _querystring_without(request, "page"),
        # Keep the filters panel open when a filter other than the search box is in use.
        "filters_active": any(
            value for name, value in request.GET.items() if name not in ("q", "page")
        )
        or bool(filterset.form.errors),
    }


@require_GET
@staff_page
def incident_list(request):
    """Incidents the user may see, searched, filtered, sorted and paginated."""
    incidents = (
        Incident.objects.visible_to(request.user)
        .with_summary()
        .select_related("place")
        .order_by("-occurred_from", "-pk")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category").order_by("pk"),
            )
        )
    )
    filterset = _filterset(request, incidents)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for incident in page:
        # Distinct categories in the order first mentioned; items are already prefetched.
        incident.categories = list(dict.fromkeys(item.category for item in incident.items.all()))
    return render(
        request,
        "incidents/incident_list.html",
        {**_list_context(request, filterset), "page": page, "view_name": "list"},
    )


@require_GET
@staff_page
def incident_map(request):
    """The filtered incidents on a map; the markers come from incident_geojson."""
    filterset = _filterset(request, Incident.objects.none())
    return render(
        request,
        "incidents/incident_map.html",
        {
            **_list_context(request, filterset),
            "view_name": "map",
            "map_config": {
                "geojson_url": f"{reverse('incidents:map-geojson')}?{request.GET.urlencode()}",
                "tile_url": settings.MAP_TILE_URL,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            },
        },
    )


@require_GET
@staff_page
def incident_geojson(request):
    """The filtered incidents as a GeoJSON FeatureCollection for the map.

    Places of `exact` precision are placed and named as partners would see them (rounded to
    about 1 km and named by their district unless marked public): an overview map need not
    point at anyone's door, and map data is the kind of thing that gets exported.
    """
    incidents = Incident.objects.visible_to(request.user).with_summary().select_related("place")
    filterset = _filterset(request, incidents)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    incidents = list(filterset.qs[: MAP_LIMIT + 1])
    features = []
    for incident in incidents[:MAP_LIMIT]:
        latitude, longitude = incident.place.public_coordinates()
        features.append(
            {
                "type": "Feature",
                "id": str(incident.public_id),
                "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
                "properties": {
                    "title": incident.title,
                    "url": incident.get_absolute_url(),
                    "place": incident.place.public_name,
                    "occurred_from": incident.occurred_from.isoformat(),
                    "occurred_to": incident.occurred_to.isoformat(),
                    "status": incident.status,
                    "assessment": incident.assessment,
                },
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            # Not part of GeoJSON; foreign members are allowed and the map reports it.
            "truncated": len(incidents) > MAP_LIMIT,
        }
    )


@require_GET
@staff_page
def incident_timeline(request):
    """How many of the filtered incidents began in each week, as a bar chart."""
    filterset = _filterset(request, Incident.objects.visible_to(request.user))
    counts = dict(
        filterset.qs.order_by()
        .annotate(week=TruncWeek("occurred_from"))
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    # TruncWeek gives a date on SQLite and a datetime on some backends: compare dates.
    counts = {
        (week.date() if isinstance(week, datetime.datetime) else week): count
        for week, count in counts.items()
    }
    weeks = []
    if counts:
        first, last = min(counts), max(counts)
        # Every week between the first and the last, so quiet weeks show as gaps; capped so
        # a stray date far in the past cannot make a page of thousands of rows.
        # (Stepping stops at the last week rather than past it: after 9999-12-27 there is no
        # next Monday to step to.)
        week = max(first, shifted(last, -7 * 520))
        while True:
            weeks.append((week, counts.get(week, 0)))
            if (last - week).days < 7:
                break
            week += datetime.timedelta(weeks=1)
    highest = max((count for _, count in weeks), default=0)
    rows = [
        {
            "week": week,
            "count": count,
            "percent": round(100 * count / highest) if highest else 0,
        }
        for week, count in weeks
    ]
    return render(
        request,
        "incidents/incident_timeline.html",
        {
            **_list_context(request, filterset),
            "view_name": "timeline",
            "rows": rows,
            "total": sum(counts.values()),
        },
    )


# One incident -----------------------------------------------------------------------------


def _visible_incident(request, public_id, queryset=None):
    queryset = queryset if queryset is not None else Incident.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), public_id=public_id)


def _change_history(incident):
    """Who changed what in the incident, its items and its claims, and why; newest first.

    ``incident`` must have its items and claims prefetched: they name the history rows
    without a query per row.
    """
    items = {item.pk: str(item) for item in incident.items.all()}
    claims = {claim.pk: str(claim) for claim in incident.claims.all()}
    sources = [
        (incident.history.all(), "incident", lambda record: ""),
        (
            IncidentItem.history.filter(incident_id=incident.pk),
            "item",
            lambda record: items.get(record.id, record.description),
        ),
        (
            Claim.history.filter(incident_id=incident.pk),
            "claim",
            lambda record: claims.get(record.id, record.url),
        ),
    ]
    records = []
    for history, what, label in sources:
        for record in history.select_related("history_user").order_by("-history_date")[:100]:
            records.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": what,
                    "label": label(record),
                    "action": record.get_history_type_display(),
                    "reason": record.history_change_reason or "",
                }
            )
    records.sort(key=lambda record: record["when"], reverse=True)
    return records[:100]


@require_GET
@staff_page
def incident_detail(request, public_id):
    """Everything about one incident, its claims with their evidence and reviews, and its
    change history."""
    claims = (
        Claim.objects.select_related("source", "submitted_by", "reported_via__source")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        )
        .order_by("published_at", "pk")
    )
    incident = _visible_incident(
        request,
        public_id,
        Incident.objects.with_summary()
        .select_related("place", "created_by", "merged_into")
        .prefetch_related(
            "actors",
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category__parent").order_by("pk"),
            ),
            Prefetch("claims", queryset=claims),
        ),
    )
    user = request.user
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "history": _change_history(incident),
            "can_edit": incident_services.can_edit_incident(user, incident),
            # Whether the incident still takes claims is claims.services.create_claim's
            # rule: the claim form shows its refusal.
            "can_add_claim": user.has_perm("claims.add_claim"),
            "can_submit": incident.status == IncidentStatus.DRAFT
            and incident_services.can_edit_incident(user, incident),
        },
    )


@require_POST
@staff_page
def incident_submit(request, public_id):
    """Send a draft to the editors' review queue."""
    incident = _visible_incident(request, public_id)
    try:
        incident_services.submit_incident(incident=incident, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Submitted for review. Editors will verify its claims.")
    return redirect(incident)


# Logging and editing ----------------------------------------------------------------------


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


# Helpers for the forms (htmx) -------------------------------------------------------------


@require_GET
@staff_page
def duplicate_check(request):
    """The duplicate warnings for a form being filled in, as an HTML fragment.

    Reads the form's claim URLs, the SHA-256 digests of the chosen files, the place or the
    new place's coordinates and the dates (see DuplicateCheckForm). Anything unreadable is
    ignored: this only warns.
    """
    form = DuplicateCheckForm.from_query(request.GET)
    report = find_duplicates(user=request.user, **form.check_arguments())
    return render(
        request,
        "incidents/includes/duplicates.html",
        {"duplicates": report, "confirmed": bool(request.GET.get("confirm_duplicates"))},
    )


@require_GET
@staff_page
def place_options(request):
    """The place picker's options matching what was typed in its search box."""
    # A NUL character cannot be sent to PostgreSQL in a query: it is never part of a name.
    text = (request.GET.get("place_search") or "").replace("\x00", "").strip()[:200]
    places = Place.objects.all()
    if text:
        places = places.filter(name__icontains=text) | places.filter(admin1__icontains=text)
    places = list(places.order_by("name", "pk")[:100])
    return render(
        request,
        "incidents/includes/place_options.html",
        {"places": places, "selected": places[0].pk if text and len(places) == 1 else None},
    )


# My incidents -----------------------------------------------------------------------------


@require_GET
@staff_page
def my_incidents(request):
    """What the signed-in user logged, where it stands, and what editors decided on it."""
    incidents = (
        Incident.objects.filter(created_by=request.user)
        .with_summary()
        .select_related("place")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = (
        Review.objects.filter(claim__submitted_by=request.user)
        .select_related("claim__incident", "claim__source", "reviewer")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(request, "incidents/my_incidents.html", {"page": page, "reviews": reviews})
