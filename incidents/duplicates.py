"""Finding what is already in Lootwatch while a journalist logs something new.

A news report is often picked up by several people: before anything is saved, the log form
warns when a claim URL or an evidence file is already held, or when an incident at or near
the same place and within a few days of the given dates exists, with links so the journalist
can add to the existing incident instead. Only incidents the journalist may see are mentioned.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db.models import Q

from claims.models import Claim, Evidence
from incidents.models import Incident

# Incidents this many days either side of the given range count as "within a few days".
NEARBY_DAYS = 3
# Places within this many degrees (about 2 km) of new coordinates count as the same place.
NEARBY_DEGREES = Decimal("0.02")
# Host prefixes that name the same site (mobile and www variants).
HOST_PREFIXES = ("www.", "mobile.", "m.")
# Hosts that are one site under two names.
HOST_ALIASES = {"x.com": "twitter.com"}
# Query parameters that say how a link was shared, not what it points to.
TRACKING_PARAMS = {"s", "t", "fbclid", "igshid", "ref"}


@dataclass
class DuplicateReport:
    """What already exists that looks like what is being logged."""

    claims: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    incidents: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.claims or self.evidence or self.incidents)


def shifted(day, days):
    """``day`` moved by ``days``, stopping at the first or last representable date."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def normalise_url(url):
    """The form of ``url`` under which its everyday variants compare equal.

    ``https://x.com/DefenceU/status/1?s=20`` and ``http://www.twitter.com/DefenceU/status/1/``
    both become ``twitter.com/DefenceU/status/1``: the scheme, ``www.``/``mobile.``/``m.``,
    tracking parameters (``s``, ``t``, ``utm_*``, ``fbclid``, ``igshid``, ``ref``), the
    fragment and a trailing slash are dropped, the host is lowercased and x.com is
    twitter.com. The path keeps its case (it matters on most sites)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        # Not a URL that can be taken apart (say a stray bracket): compare it as typed.
        return url.strip()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    host = HOST_ALIASES.get(host, host)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, urlencode(query), "")).lstrip("/")


def url_search_term(normalised):
    """A distinctive piece of a normalised URL that every stored variant of it contains
    (the longest run of path characters, e.g. a post's id), to narrow the database search."""
    host, _, rest = normalised.partition("/")
    pieces = [piece for piece in re.split(r"[/?&=]", rest) if piece]
    return max(pieces, key=len) if pieces else host


def claims_with_urls(*, urls, user):
    """Claims already citing one of ``urls`` or one of their everyday variants (see
    normalise_url), in incidents ``user`` may see."""
    wanted = {normalise_url(url) for url in urls if url and url.strip()}
    wanted.discard("")
    if not wanted:
        return []
    # Stored URLs are kept as given: find candidates by a distinctive piece in the
    # database, then compare their normalised forms here.
    prefilter = Q()
    for normalised in wanted:
        prefilter |= Q(url__icontains=url_search_term(normalised))
    candidates = (
        Claim.objects.filter(prefilter, incident__in=Incident.objects.visible_to(user))
        .select_related("incident", "source")
        .order_by("incident__occurred_from", "pk")
    )
    matches = []
    for claim in candidates.iterator(chunk_size=200):
        if normalise_url(claim.url) in wanted:
            matches.append(claim)
            if len(matches) == 20:
                break
    return matches


def evidence_with_digests(*, digests, user):
    """Evidence files with one of these SHA-256 digests, in incidents ``user`` may see."""
    digests = {digest.strip().lower() for digest in digests if digest and digest.strip()}
    if not digests:
        return []
    evidence = Evidence.objects.filter(
        sha256__in=digests, claim__incident__in=Incident.objects.visible_to(user)
    ).select_related("claim__incident", "claim__source")
    return list(evidence.order_by("uploaded_at", "pk")[:20])


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
    incidents = Incident.objects.visible_to(user).filter(
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
        incidents=incidents_nearby(
            user=user,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            place=place,
            latitude=latitude,
            longitude=longitude,
        ),
    )
