"""An incident's representation as CSV columns: the partner API's ``?format=csv`` and the
export (exchange/formats.py) both read their columns from here, so the shared ones are
named and written the same way. README's partner API section documents the cells."""

from incidents.models import quantity_range

LIST_SEPARATOR = "; "


def joined(values):
    """Non-empty values as one cell, joined by ``; ``."""
    return LIST_SEPARATOR.join(value for value in values if value)


def quantity_suffix(item):
    """`` (100–999)`` after an item's text, or nothing when its quantity is unknown."""
    quantity = quantity_range(item["quantity_min"], item["quantity_max"])
    return f" ({quantity})" if quantity else ""


def route_cell(route):
    """The route as one CSV cell: each point as ``Name (CC) latitude,longitude``, with its
    dates as an ISO 8601 interval (``2022-04-01/2022-04-03``) when known, in order and
    joined by `` > ``."""
    points = []
    for point in route:
        place = point["place"]
        text = f"{place['name']} ({place['country']}) {place['latitude']},{place['longitude']}"
        if point["date_from"]:
            text += f" {point['date_from']}/{point['date_to']}"
        points.append(text)
    return " > ".join(points)


def linked_incidents_cell(links):
    """The linked incidents as one CSV cell: ``role:kind:id`` joined by ``; ``."""
    return joined(f"{link['role']}:{link['kind']}:{link['id']}" for link in links)


# (column, value of an incident's representation): when and where, as partners see it.
INCIDENT_PLACE_COLUMNS = [
    ("id", lambda row: row["id"]),
    ("title", lambda row: row["title"]),
    ("summary", lambda row: row["summary"]),
    ("occurred_from", lambda row: row["occurred_from"]),
    ("occurred_to", lambda row: row["occurred_to"]),
    ("date_precision", lambda row: row["date_precision"]),
    ("place_id", lambda row: row["place"]["id"]),
    ("place", lambda row: row["place"]["name"]),
    ("country", lambda row: row["place"]["country"]),
    ("admin1", lambda row: row["place"]["admin1"]),
    ("latitude", lambda row: row["place"]["latitude"]),
    ("longitude", lambda row: row["place"]["longitude"]),
    ("location_precision", lambda row: row["place"]["precision"]),
    ("location_rounded", lambda row: row["place"]["location_rounded"]),
]

# Whose route and links, and the record's own times: the columns after the rest.
INCIDENT_LINK_COLUMNS = [
    ("route", lambda row: route_cell(row["route"])),
    ("linked_incidents", lambda row: linked_incidents_cell(row["linked_incidents"])),
    ("created_at", lambda row: row["created_at"]),
    ("updated_at", lambda row: row["updated_at"]),
]

# The partner API's incident CSV: one row per incident, its claims summarised.
INCIDENT_CSV_COLUMNS = [
    *INCIDENT_PLACE_COLUMNS,
    ("actors", lambda row: joined(actor["name"] for actor in row["actors"])),
    (
        "items",
        lambda row: joined(
            f"{item['category']}: {item['description'] or item['category_name']}"
            f"{quantity_suffix(item)}"
            for item in row["items"]
        ),
    ),
    ("claims", lambda row: row["verification"]["claims"]),
    ("verified", lambda row: row["verification"]["verified"]),
    ("disputed", lambda row: row["verification"]["disputed"]),
    ("unverified", lambda row: row["verification"]["unverified"]),
    ("independent_sources", lambda row: row["verification"]["independent_sources"]),
    ("assessment", lambda row: row["assessment"]),
    ("claim_ids", lambda row: joined(claim["id"] for claim in row["claims"])),
    (
        "claim_dispute_reasons",
        lambda row: joined(
            f"{claim['id']}: {claim['dispute_reason']}"
            for claim in row["claims"]
            if claim["dispute_reason"]
        ),
    ),
    *INCIDENT_LINK_COLUMNS,
]
