"""One incident: everything about it, where its goods went, its claims with their evidence
and reviews, and its change history; and sending a draft to the editors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from claims.models import Claim, Evidence, Review
from claims.relays import in_relay_order
from incidents import rules, selectors
from incidents import services as incident_services
from incidents.models import Incident, IncidentItem, IncidentLink, RoutePoint
from incidents.views.access import staff_page


def visible_incident(request, public_id, queryset=None):
    """The incident with this public id if the user may see it in the pages, else 404."""
    return get_object_or_404(
        selectors.visible_incidents(request.user, queryset), public_id=public_id
    )


def _change_history(incident):
    """Who changed what in the incident, its items and its claims, and why; newest first.

    ``incident`` must have its items, claims and route prefetched: they name the history
    rows without a query per row.
    """
    items = {item.pk: str(item) for item in incident.items.all()}
    claims = {claim.pk: str(claim) for claim in incident.claims.all()}
    points = {point.pk: str(point) for point in incident.route_points.all()}
    sources = [
        (incident.history.all(), pgettext("history", "incident"), lambda record: ""),
        (
            IncidentItem.history.filter(incident_id=incident.pk),
            pgettext("history", "item"),
            lambda record: items.get(record.id, record.description),
        ),
        (
            Claim.history.filter(incident_id=incident.pk),
            pgettext("history", "claim"),
            # A claim since moved to another incident (by a merge) is not named by its URL:
            # it may be a protected source's, and this page does not ask who may see it.
            lambda record: claims.get(
                record.id, gettext("a claim since moved to another incident")
            ),
        ),
        (
            RoutePoint.history.filter(incident_id=incident.pk),
            pgettext("history", "route point"),
            lambda record: points.get(
                record.id, gettext("position %(number)s") % {"number": record.position}
            ),
        ),
        (
            IncidentLink.history.filter(Q(origin_id=incident.pk) | Q(destination_id=incident.pk)),
            pgettext("history", "link"),
            lambda record: record.get_kind_display(),
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
    incident = visible_incident(
        request,
        public_id,
        selectors.with_summary(Incident.objects.all())
        .select_related("place", "created_by", "merged_into")
        .prefetch_related(
            "actors",
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category__parent").order_by("pk"),
            ),
            Prefetch("claims", queryset=claims),
            Prefetch(
                "merged_duplicates",
                queryset=Incident.objects.order_by("withdrawn_at", "pk").only(
                    "public_id", "title", "withdrawn_at", "withdrawal_reason", "merged_into"
                ),
            ),
            *selectors.route_and_links(
                claims=Claim.objects.select_related("source"),
                linked=lambda path: rules.visible_to_staff(request.user, path),
            ),
        ),
    )
    user = request.user
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "claims": in_relay_order(incident.claims.all()),
            "history": _change_history(incident),
            "can_edit": rules.can_edit_incident(user, incident),
            "can_add_claim": rules.can_add_claims(user, incident),
            "can_submit": rules.can_submit(user, incident),
        },
    )


@require_POST
@staff_page
def incident_submit(request, public_id):
    """Send a draft to the editors' review queue."""
    incident = visible_incident(request, public_id)
    try:
        incident_services.submit_incident(incident=incident, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Submitted for review. Editors will verify its claims."))
    return redirect(incident)
