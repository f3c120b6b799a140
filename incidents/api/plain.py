"""Incidents as partners see them, built as plain dicts: the fast path behind
incidents.api.representation.

The same fields, in the same order, with the same values as IncidentSerializer (which stays
the schema's description of them), read from incidents.selectors.partner_incidents() and
asking the same model helpers and rules (Place.public_name, public_coordinates,
claims.rules with no user). tests/api/test_fast_path.py compares both byte for byte, in
JSON, GeoJSON and CSV, over every kind of record.
"""

from claims.api.plain import claim_data
from incidents import selectors
from incidents.models import LinkRole

DESTINATION, ORIGIN = str(LinkRole.DESTINATION), str(LinkRole.ORIGIN)


def _date(value):
    """A date as DRF's DateField writes it (ISO 8601), None as None."""
    return None if value is None else value.isoformat()


def place_data(place):
    """PlaceBriefSerializer's data: a home rounded and unnamed unless made public."""
    latitude, longitude = selectors.public_coordinates(place)
    return {
        "id": place.pk,
        "name": place.public_name,
        "country": place.country,
        "admin1": place.admin1,
        "latitude": float(latitude),
        "longitude": float(longitude),
        "precision": place.precision,
        "location_rounded": bool(place.location_is_rounded),
    }


def item_data(item):
    return {
        "category": item.category.slug,
        "category_name": item.category.name,
        "description": item.description,
        "quantity_min": item.quantity_min,
        "quantity_max": item.quantity_max,
    }


def route_point_data(point, claim_ids=None):
    """A route point as partners see it; ``claim_ids``: the public ids of the claims that
    support it, when read apart (else its prefetched partner_supporting_claims)."""
    if claim_ids is None:
        claim_ids = [claim.public_id for claim in point.partner_supporting_claims]
    return {
        "place": place_data(point.place),
        "date_from": _date(point.date_from),
        "date_to": _date(point.date_to),
        "note": point.note,
        "claims": [str(public_id) for public_id in claim_ids],
    }


def linked_data(incident):
    """The incident's links as Incident.linked_incidents() gives them, destinations first."""
    return [
        {"id": str(link.destination.public_id), "kind": link.kind, "role": DESTINATION}
        for link in incident.links_to_destinations.all()
    ] + [
        {"id": str(link.origin.public_id), "kind": link.kind, "role": ORIGIN}
        for link in incident.links_to_origins.all()
    ]


def incident_head(incident):
    """The incident's own fields and its place, first in IncidentSerializer's data."""
    return {
        "id": str(incident.public_id),
        "title": incident.title,
        "summary": incident.summary,
        "occurred_from": _date(incident.occurred_from),
        "occurred_to": _date(incident.occurred_to),
        "date_precision": incident.date_precision,
        "place": place_data(incident.place),
    }


def verification_data(incident):
    """The stored verification summary (with_stored_summary's columns)."""
    return {
        "claims": incident.claims_total,
        "verified": incident.claims_verified,
        "disputed": incident.claims_disputed,
        "unverified": incident.claims_unverified,
        "independent_sources": incident.independent_sources,
    }


def incident_data(incident, rendering):
    """IncidentSerializer's data of ``incident`` (from partner_incidents())."""
    return {
        **incident_head(incident),
        "actors": [
            {"id": actor.pk, "name": actor.name, "kind": actor.kind}
            for actor in incident.partner_actors
        ],
        "items": [item_data(item) for item in incident.partner_items],
        "verification": verification_data(incident),
        "assessment": str(incident.assessment),
        "claims": [claim_data(claim, rendering) for claim in incident.partner_claims],
        "route": [route_point_data(point) for point in incident.partner_route],
        "linked_incidents": linked_data(incident),
        "created_at": rendering.time(incident.created_at),
        "updated_at": rendering.time(incident.updated_at),
    }
