"""The file formats import and export share: JSON Lines (one incident per line, the partner
API's representation, plus a ``staff`` object with ``--staff``) and CSV (one row per claim
with its incident's columns). README's "Import and export" section documents both."""

from claims.api.csv_columns import CLAIM_FIELD_COLUMNS
from incidents.api.csv_columns import (
    INCIDENT_LINK_COLUMNS,
    INCIDENT_PLACE_COLUMNS,
    LIST_SEPARATOR,
    quantity_suffix,
)

ITEM_SEPARATOR = LIST_SEPARATOR


def escape_description(text):
    r"""A description as items_cell writes it, so that it reads back whatever it holds: a
    backslash and a semicolon are escaped (``\\``, ``\\;``), and so is a closing bracket
    that ends it (``\\)``), which would otherwise read as the quantity's. Brackets
    elsewhere, the usual case, stay as typed."""
    text = text.replace("\\", "\\\\").replace(";", "\\;")
    return text[:-1] + "\\)" if text.endswith(")") else text


def items_cell(items):
    """Items as one CSV cell that reads back: ``slug: description (quantity)`` joined by
    ``; ``, the description and quantity left out when empty: ``cars: cars (100–999);
    jewellery`` (see escape_description)."""
    cells = []
    for item in items:
        text = item["category"]
        if item["description"]:
            text += f": {escape_description(item['description'])}"
        text += quantity_suffix(item)
        cells.append(text)
    return ITEM_SEPARATOR.join(cells)


def _staff(row, *keys):
    value = row.get("staff") or {}
    for key in keys:
        value = (value or {}).get(key)
    return value


# (column, value of an incident's representation); the names are the API's where it has one.
INCIDENT_COLUMNS = [
    *INCIDENT_PLACE_COLUMNS,
    ("actors", lambda row: ITEM_SEPARATOR.join(actor["name"] for actor in row["actors"])),
    ("actor_kinds", lambda row: ITEM_SEPARATOR.join(actor["kind"] for actor in row["actors"])),
    ("items", lambda row: items_cell(row["items"])),
    ("assessment", lambda row: row["assessment"]),
    *INCIDENT_LINK_COLUMNS,
]

# (column, value of a claim's representation).
CLAIM_COLUMNS = [("claim_id", lambda claim: claim["id"]), *CLAIM_FIELD_COLUMNS]

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
    ("staff_source_public_code", lambda claim: _staff(claim, "source", "public_code")),
    ("staff_source_organisation", lambda claim: _staff(claim, "source", "organisation")),
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


def _as_is(value):
    return value


def csv_rows(incident, *, staff, cell=_as_is):
    """The CSV rows of one incident's representation: one per claim (one with empty claim
    columns for an incident without claims), each value passed through ``cell`` (by
    default as it is, not yet defused) once: the incident's columns once for all its
    rows."""
    head = [cell(value(incident)) for _, value in INCIDENT_COLUMNS]
    staff_head = [cell(value(incident)) for _, value in STAFF_INCIDENT_COLUMNS] if staff else []
    for claim in incident["claims"] or [None]:
        if claim is None:
            tail = [cell("")] * len(CLAIM_COLUMNS)
            staff_tail = [cell("")] * len(STAFF_CLAIM_COLUMNS) if staff else []
        else:
            tail = [cell(value(claim)) for _, value in CLAIM_COLUMNS]
            staff_tail = [cell(value(claim)) for _, value in STAFF_CLAIM_COLUMNS] if staff else []
        yield head + tail + staff_head + staff_tail
