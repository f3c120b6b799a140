"""Reading an import file into records: one per incident, in the shape of the partner API's
representation (what export_incidents writes), whatever the file's format.

JSON Lines: one incident per line, as exported (its ``staff`` object, if any, is read too).
CSV: one row per claim with its incident's columns (as exported, or made by hand in a
spreadsheet: UTF-8 with or without a byte-order mark, comma- or semicolon-separated). Rows
with the same ``id`` are one incident; hand-made rows without an ``id`` are grouped by
title, dates, place and country.

Every problem is collected as a LineError (line, field, reason); nothing stops at the first.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from exchange.formats import ITEM_SEPARATOR, csv_header

FORMATS = ("jsonl", "csv")
# Columns a hand-made CSV must have; the rest are optional.
REQUIRED_COLUMNS = ("title", "occurred_from", "place", "country", "source", "medium", "text")
KNOWN_COLUMNS = set(csv_header(staff=True)) | {"language", "summary", "internal_notes"}


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return (
            f"line {self.line}: {self.field}: {self.reason}"
            if self.field
            else (f"line {self.line}: {self.reason}")
        )


@dataclass
class Record:
    """One incident of the file: ``data`` as the API represents an incident, ``line`` its
    first line, ``claim_lines`` the line of each of its claims."""

    line: int
    data: dict
    claim_lines: list = field(default_factory=list)


class FileRefused(Exception):
    """The file as a whole cannot be read (not UTF-8, not JSON Lines, no header)."""


def detect_format(name, text):
    if name.lower().endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.lower().endswith(".csv"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"The file is not UTF-8 (byte {error.start}): save it as UTF-8 and try again."
        ) from error


def read_records(text, *, format, errors):
    """Return the file's Records; append a LineError to ``errors`` for each bad line."""
    if format == "jsonl":
        return list(read_jsonl(io.StringIO(text), errors))
    return list(_read_csv(text, errors))


def read_jsonl(lines, errors):
    """The Records of JSON Lines ``lines`` (text), one at a time."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(
                LineError(number, "", f"not valid JSON ({error.msg}, column {error.colno})")
            )
            continue
        if not isinstance(data, dict):
            errors.append(LineError(number, "", "each line must be one incident (a JSON object)"))
            continue
        claims = data.get("claims") or []
        if not isinstance(claims, list):
            errors.append(LineError(number, "claims", "must be a list"))
            continue
        yield Record(line=number, data=data, claim_lines=[number] * len(claims))


def _sniff_delimiter(header_line):
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _split(value):
    return [part.strip() for part in (value or "").split(ITEM_SEPARATOR.strip()) if part.strip()]


def _split_items(value):
    """An items cell split at its unescaped semicolons (see exchange.formats.items_cell)."""
    parts, part, chars = [], "", iter(value or "")
    for char in chars:
        if char == "\\":
            part += char + next(chars, "")
        elif char == ";":
            parts.append(part)
            part = ""
        else:
            part += char
    parts.append(part)
    return [part.strip() for part in parts if part.strip()]


def _unescape(text):
    return re.sub(r"\\([\\;)])", r"\1", text)


def _undefused(value):
    """A cell as exported: text the API prefixed with ' against formula injection reads back
    without it."""
    if value and value[0] == "'" and len(value) > 1 and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def csv_header_of(text):
    """(delimiter, column names) of a CSV file's header. Raise FileRefused, in one error
    naming them all, if columns an import needs are missing or some are unknown. Blank
    column names (spreadsheets add them at the end) are ignored: their cells are never
    read."""
    first = text.split("\n", 1)[0]
    if not text.strip():
        raise FileRefused("The file is empty.")
    delimiter = _sniff_delimiter(first)
    try:
        names = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error as error:
        raise FileRefused(f"line 1: not readable as CSV ({error}).") from error
    header = [name.strip() for name in names]
    problems = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    unknown = [name for name in header if name and name not in KNOWN_COLUMNS]
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if problems:
        raise FileRefused(
            f"line 1: {'; '.join(problems)}. Needed: {', '.join(REQUIRED_COLUMNS)} "
            "(README, Import and export, lists the others)."
        )
    return delimiter, header


def _read_csv(text, errors):
    delimiter, header = csv_header_of(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)  # the header line, read by csv_header_of
    groups = {}
    start = 2
    for fields in _rows(reader, errors):
        number, start = start, reader.line_num + 1
        if not fields:
            continue
        if len(fields) != len(header):
            # A cell holding the separator unquoted shifts every later cell: name that,
            # not whatever the shifted cells happen to break.
            errors.append(LineError(number, "", _field_count(len(fields), header, delimiter)))
            continue
        row = {
            key: _undefused(value.strip()) for key, value in zip(header, fields, strict=True) if key
        }
        if not any(row.values()):
            continue
        key = row.get("id") or (
            row.get("title"),
            row.get("occurred_from"),
            row.get("place"),
            row.get("country"),
        )
        if key not in groups:
            groups[key] = Record(line=number, data=_incident_from_row(row))
        record = groups[key]
        if row.get("text") or row.get("claim_id"):
            record.data["claims"].append(_claim_from_row(row))
            record.claim_lines.append(number)
    yield from groups.values()


def _field_count(count, header, delimiter):
    return gettext(
        "%(count)d fields where the header has %(header)d — a cell holding the separator "
        "(%(separator)s) must be in double quotes"
    ) % {"count": count, "header": len(header), "separator": delimiter}


def _rows(reader, errors):
    """The reader's rows; a row the csv module cannot read ends the file with a LineError."""
    try:
        yield from reader
    except csv.Error as error:
        errors.append(LineError(reader.line_num, "", f"not readable as CSV ({error})"))


def _given(row, pairs):
    """``{key: value}`` for the (key, column, read) ``pairs`` whose column the file has: an
    absent column is absent from the record, so the import leaves that value alone."""
    return {key: read(row[column]) for key, column, read in pairs if column in row}


def _text(value):
    return value


def _or_none(value):
    return value or None


def _incident_from_row(row):
    data = {
        "id": row.get("id") or None,
        **_given(
            row,
            [
                ("title", "title", _text),
                ("summary", "summary", _text),
                ("occurred_from", "occurred_from", _text),
                ("date_precision", "date_precision", lambda value: value or "range"),
                ("items", "items", lambda value: [_item(text) for text in _split_items(value)]),
            ],
        ),
        "place": {
            "name": row.get("place", ""),
            "country": row.get("country", "").upper(),
            **_given(
                row,
                [
                    ("id", "place_id", _or_none),
                    ("admin1", "admin1", _text),
                    ("latitude", "latitude", _or_none),
                    ("longitude", "longitude", _or_none),
                    ("precision", "location_precision", _or_none),
                ],
            ),
        },
        "claims": [],
    }
    if "occurred_to" in row:
        data["occurred_to"] = row["occurred_to"] or row.get("occurred_from", "")
    if "actors" in row:
        names, kinds = _split(row["actors"]), _split(row.get("actor_kinds"))
        data["actors"] = [
            {"name": name, "kind": kinds[index] if index < len(kinds) else "unknown"}
            for index, name in enumerate(names)
        ]
    if row.get("staff_incident_status") or row.get("staff_place"):
        data["staff"] = {
            **_given(
                row,
                [
                    ("status", "staff_incident_status", _text),
                    ("internal_notes", "staff_internal_notes", _text),
                ],
            ),
            "place": {
                "name": row.get("staff_place", ""),
                **_given(
                    row,
                    [
                        ("alternative_names", "staff_alternative_names", _split),
                        ("admin2", "staff_admin2", _text),
                        ("latitude", "staff_latitude", _or_none),
                        ("longitude", "staff_longitude", _or_none),
                        (
                            "exact_location_public",
                            "staff_exact_location_public",
                            lambda value: value == "true",
                        ),
                    ],
                ),
            },
        }
    elif "internal_notes" in row:
        data["staff"] = {"internal_notes": row["internal_notes"]}
    return data


def _item(text):
    """``slug: description (quantity)`` as items_cell writes it."""
    slug, _, rest = text.partition(":")
    slug, rest = slug.strip(), rest.strip()
    quantity = ""
    # A closing bracket the description ends with is escaped: an unescaped one ends the
    # quantity.
    if rest.endswith(")") and not rest.endswith("\\)") and "(" in rest:
        rest, _, quantity = rest[:-1].rpartition("(")
        rest = rest.strip()
    elif not rest and slug.endswith(")") and "(" in slug:
        slug, _, quantity = slug[:-1].rpartition("(")
        slug = slug.strip()
    low, high = _quantity(quantity.strip())
    return {
        "category": slug,
        "description": _unescape(rest),
        "quantity_min": low,
        "quantity_max": high,
    }


def _quantity(text):
    """ "27" → (27, 27); "100–999" → (100, 999); "10–?" → (10, None); "" → (None, None).
    A value that is not a quantity is kept as text, for the importer to refuse."""
    if not text:
        return None, None
    low, dash, high = text.replace("-", "–").partition("–")
    if not dash:
        return text, text
    return (None if low.strip() == "?" else low.strip()), (
        None if high.strip() == "?" else high.strip()
    )


def _claim_from_row(row):
    claim = {
        "id": row.get("claim_id") or None,
        "source": {
            "name": row.get("source", ""),
            **_given(
                row,
                [
                    ("id", "source_id", _or_none),
                    ("kind", "source_kind", lambda value: value or "other"),
                ],
            ),
        },
        **_given(
            row,
            [
                ("medium", "medium", _text),
                ("url", "url", _text),
                ("archived_url", "archived_url", _text),
                ("published_at", "published_at", _or_none),
                ("language", "language", _text),
                ("text", "text", _text),
                ("translation", "translation", _text),
                ("translated_by", "translated_by", _text),
                ("reported_via", "reported_via", _or_none),
                ("status", "status", _or_none),
                ("dispute_reason", "dispute_reason", _or_none),
            ],
        ),
    }
    if row.get("staff_source") or row.get("staff_submitted_by"):
        claim["staff"] = {
            "source": {
                "name": row.get("staff_source", ""),
                **_given(
                    row,
                    [
                        ("country", "staff_source_country", _text),
                        ("url", "staff_source_url", _text),
                        (
                            "identity_protected",
                            "staff_source_protected",
                            lambda value: value == "true",
                        ),
                        ("public_code", "staff_source_public_code", _text),
                        ("organisation", "staff_source_organisation", _text),
                    ],
                ),
            },
            **_given(
                row,
                [
                    ("url", "staff_url", _text),
                    ("archived_url", "staff_archived_url", _text),
                    ("translated_by", "staff_translated_by", _text),
                    ("translator_kind", "staff_translator_kind", _text),
                    ("internal_notes", "staff_claim_internal_notes", _text),
                    (
                        "evidence",
                        "staff_evidence_sha256",
                        lambda value: [{"sha256": digest} for digest in _split(value)],
                    ),
                ],
            ),
        }
    return claim
