"""What the review workspace shows about one claim: everything an editor needs to decide
on one screen — the claim and its source's record, the chain it is known through, its
incident with its place, dates, items, actors and other claims, its evidence with what the
files' metadata says against the incident's place and dates, and what is already logged
under the same URL, the same file or nearby.

Reads only, in a fixed number of queries whatever the numbers of claims, files or links.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext

from claims import rules, selectors
from claims.evidence.placement import place_evidence
from claims.models import Claim
from incidents import duplicates
from incidents.models import Actor, Incident, IncidentItem
from incidents.selectors import with_summary


def relay_chain(claim):
    """The claims ``claim`` is known through, nearest first, as far as
    claims.selectors.claim_for_review loaded them; and whether the chain goes on beyond."""
    chain, link = [], claim.reported_via
    while link is not None and len(chain) < selectors.RELAY_DEPTH:
        chain.append(link)
        if "reported_via" not in link._state.fields_cache:
            return chain, link.reported_via_id is not None
        link = link.reported_via
    return chain, link is not None


def incident_for_review(claim):
    """The claim's incident with its verification summary, place, actors and items."""
    return (
        with_summary(Incident.objects.filter(pk=claim.incident_id))
        .select_related("place")
        .prefetch_related(
            Prefetch("actors", queryset=Actor.objects.order_by("name", "pk")),
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category").order_by("pk"),
            ),
        )
        .get()
    )


def already_logged(claim, incident, evidence, user):
    """What Lootwatch already holds that looks like this claim: other claims citing its
    URL, its files on other claims, pictures on other claims that look like its own, and
    other incidents at or near its place within a few days of its dates (only what
    ``user`` may see)."""
    same_url = [
        other
        for other in duplicates.claims_with_urls(urls=[claim.url], user=user)
        if other.pk != claim.pk
    ]
    own = {item.pk for item in evidence}
    same_file = [
        other
        for other in duplicates.evidence_with_digests(
            digests=[item.sha256 for item in evidence], user=user
        )
        if other.pk not in own
    ]
    lookalikes = duplicates.evidence_looking_alike(
        perceptual_hashes=duplicates.perceptual_hashes_of(evidence),
        digests=[item.sha256 for item in evidence],
        user=user,
        exclude_claim=claim.pk,
    )
    nearby = [
        other
        for other in duplicates.incidents_nearby(
            user=user,
            occurred_from=incident.occurred_from,
            occurred_to=incident.occurred_to,
            latitude=incident.place.latitude,
            longitude=incident.place.longitude,
        )
        if other.pk != incident.pk
    ]
    return {
        "same_url": same_url,
        "same_file": same_file,
        "lookalikes": lookalikes,
        "nearby": nearby,
    }


def map_points(incident, readings):
    """The data- attributes of the small map: the incident's place, and where each photo
    with GPS says it was taken."""
    points = [
        {"lat": float(item.latitude), "lon": float(item.longitude), "label": label}
        for label, item in (
            (gettext("Photo %(number)d") % {"number": n}, reading)
            for n, (_, reading) in enumerate(readings, 1)
        )
        if item.has_location
    ]
    return {
        "latitude": float(incident.place.latitude),
        "longitude": float(incident.place.longitude),
        "label": incident.place.name,
        "photos": points,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def workspace(claim, user, view):
    """The context of the review workspace for ``claim`` (from
    claims.selectors.claim_for_review), as ``user`` sees it from ``view`` of the queue."""
    incident = incident_for_review(claim)
    evidence = list(claim.evidence.all())
    readings = [
        (
            item,
            place_evidence(
                item.metadata,
                place=incident.place,
                occurred_from=incident.occurred_from,
                occurred_to=incident.occurred_to,
                published_at=claim.published_at,
            ),
        )
        for item in evidence
    ]
    chain, chain_goes_on = relay_chain(claim)
    previous, following = selectors.queue_neighbours(claim, user, view)
    return {
        "claim": claim,
        "incident": incident,
        "source_record": selectors.source_record(claim.source),
        "chain": chain,
        "chain_goes_on": chain_goes_on,
        "siblings": list(selectors.sibling_claims(claim)),
        "evidence_readings": readings,
        "already_logged": already_logged(claim, incident, evidence, user),
        "map": map_points(incident, readings),
        "holder": rules.holder(claim),
        "may_take": rules.can_take(user, claim)
        and selectors.in_review_queue(Claim.objects.filter(pk=claim.pk)).exists(),
        "may_release": rules.can_release(user, claim),
        "held_by_another": rules.held_by_another(user, claim),
        "previous_claim": previous,
        "next_claim": following,
        "queue_view": view,
    }
