"""Reads of claims, sources and evidence for each audience, built from the rules in
claims.rules and incidents.rules only: no read decides visibility by itself.

Partners see live claims of published incidents that are not waiting for an editor, the
sources that made them, and the derivatives of their evidence. They never see who submitted
or reviewed a claim, internal notes, withdrawal reasons, or anything about original evidence
files. Journalists and editors see the claims of every incident they may see.
"""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat

from claims import rules
from claims.evidence import fingerprint
from claims.models import (
    PROTECTED_LABEL_PREFIX,
    WITNESS_LABEL_PREFIX,
    Claim,
    ClaimStatus,
    CustodyEvent,
    Evidence,
    EvidenceKind,
    PerceptualHash,
    Review,
    Source,
    SourceKind,
)
from claims.relay_rule import visible_relay

# Partners.


def visible_claims() -> QuerySet[Claim]:
    """The claims partners may see (claims.rules.visible_to_partners)."""
    return Claim.objects.filter(rules.visible_to_partners())


def visible_claims_of_incident() -> Q:
    """The partner rule seen from an incident: the ``claim_filter`` partners' reads pass to
    incidents.selectors.with_summary() and IncidentQuerySet.search()."""
    return rules.visible_to_partners("claims__", incident="")


def summarised_claims_of_incident() -> Q:
    """The stored summary's ``claim_filter`` (claims.services.summaries): the claims partners
    see once the incident is published (visible_claims_of_incident() on a published one)."""
    return ~rules.awaiting_editor("claims__", incident="")


def with_visible_relay(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate ``reported_via_public_id``: the claim it is known through, if partners see it."""
    return claims.annotate(reported_via_public_id=visible_relay())


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
    """The claims partners may see, ready to serialize without a query per row."""
    return with_visible_relay(
        visible_claims().select_related("source", "incident").prefetch_related(partner_evidence())
    )


def partner_evidence() -> Prefetch:
    """The Prefetch listing a claim's evidence partners may see in ``partner_evidence``."""
    return Prefetch("evidence", queryset=evidence_with_derivatives(), to_attr="partner_evidence")


def partner_claims_of_incidents() -> Prefetch:
    """The Prefetch listing an incident's visible claims (oldest first) in partner_claims."""
    return Prefetch(
        "claims",
        queryset=with_visible_relay(
            visible_claims()
            .select_related("source")
            .prefetch_related(partner_evidence())
            .order_by("published_at", "pk")
        ),
        to_attr="partner_claims",
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
        .exclude(rules.awaiting_editor())
        .select_related("incident")
        .only("pk", "public_id", "withdrawn_at", "incident__public_id")
    )


def partner_sources() -> QuerySet[Source]:
    """Sources with at least one visible claim, and the organisations they speak for.

    ``public_name`` is the name partners see (the label of a protected source), for sorting:
    sorting on the real names would place a witness among them. An organisation is listed
    for its unprotected members only, since a protected source's organisation is withheld.
    """
    visible = visible_claims()
    speaking = visible.filter(source=OuterRef("pk"))
    member_speaking = visible.filter(source__organisation=OuterRef("pk")).exclude(
        rules.identity_protected("source__")
    )
    return Source.objects.filter(Q(Exists(speaking)) | Q(Exists(member_speaking))).annotate(
        public_name=public_source_name()
    )


def public_source_name(prefix="") -> Case:
    """The name partners see of the source at ``prefix``, as an SQL expression: the real
    name, or for a protected source its public label (as Source.public_label spells it)."""
    protected = rules.identity_protected(prefix)
    return Case(
        When(
            protected & Q(**{f"{prefix}kind": SourceKind.WITNESS}),
            then=Concat(Value(WITNESS_LABEL_PREFIX), f"{prefix}public_code"),
        ),
        When(protected, then=Concat(Value(PROTECTED_LABEL_PREFIX), f"{prefix}public_code")),
        default=F(f"{prefix}name"),
        output_field=CharField(),
    )


# Evidence, for whoever asks for a derivative.


def evidence_for_serving() -> QuerySet[Evidence]:
    """Evidence with what deciding who may see its derivatives needs: ``is_public`` (its
    claim is one partners may see) and the claim's incident id."""
    return (
        Evidence.objects.select_related("claim")
        .only("public_id", "display", "thumbnail", "claim__incident_id")
        .annotate(
            is_public=ExpressionWrapper(
                rules.visible_to_partners("claim__"), output_field=BooleanField()
            )
        )
    )


def may_see_derivatives(user, evidence) -> bool:
    """Return True if ``user`` may see the display image and thumbnail of ``evidence`` (from
    evidence_for_serving).

    Anyone once they are public. Before that, staff with claims.view_evidence who may see
    the incident in the pages (incidents.rules.visible_to_staff: not another journalist's
    draft), and editors, who review every incident in the admin and may download every
    original (claims.download_original) anyway.
    """
    if evidence.is_public:
        return True
    if not user.is_authenticated or not user.has_perm("claims.view_evidence"):
        return False
    if user.has_perm("claims.download_original"):
        return True
    return evidence_seen_by(user).filter(pk=evidence.pk).exists()


def evidence_locations(sha256, *, user=None, exclude_claim=None) -> QuerySet[Evidence]:
    """Return the evidence rows holding the file with this digest, with their claims and
    incidents loaded: where an uploaded file already appears.

    With ``user``, only incidents that user may see in the pages are included.
    """
    locations = (
        Evidence.objects.same_file(sha256)
        .select_related("claim__incident", "claim__source")
        .order_by("uploaded_at", "pk")
    )
    if user is not None:
        locations = locations.filter(rules.visible_to_staff(user, "claim__"))
    if exclude_claim is not None:
        locations = locations.exclude(claim=exclude_claim)
    return locations


# Near duplicates: the same picture, resized, recompressed or cropped a little.


def near_duplicate_evidence(evidence, *, user=None, limit=20) -> list[Evidence]:
    """Return the evidence of other claims whose picture looks like ``evidence``'s: its
    perceptual hash within claims.evidence.fingerprint.NEAR_DUPLICATE_DISTANCE bits, closest
    first, each with ``distance`` (differing bits) and ``same_file`` (the identical file).

    Empty for evidence without a perceptual hash (PDFs, page captures). With ``user``, only
    evidence of incidents that user may see in the pages.
    """
    stored = PerceptualHash.objects.filter(evidence=evidence).first()
    if stored is None:
        return []
    found = evidence_resembling([stored.as_int], user=user, exclude_claim=evidence.claim_id)
    for item in found:
        item.same_file = item.sha256 == evidence.sha256
    return found[:limit]


def evidence_resembling(values, *, user=None, exclude_claim=None) -> list[Evidence]:
    """The evidence whose perceptual hash is within the near-duplicate distance of one of
    ``values`` (perceptual hashes as ints), closest first, then oldest; each with
    ``distance`` to the closest of ``values`` and ``resembles``, that value. Three queries
    whatever the number of values.

    The band indexes give the candidates (multi-index hashing, claims.evidence.fingerprint);
    only those are compared bit by bit, so the cost grows with the number of look-alikes,
    not with the number of images held.
    """
    values = set(values)
    if not values:
        return []
    condition = Q()
    for value in values:
        condition |= fingerprint.candidates_condition(value)
    candidates = PerceptualHash.objects.filter(condition)
    if exclude_claim is not None:
        candidates = candidates.exclude(evidence__claim_id=exclude_claim)
    if user is not None:
        candidates = candidates.filter(rules.visible_to_staff(user, "evidence__claim__"))
    closest = {}
    for evidence_id, stored in candidates.values_list("evidence_id", "value").iterator():
        bits, value = min((fingerprint.distance(value, int(stored, 16)), value) for value in values)
        if bits <= fingerprint.NEAR_DUPLICATE_DISTANCE:
            closest[evidence_id] = (bits, value)
    found = list(
        Evidence.objects.filter(pk__in=closest)
        .select_related("claim__incident", "claim__source")
        .order_by("uploaded_at", "pk")
    )
    for item in found:
        item.distance, item.resembles = closest[item.pk]
    return sorted(found, key=lambda item: item.distance)


def images_without_perceptual_hash() -> QuerySet[Evidence]:
    """Evidence images uploaded before perceptual hashes were kept, oldest first."""
    return Evidence.objects.filter(kind=EvidenceKind.IMAGE, perceptual_hash__isnull=True).order_by(
        "pk"
    )


# Editors.


def in_review_queue(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims of ``claims`` that wait in the editors' review queue: unverified, not
    withdrawn, of incidents submitted for review or already published. A claim a journalist
    adds to a published incident waits here, hidden from partners, until an editor
    verifies, disputes or withdraws it."""
    return claims.filter(rules.awaiting_review())


# Which claims of the queue each choice of the "taken" filter shows, for one editor.
QUEUE_VIEWS = {
    "all": lambda user: Q(),
    "mine": lambda user: rules.taken_by(user),
    "unassigned": lambda user: ~rules.taken(),
    "others": lambda user: rules.taken() & ~Q(assigned_to=user),
    # Where j and k lead by default: whatever nobody else holds.
    "available": lambda user: ~rules.taken() | rules.taken_by(user),
}


def review_queue_for(user, claims: QuerySet[Claim], view="all") -> QuerySet[Claim]:
    """The claims of ``claims`` in ``user``'s view of the review queue (a QUEUE_VIEWS key:
    all, mine, unassigned, others, available), oldest first."""
    condition = QUEUE_VIEWS.get(view, QUEUE_VIEWS["all"])(user)
    return in_review_queue(claims).filter(condition).order_by("created_at", "pk")


def review_queue_counts(user) -> dict:
    """How many claims wait in the queue, how many ``user`` holds and how many other
    editors hold, and how many nobody holds: one query."""
    counts = in_review_queue(Claim.objects.all()).aggregate(
        awaiting=Count("pk"),
        mine=Count("pk", filter=rules.taken_by(user)),
        taken=Count("pk", filter=rules.taken()),
    )
    counts["others"] = counts["taken"] - counts["mine"]
    counts["unassigned"] = counts["awaiting"] - counts["taken"]
    return counts


def queue_neighbours(claim, user, view="available"):
    """Return the claims before and after ``claim`` in ``user``'s view of the queue
    (oldest first), either None at an end. ``claim`` itself need not be in the queue any
    more: after a decision, "next" is the claim that waited after it."""
    queue = review_queue_for(user, Claim.objects.all(), view).exclude(pk=claim.pk)
    after = Q(created_at__gt=claim.created_at) | Q(created_at=claim.created_at, pk__gt=claim.pk)
    previous = queue.exclude(after).order_by("-created_at", "-pk").first()
    following = queue.filter(after).first()
    return previous, following


# How far the workspace follows a claim's `reported_via` chain in its one query.
RELAY_DEPTH = 4


def claim_for_review(pk) -> Claim | None:
    """The claim with this pk as the review workspace shows it: its source and
    organisation, incident and place, who logged it, who holds it, the chain of claims it
    is known through (RELAY_DEPTH links, with their sources), its evidence and its
    reviews."""
    relays = ["reported_via" + "__reported_via" * depth for depth in range(RELAY_DEPTH)]
    return (
        Claim.objects.select_related(
            "source__organisation",
            "incident__place",
            "submitted_by",
            "assigned_to",
            *relays,
            *(f"{relay}__source" for relay in relays),
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("perceptual_hash").order_by(
                    "uploaded_at", "pk"
                ),
            ),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        )
        .filter(pk=pk)
        .first()
    )


def claims_for_dossier(incident) -> QuerySet[Claim]:
    """Every claim of ``incident``, withdrawn ones included, as its dossier records them:
    source, who logged it, the claim it is known through, its reviews with their reviewers,
    its evidence with uploaders, perceptual hashes and chains of custody. A fixed number of
    queries."""
    return (
        Claim.objects.filter(incident=incident)
        .select_related("source__organisation", "submitted_by", "reported_via__source")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("uploaded_by")
                .prefetch_related(
                    Prefetch("custody", queryset=CustodyEvent.objects.select_related("actor"))
                )
                .order_by("uploaded_at", "pk"),
            ),
        )
        .order_by("published_at", "pk")
    )


def source_record(source) -> dict:
    """How ``source``'s live claims have fared in review: claims, verified, disputed,
    unverified. One query."""
    claims = Claim.objects.filter(rules.live(), source=source)
    return claims.aggregate(
        claims=Count("pk"),
        verified=Count("pk", filter=Q(status=ClaimStatus.VERIFIED)),
        disputed=Count("pk", filter=Q(status=ClaimStatus.DISPUTED)),
        unverified=Count("pk", filter=Q(status=ClaimStatus.UNVERIFIED)),
    )


def sibling_claims(claim) -> QuerySet[Claim]:
    """The other claims of ``claim``'s incident, withdrawn ones included (marked as such
    by their ``withdrawn_at``), in the order they were published."""
    return (
        Claim.objects.filter(incident_id=claim.incident_id)
        .exclude(pk=claim.pk)
        .select_related("source")
        .order_by("published_at", "pk")
    )


# Journalists and editors, in the pages.


def claims_seen_by(user) -> QuerySet[Claim]:
    """The claims of the incidents ``user`` may see in the pages, withdrawn ones included."""
    return Claim.objects.filter(rules.visible_to_staff(user))


def live_claims_seen_by(user) -> QuerySet[Claim]:
    """The live claims of the incidents ``user`` may see in the pages: what the pages'
    search and claim filters look at (a withdrawn claim's words find nothing)."""
    return claims_seen_by(user).filter(rules.live())


def evidence_seen_by(user) -> QuerySet[Evidence]:
    """The evidence of the claims ``user`` may see in the pages."""
    return Evidence.objects.filter(rules.visible_to_staff(user, "claim__"))
