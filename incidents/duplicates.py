"""Finding what is already in Lootwatch while a journalist logs something new.

A news report is often picked up by several people: before anything is saved, the log form
warns when a claim URL or an evidence file is already held, when a picture looks like one
already held (resized, recompressed or cropped: claims.selectors.evidence_resembling), or
when an incident at or near the same place and within a few days of the given dates exists,
with links so the journalist can add to the existing incident instead. Only incidents the
journalist may see are mentioned.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from claims import selectors as claim_selectors
from claims.canonical_url import normalise_url, url_search_terms
from claims.models import Claim, Evidence
from incidents import selectors

# Incidents this many days either side of the given range count as "within a few days".
NEARBY_DAYS = 3
# Places within this many degrees (about 2 km) of new coordinates count as the same place.
NEARBY_DEGREES = Decimal("0.02")


@dataclass
class DuplicateReport:
    """What already exists that looks like what is being logged."""

    claims: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    lookalikes: list = field(default_factory=list)
    incidents: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.claims or self.evidence or self.lookalikes or self.incidents)

    def by_incident(self):
        """Each incident that matched, once, in the order first found, with the reasons it
        matched (a Match): the same URL, the same file, a picture that looks the same, the
        place and dates."""
        matches = {}

        def add(incident, reason, found=None, item=None):
            match = matches.setdefault(incident.pk, Match(incident=incident))
            if reason not in match.reasons:
                match.reasons.append(reason)
            if found is not None:
                getattr(match, found).append(item)

        for claim in self.claims:
            add(claim.incident, SAME_URL, "claims", claim)
        for evidence in self.evidence:
            add(evidence.claim.incident, SAME_FILE, "evidence", evidence)
        for evidence in self.lookalikes:
            add(evidence.claim.incident, LOOKS_THE_SAME, "lookalikes", evidence)
        for incident in self.incidents:
            add(incident, PLACE_AND_DATE)
        return list(matches.values())


# Why an incident matched, as the log form's tags say it.
SAME_URL = "same URL"
SAME_FILE = "same file"
LOOKS_THE_SAME = "similar picture"
PLACE_AND_DATE = "same place and dates"


@dataclass
class Match:
    """One incident that looks like what is being logged, and why: its claims citing the
    same URL, its evidence with the same file or a picture that looks the same."""

    incident: object
    reasons: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    lookalikes: list = field(default_factory=list)


def shifted(day, days):
    """``day`` moved by ``days``, stopping at the first or last representable date."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def claims_with_urls(*, urls, user):
    """Claims already citing one of ``urls`` or one of their everyday variants (see
    claims.canonical_url), or whose saved page capture names one of them as its canonical
    address, in incidents ``user`` may see (at most 20, in their incidents' date order)."""
    return first_claims(claims_with_each_url(urls=urls, user=user).values())


# Matches named per URL, digest or place: what a person reads.
MATCHES = 20


def first_claims(groups):
    """The first 20 claims of ``groups`` (lists of claims_with_each_url's answers), each
    once, in their incidents' date order: claims_with_urls for the URLs asked together."""
    found = {claim.pk: claim for claims in groups for claim in claims}
    return sorted(found.values(), key=lambda c: (c.incident.occurred_from, c.pk))[:MATCHES]


def first_evidence(groups):
    """The first 20 evidence files of ``groups`` (lists of evidence_with_each_digest's
    answers), oldest first: evidence_with_digests for the digests asked together."""
    found = {item.pk: item for items in groups for item in items}
    return sorted(found.values(), key=lambda item: (item.uploaded_at, item.pk))[:MATCHES]


def claims_with_each_url(*, urls, user):
    """claims_with_urls for each of many URLs at once (an import's batch of lines), in one
    query: {normalised URL: its claims, at most 20, in their incidents' date order}."""
    wanted = {normalise_url(url) for url in urls if url and url.strip()}
    wanted.discard("")
    if connection.vendor == "postgresql" or len(wanted) <= SQLITE_URLS:
        return _claims_with_each(wanted, user)
    ordered, matches = sorted(wanted), {}
    for start in range(0, len(ordered), SQLITE_URLS):
        matches.update(_claims_with_each(set(ordered[start : start + SQLITE_URLS]), user))
    return matches


# SQLite parses "a OR b OR …" one level deeper per condition and refuses a statement over
# 1,000 levels: there the URLs are asked a hundred at a time, each by its longest pieces.
SQLITE_URLS = 100
SQLITE_PIECES = 4


def _claims_with_each(wanted, user):
    if not wanted:
        return {}
    # Stored URLs are kept as given: find candidates by the pieces every variant holds
    # (a trigram index answers these on PostgreSQL), then compare their normalised forms
    # here.
    terms = [url_search_terms(normalised) for normalised in sorted(wanted)]
    candidates = (
        claim_selectors.claims_seen_by(user)
        .filter(pk__in=_holding_every_piece(terms))
        .select_related("incident", "source")
        .prefetch_related("evidence")
        .order_by("incident__occurred_from", "pk")
    )
    matches = {}
    full = set()
    for claim in candidates.iterator(chunk_size=200):
        addresses = {claim.url} | {
            evidence.metadata.get("canonical_url", "") for evidence in claim.evidence.all()
        }
        for normalised in {normalise_url(address) for address in addresses if address}:
            if normalised in wanted and normalised not in full:
                matches.setdefault(normalised, []).append(claim)
                if len(matches[normalised]) == MATCHES:
                    full.add(normalised)
        if full == wanted:
            break
    return matches


def _holding_every_piece(terms):
    """The ids of claims whose URL, or whose page capture's canonical address, holds every
    piece of one of ``terms`` (a list of pieces per URL), case aside.

    Claims and captures are asked separately and united: one condition across the join of
    claims and their evidence could use neither index, and read every claim. On PostgreSQL
    the statement is written here: an import's batch asks about 2,000 URLs at once, and the
    ORM spent seconds building its 16,000 conditions (the SQL is what it would write,
    upper-cased "contains" that the trigram index on claims' URLs answers)."""
    if connection.vendor != "postgresql":
        terms = [each[:SQLITE_PIECES] for each in terms]  # the longest first
        cited = Q(*(Q(*(Q(url__icontains=t) for t in each)) for each in terms), _connector="OR")
        captured = Q(
            *(Q(*(Q(metadata__canonical_url__icontains=t) for t in each)) for each in terms),
            _connector="OR",
        )
        # Unordered: SQLite refuses an ORDER BY (the models' own) inside a UNION.
        return (
            Claim.objects.filter(cited)
            .order_by()
            .values("pk")
            .union(Evidence.objects.filter(captured).order_by().values("claim_id"))
        )

    def holding(column):
        return " OR ".join(
            "(" + " AND ".join(f"upper({column}) LIKE upper(%s)" for __ in each) + ")"
            for each in terms
        )

    patterns = [f"%{connection.ops.prep_for_like_query(t)}%" for each in terms for t in each]
    captured = holding("metadata ->> 'canonical_url'")
    sql = (
        f"SELECT id FROM claims_claim WHERE {holding('url')} "  # noqa: S608 (placeholders only)
        f"UNION SELECT claim_id FROM claims_evidence WHERE {captured}"
    )
    # Every value is a parameter; the SQL is column names and placeholders.
    return RawSQL(sql, [*patterns, *patterns])  # noqa: S611


def evidence_with_digests(*, digests, user):
    """Evidence files with one of these SHA-256 digests, in incidents ``user`` may see."""
    digests = {digest.strip().lower() for digest in digests if digest and digest.strip()}
    if not digests:
        return []
    evidence = (
        claim_selectors.evidence_seen_by(user)
        .filter(sha256__in=digests)
        .select_related("claim__incident", "claim__source")
    )
    return list(evidence.order_by("uploaded_at", "pk")[:MATCHES])


def evidence_with_each_digest(*, digests, user):
    """evidence_with_digests for each of many digests at once (an import's batch), in one
    query: {digest: its evidence, at most 20, oldest first}."""
    digests = {digest.strip().lower() for digest in digests if digest and digest.strip()}
    found = {}
    if not digests:
        return found
    evidence = (
        claim_selectors.evidence_seen_by(user)
        .filter(sha256__in=digests)
        .select_related("claim__incident", "claim__source")
        .order_by("uploaded_at", "pk")
    )
    for item in evidence:
        held = found.setdefault(item.sha256, [])
        if len(held) < MATCHES:
            held.append(item)
    return found


def perceptual_hashes_of(evidence):
    """The perceptual hashes of these evidence rows (loaded with ``perceptual_hash``), as
    ints; PDFs and page captures have none."""
    hashes = []
    for item in evidence:
        try:
            hashes.append(item.perceptual_hash.as_int)
        except ObjectDoesNotExist:
            continue
    return hashes


def evidence_looking_alike(*, perceptual_hashes, user, digests=(), exclude_claim=None):
    """Evidence whose picture looks like one with these perceptual hashes (a resized,
    recompressed or slightly cropped copy, or the original of one), in incidents ``user``
    may see, closest first; not the very files with these ``digests``, which
    evidence_with_digests lists."""
    digests = {digest.strip().lower() for digest in digests if digest}
    found = claim_selectors.evidence_resembling(
        perceptual_hashes, user=user, exclude_claim=exclude_claim
    )
    return [item for item in found if item.sha256 not in digests][:20]


def incidents_nearby(
    *,
    user,
    occurred_from,
    occurred_to=None,
    place=None,
    latitude=None,
    longitude=None,
):
    """Incidents at ``place`` (or within about 2 km of the given coordinates) whose dates
    overlap the given range widened by a few days on either side."""
    if occurred_from is None:
        return []
    occurred_to = occurred_to if occurred_to and occurred_to >= occurred_from else occurred_from
    incidents = selectors.visible_incidents(user).filter(
        occurred_from__lte=shifted(occurred_to, NEARBY_DAYS),
        occurred_to__gte=shifted(occurred_from, -NEARBY_DAYS),
    )
    if place is not None:
        incidents = incidents.filter(place=place)
    elif latitude is not None and longitude is not None:
        incidents = incidents.filter(
            place__latitude__range=(latitude - NEARBY_DEGREES, latitude + NEARBY_DEGREES),
            place__longitude__range=(longitude - NEARBY_DEGREES, longitude + NEARBY_DEGREES),
        )
    else:
        return []
    return list(incidents.select_related("place").order_by("-occurred_from", "pk")[:20])


def find_duplicates(
    *,
    user,
    urls=(),
    digests=(),
    perceptual_hashes=(),
    occurred_from=None,
    occurred_to=None,
    place=None,
    latitude=None,
    longitude=None,
):
    """Return a DuplicateReport for what is being logged."""
    return DuplicateReport(
        claims=claims_with_urls(urls=urls, user=user),
        evidence=evidence_with_digests(digests=digests, user=user),
        lookalikes=evidence_looking_alike(
            perceptual_hashes=perceptual_hashes, digests=digests, user=user
        ),
        incidents=incidents_nearby(
            user=user,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            place=place,
            latitude=latitude,
            longitude=longitude,
        ),
    )
