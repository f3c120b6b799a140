"""The file formats import and export share: JSON Lines (one incident per line, the partner
API's representation, plus a ``staff`` object with ``--staff``) and CSV (one row per claim
with its incident's columns). README's "Import and export" section documents both."""

from incidents.api.views import linked_incidents_cell, route_cell
from incidents.models import quantity_range

ITEM_SEPARATOR = "; "


def items_cell(items):
    """Items as one CSV cell that reads back: ``slug: description (quantity)`` joined by
    ``; ``, the description and quantity left out when empty: ``cars: cars (100–999);
    jewellery``."""
    cells = []
    for item in items:
        text = item["category"]
        if item["description"]:
            text += f": {item['description']}"
        quantity = quantity_range(item["quantity_min"], item["quantity_max"])
        if quantity:
            text += f" ({quantity})"
        cells.append(text)
    return ITEM_SEPARATOR.join(cells)


def _staff(row, *keys):
    value = row.get("staff") or {}
    for key in keys:
        value = (value or {}).get(key)
    return value


# (column, value of an incident's representation); the names are the API's where it has one.
INCIDENT_COLUMNS = [
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
    ("actors", lambda row: ITEM_SEPARATOR.join(actor["name"] for actor in row["actors"])),
    ("actor_kinds", lambda row: ITEM_SEPARATOR.join(actor["kind"] for actor in row["actors"])),
    ("items", lambda row: items_cell(row["items"])),
    ("assessment", lambda row: row["assessment"]),
    ("route", lambda row: route_cell(row["route"])),
    ("linked_incidents", lambda row: linked_incidents_cell(row["linked_incidents"])),
    ("created_at", lambda row: row["created_at"]),
    ("updated_at", lambda row: row["updated_at"]),
]

# (column, value of a claim's representation).
CLAIM_COLUMNS = [
    ("claim_id", lambda claim: claim["id"]),
    ("source_id", lambda claim: claim["source"]["id"]),
    ("source", lambda claim: claim["source"]["name"]),
    ("source_kind", lambda claim: claim["source"]["kind"]),
    ("medium", lambda claim: claim["medium"]),
    ("url", lambda claim: claim["url"]),
    ("archived_url", lambda claim: claim["archived_url"]),
    ("published_at", lambda claim: claim["published_at"]),
    ("language", lambda claim: claim["language"]),
    ("text", lambda claim: claim["text"]),
    ("translation", lambda claim: claim["translation"]),
    ("translated_by", lambda claim: claim["translated_by"]),
    ("reported_via", lambda claim: claim["reported_via"]),
    ("status", lambda claim: claim["status"]),
    ("dispute_reason", lambda claim: claim["dispute_reason"]),
    ("reviewed_at", lambda claim: claim["reviewed_at"]),
    ("evidence_urls", lambda claim: "; ".join(e["display_url"] or "" for e in claim["evidence"])),
]

# Only with --staff: what partners never see, for editors' own backups and migrations.
STAFF_INCIDENT_COLUMNS = [
    ("staff_incident_status", lambda row: _staff(row, "status")),
    ("staff_internal_notes", lambda row: _staff(row, "internal_notes")),
    ("staff_created_by", lambda row: _staff(row, "created_by")),
    ("staff_place", lambda row: _staff(row, "place", "name")),
    ("staff_alternative_names", lambda row: "; ".join(_staff(row, "place", "alternative_names"))),
    ("staff_admin2", lambda row: _staff(row, "place", "admin2")),
    ("staff_latitude", lambda row: _staff(row, "place", "latitude")),
    ("staff_longitude", lambda row: _staff(row, "place", "longitude")),
    ("staff_exact_location_public", lambda row: _staff(row, "place", "exact_location_public")),
]
STAFF_CLAIM_COLUMNS = [
    ("staff_source", lambda claim: _staff(claim, "source", "name")),
    ("staff_source_country", lambda claim: _staff(claim, "source", "country")),
    ("staff_source_url", lambda claim: _staff(claim, "source", "url")),
    ("staff_source_protected", lambda claim: _staff(claim, "source", "identity_protected")),
    ("staff_url", lambda claim: _staff(claim, "url")),
    ("staff_archived_url", lambda claim: _staff(claim, "archived_url")),
    ("staff_translated_by", lambda claim: _staff(claim, "translated_by")),
    ("staff_translator_kind", lambda claim: _staff(claim, "translator_kind")),
    ("staff_claim_internal_notes", lambda claim: _staff(claim, "internal_notes")),
    ("staff_submitted_by", lambda claim: _staff(claim, "submitted_by")),
    (
        "staff_evidence_sha256",
        lambda claim: "; ".join(e["sha256"] for e in _staff(claim, "evidence") or ()),
    ),
]


def csv_header(*, staff):
    columns = INCIDENT_COLUMNS + CLAIM_COLUMNS
    if staff:
        columns = columns + STAFF_INCIDENT_COLUMNS + STAFF_CLAIM_COLUMNS
    return [name for name, _ in columns]


def csv_rows(incident, *, staff):
    """The CSV rows of one incident's representation: one per claim (one with empty claim
    columns for an incident without claims), values not yet defused."""
    head = [value(incident) for _, value in INCIDENT_COLUMNS]
    staff_head = [value(incident) for _, value in STAFF_INCIDENT_COLUMNS] if staff else []
    for claim in incident["claims"] or [None]:
        if claim is None:
            tail = [""] * len(CLAIM_COLUMNS)
            staff_tail = [""] * len(STAFF_CLAIM_COLUMNS) if staff else []
        else:
            tail = [value(claim) for _, value in CLAIM_COLUMNS]
            staff_tail = [value(claim) for _, value in STAFF_CLAIM_COLUMNS] if staff else []
        yield head + tail + staff_head + staff_tail
