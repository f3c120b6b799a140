"""What an export reads: the partners' own selector for exactly what partners see, or, for
editors' exports (``--status all`` or ``--staff``), every incident of the chosen statuses
with all its live claims, loaded the same way so that the partner representation
(incidents.api.representation) serializes them without a query per row."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from claims.models import Claim, Evidence
from claims.selectors import partner_evidence, visible_claims
from exchange.models import Release
from incidents import rules
from incidents.models import Incident
from incidents.selectors import (
    actors_and_items,
    partner_incidents,
    route_and_links,
    with_summary,
)

STATUSES = ("published", "all")


def _staff_claims() -> Prefetch:
    relay = Claim.objects.filter(pk=OuterRef("reported_via_id"))
    claims = (
        Claim.objects.filter(withdrawn_at__isnull=True)
        .select_related("source__organisation", "submitted_by")
        .prefetch_related(
            partner_evidence(),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.order_by("uploaded_at"),
                to_attr="all_evidence",
            ),
        )
        .annotate(reported_via_public_id=Subquery(relay.values("public_id")[:1]))
        .order_by("published_at", "pk")
    )
    # Under the names the partner representation reads (incidents.selectors.partner_incidents).
    return Prefetch("claims", queryset=claims, to_attr="partner_claims")


def incidents_for_export(*, status="published", staff=False, since=None) -> QuerySet[Incident]:
    """The incidents an export writes, ordered by ``pk`` for chunked reading.

    ``status="published"`` without ``staff`` is exactly what partners see
    (incidents.selectors.partner_incidents). Otherwise every incident of the statuses
    (published, or all of them), with every live claim, counted in the summary."""
    if status not in STATUSES:
        raise ValueError(f"Unknown status {status!r}: use {' or '.join(STATUSES)}.")
    if status == "published" and not staff:
        incidents = partner_incidents()
    else:
        incidents = Incident.objects.all()
        if status == "published":
            incidents = incidents.filter(rules.visible_to_partners())
        incidents = (
            with_summary(incidents, claim_filter=Q(claims__withdrawn_at__isnull=True))
            .select_related("place", "created_by")
            .prefetch_related(
                *actors_and_items(),
                _staff_claims(),
                *route_and_links(
                    claims=visible_claims() if status == "published" else Claim.objects.all(),
                    linked=rules.visible_to_partners if status == "published" else _anything,
                    brief=True,
                ),
            )
        )
    if since is not None:
        incidents = incidents.filter(updated_at__gte=since)
    return incidents.order_by("pk")


def _anything(prefix=""):
    return Q()


def releases():
    """Every dataset release: they are public, as is everything in them."""
    return Release.objects.all()
