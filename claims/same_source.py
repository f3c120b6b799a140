"""What counts as the same source: one outlet, ministry or account is one Source, however its
name is typed. A journalist who names "CNN " as a new source when "CNN" is known gets the
known one (claims.services.create_claim), and nobody creates the second (create_source).

Two sources are the same when their names match ignoring case and spacing, and neither
their URLs (compared as claims.canonical_url compares them) nor their countries say
otherwise (one of the two may be blank). Witnesses and protected sources are never matched:
two witnesses with one name are two people, and a protected source stays with the
journalist who logged it.
"""

from django.db.models.functions import Upper

from claims.canonical_url import normalise_url
from claims.models import Source, SourceKind


def clean_name(name):
    """``name`` with its spacing tidied: "  Defence  Ministry " is "Defence Ministry"."""
    return " ".join((name or "").split())


def _address(url):
    url = (url or "").strip()
    if url.lower().startswith(("http://", "https://")):
        return normalise_url(url).lower()
    return url.lstrip("@").lower()


def _agree(one, other):
    return not one or not other or one == other


def is_matched(source):
    """Return True if ``source`` takes part in matching (neither a witness nor protected)."""
    return source.kind != SourceKind.WITNESS and not source.identity_protected


def existing_source(source, candidates=None):
    """The known source that ``source`` (unsaved) names again, or None. ``candidates``:
    the sources to look among (matched ones, read beforehand for many sources at once,
    see known_sources); by default the database is asked."""
    if not is_matched(source):
        return None
    name = clean_name(source.name)
    if not name:
        return None
    if candidates is None:
        candidates = (
            Source.objects.filter(name__iexact=name, identity_protected=False)
            .exclude(kind=SourceKind.WITNESS)
            .exclude(pk=source.pk)
            .order_by("pk")
        )
    else:
        candidates = [
            candidate
            for candidate in candidates
            if candidate.name.upper() == name.upper()
            and (candidate.pk is None or candidate.pk != source.pk)
            and is_matched(candidate)
        ]
    address = _address(source.url)
    agreeing = [
        candidate
        for candidate in candidates
        if _agree(_address(candidate.url), address) and _agree(candidate.country, source.country)
    ]
    # The one with the same address first, then the oldest.
    agreeing.sort(key=lambda candidate: _address(candidate.url) != address)
    return agreeing[0] if agreeing else None


def known_sources(names):
    """The stored sources existing_source may match to any of ``names``, in one query
    (oldest first), for existing_source's ``candidates``."""
    wanted = {clean_name(name).upper() for name in names} - {""}
    if not wanted:
        return []
    return list(
        Source.objects.annotate(upper_name=Upper("name"))
        .filter(upper_name__in=wanted, identity_protected=False)
        .exclude(kind=SourceKind.WITNESS)
        .order_by("pk")
    )
