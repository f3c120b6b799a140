"""The order an incident's claims are read in: the order they were made, each followed by
the claims known through it (``reported_via``), so that a quote relayed by a report comes
after the report and the chain from first appearance to what we read is seen as a chain."""

from datetime import UTC, datetime

# Deeper relays are shown at this depth: a chain of four outlets is rare, and the page
# must not indent a claim off a phone's screen.
MAX_DEPTH = 3
_LAST = datetime.max.replace(tzinfo=UTC)


def _made(claim):
    """When ``claim`` was made: its publication, or failing that its logging."""
    return (claim.published_at or claim.created_at or _LAST, claim.pk or 0)


def in_relay_order(claims):
    """Return ``claims`` as (claim, depth, chain) in reading order: those known through no
    other claim of the list by when they were made, each followed by the claims known
    through it (depth 1, 2, …, at most MAX_DEPTH). ``chain`` lists the claims it came
    through, nearest first. Reads ``reported_via_id`` only: no query."""
    claims = list(claims)
    by_pk = {claim.pk: claim for claim in claims}
    relayed = {}
    for claim in claims:
        relayed.setdefault(claim.reported_via_id if claim.reported_via_id in by_pk else None, [])
        relayed[claim.reported_via_id if claim.reported_via_id in by_pk else None].append(claim)
    ordered, seen = [], set()

    def visit(claim, chain):
        if claim.pk in seen:
            return
        seen.add(claim.pk)
        ordered.append((claim, min(len(chain), MAX_DEPTH), chain))
        for relay in sorted(relayed.get(claim.pk, ()), key=_made):
            visit(relay, [claim, *chain])

    for claim in sorted(relayed.get(None, ()), key=_made):
        visit(claim, [])
    # A loop of claims each known through the next (which the forms never make) is still
    # shown, at the end, rather than lost.
    for claim in sorted(claims, key=_made):
        visit(claim, [])
    return ordered
