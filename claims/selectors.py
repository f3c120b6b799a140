"""Reads of claims and sources for partners: the one place their visibility rules live.

Partners see live (not withdrawn) claims of published incidents, the sources that made
them, and the derivatives of their evidence. A claim added to an incident after it was
published waits for an editor: hidden until it is verified or disputed, since nobody has
yet checked it (it may, say, name a witness). They never see who submitted or reviewed a
claim, internal notes, withdrawal reasons, or anything about original evidence files.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from claims.models import Claim, ClaimStatus, Evidence, Source

# Unverified claims created after their incident was published: not yet seen by an editor.
AWAITING_EDITOR = Q(status=ClaimStatus.UNVERIFIED, created_at__gt=F("incident__published_at"))


def visible_to_partners(prefix: str = "", incident: str | None = None) -> Q:
    """The one rule for which claims partners may see, as a Q: live, of a published
    incident, and not waiting for an editor (unverified and created after the incident was
    published).

    ``prefix`` is the path from the model queried to the claim: "" on Claim, "claim__" on
    Evidence, "claims__" on Incident. ``incident`` is the path to the claim's incident,
    ``prefix + "incident__"`` unless given ("" when querying incidents themselves).
    """
    from incidents.models import IncidentStatus

    if incident is None:
        incident = f"{prefix}incident__"
    awaiting_editor = Q(
        **{
            f"{prefix}status": ClaimStatus.UNVERIFIED,
            f"{prefix}created_at__gt": F(f"{incident}published_at"),
        }
    )
    live_and_published = Q(
        **{f"{prefix}withdrawn_at__isnull": True, f"{incident}status": IncidentStatus.PUBLISHED}
    )
    return live_and_published & ~awaiting_editor


def visible_claims_of_incident() -> Q:
    """visible_to_partners() seen from an incident: the ``claim_filter`` partners' reads pass
    to IncidentQuerySet.with_summary() and .search()."""
    return visible_to_partners("claims__", incident="")


def visible_claims() -> QuerySet[Claim]:
    """The claims partners may see (see visible_to_partners)."""
    return Claim.objects.filter(visible_to_partners())


def evidence_with_derivatives() -> QuerySet[Evidence]:
    """Evidence that has a display image or a thumbnail: the only kind partners can see.

    Only the columns needed to build derivative URLs are read, so no original path,
    digest or metadata is even loaded.
    """
    return (
        Evidence.objects.exclude(display="", thumbnail="")
        .only("pk", "public_id", "claim_id", "kind", "display", "thumbnail", "uploaded_at")
        .order_by("uploaded_at", "pk")
    )


def partner_claims() -> QuerySet[Claim]:
    """Live claims of published incidents, ready to serialize without a query per row."""
    return (
        visible_claims()
        .select_related("source", "incident", "reported_via__incident")
        .prefetch_related(Prefetch("evidence", queryset=evidence_with_derivatives()))
    )


def partner_claims_of_incidents() -> Prefetch:
    """The Prefetch that nests an incident's visible claims (oldest published first)."""
    return Prefetch(
        "claims",
        queryset=visible_claims()
        .select_related("source", "reported_via__incident")
        .prefetch_related(Prefetch("evidence", queryset=evidence_with_derivatives()))
        .order_by("published_at", "pk"),
    )


def partner_claim_deletions() -> QuerySet[Claim]:
    """Claims that partners could once see and no longer can: withdrawn after their
    incident was published. (Claims of a withdrawn incident go with it: the incident is
    listed by incidents.selectors.partner_deletions.) A claim that was still waiting for
    an editor when it was withdrawn was never shown, so it is not listed either."""
    return (
        Claim.objects.filter(
            withdrawn_at__isnull=False, incident__published_at__lt=F("withdrawn_at")
        )
        .exclude(AWAITING_EDITOR)
        .select_related("incident")
        .only("pk", "public_id", "withdrawn_at", "incident__public_id")
    )


def is_visible_to_partners(claim: Claim | None) -> bool:
    """Return True if ``claim`` is one partners may see: visible_to_partners() for a claim
    already in memory (``reported_via`` links, evidence derivatives), with no query.

    ``claim.incident`` must already be loaded (see the select_related above).
    """
    from incidents.models import IncidentStatus

    if claim is None or claim.withdrawn_at is not None:
        return False
    incident = claim.incident
    if incident.status != IncidentStatus.PUBLISHED:
        return False
    awaiting_editor = (
        claim.status == ClaimStatus.UNVERIFIED and claim.created_at > incident.published_at
    )
    return not awaiting_editor


def partner_sources() -> QuerySet[Source]:
    """Sources with at least one visible claim, and the organisations they speak for."""
    visible = visible_claims()
    speaking = visible.filter(source=OuterRef("pk"))
    member_speaking = visible.filter(source__organisation=OuterRef("pk"))
    return Source.objects.filter(Q(Exists(speaking)) | Q(Exists(member_speaking)))


def evidence_locations(sha256, *, user=None, exclude_claim=None):
    """Return the evidence rows holding the file with this digest, with their claims and
    incidents loaded: where an uploaded file already appears.

    With ``user``, only incidents that user may see in the pages are included.
    """
    from incidents.models import Incident

    locations = (
        Evidence.objects.same_file(sha256)
        .select_related("claim__incident", "claim__source")
        .order_by("uploaded_at", "pk")
    )
    if user is not None:
        locations = locations.filter(claim__incident__in=Incident.objects.visible_to(user))
    if exclude_claim is not None:
        locations = locations.exclude(claim=exclude_claim)
    return locations


def in_review_queue(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims of ``claims`` that wait in the editors' review queue: unverified, not
    withdrawn, of incidents submitted for review or already published. A claim a journalist
    adds to a published incident waits here, hidden from partners, until an editor
    verifies, disputes or withdraws it."""
    from incidents.models import IncidentStatus

    return claims.live().filter(
        status=ClaimStatus.UNVERIFIED,
        incident__status__in=[IncidentStatus.SUBMITTED, IncidentStatus.PUBLISHED],
    )
