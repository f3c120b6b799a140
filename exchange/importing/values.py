"""Reading the values of an import's records (dates, times, quantities, UUIDs), ordering a
record's claims by their relays, and turning refusals into LineErrors."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from exchange.importing.ids import canonical_uuid, is_uuid
from exchange.importing.reading import LineError
from incidents.models import IncidentItem


def line_errors(error, line, prefix=""):
    """LineErrors for a ValidationError or PermissionDenied about the record at ``line``."""
    if isinstance(error, PermissionDenied):
        return [LineError(line, prefix.rstrip("."), str(error) or "not allowed")]
    if hasattr(error, "error_dict"):
        return [
            LineError(line, f"{prefix}{name}" if name != "__all__" else prefix.rstrip("."), m)
            for name, messages in error.message_dict.items()
            for m in messages
        ]
    return [LineError(line, prefix.rstrip("."), message) for message in error.messages]


class Problems:
    """ValidationErrors collected part by part, so that every bad field of a record is
    reported in one run, not only its first."""

    def __init__(self):
        self.messages = {}

    @contextmanager
    def part(self, field=""):
        try:
            yield
        except ValidationError as error:
            self.add(error, field)

    def add(self, error, field=""):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self._note(name, messages)
        else:
            self._note(field or "__all__", error.messages)

    def _note(self, name, messages):
        known = self.messages.setdefault(name, [])
        known += [message for message in messages if message not in known]

    def raise_any(self):
        if self.messages:
            raise ValidationError(self.messages)


def read_date(value, field):
    if value in (None, ""):
        raise ValidationError({field: "Give a date (YYYY-MM-DD)."})
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValidationError({field: f"{value!r} is not a date (YYYY-MM-DD)."})
    return parsed


def read_moment(value, field):
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value))
    if parsed is None:
        day = parse_date(str(value))
        if day is None:
            raise ValidationError({field: f"{value!r} is not an ISO 8601 time."})
        parsed = datetime.datetime.combine(day, datetime.time())
    return timezone.make_aware(parsed, datetime.UTC) if timezone.is_naive(parsed) else parsed


def read_quantity(value, field):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{value!r} is not a whole number."}) from None
    if number < 0:
        raise ValidationError({field: "A quantity cannot be negative."})
    return number


def read_item(given, find_category, problems):
    """An unsaved IncidentItem for ``given``; each bad part noted in ``problems``."""
    item = IncidentItem(description=given.get("description") or "")
    with problems.part("items"):
        item.category = find_category(given.get("category"))
    for bound in ("quantity_min", "quantity_max"):
        with problems.part("items"):
            setattr(item, bound, read_quantity(given.get(bound), "items"))
    return item


def read_uuid(value, field):
    if value in (None, ""):
        return None
    if not is_uuid(value):
        raise ValidationError({field: f"{value!r} is not a UUID."})
    return canonical_uuid(value)


def relays_first(claims):
    """The positions of ``claims`` (representations) so that a claim comes after the claim
    of the same record it is reported via; raise ValidationError on a cycle."""
    ids = {claim.get("id"): index for index, claim in enumerate(claims) if claim.get("id")}
    order, placed = [], set()
    while len(order) < len(claims):
        progress = False
        for index, claim in enumerate(claims):
            relay = ids.get(claim.get("reported_via"))
            if index not in placed and (relay is None or relay in placed):
                order.append(index)
                placed.add(index)
                progress = True
        if not progress:
            raise ValidationError({"reported_via": "These claims are reported via each other."})
    return order


TEXT_KEYS = ("title", "summary", "occurred_from", "occurred_to", "date_precision")
CLAIM_TEXT_KEYS = ("medium", "url", "archived_url", "published_at", "language", "text")
CLAIM_TEXT_KEYS += ("translation", "translated_by", "reported_via", "status", "dispute_reason")


def _wrong_types(data, *, text=(), objects=(), lists=()):
    problems = {}
    for key in text:
        if data.get(key) is not None and not isinstance(data[key], str):
            problems[key] = f"must be text, not {type(data[key]).__name__}."
    for key in objects:
        if data.get(key) is not None and not isinstance(data[key], dict):
            problems[key] = "must be an object."
    for key in lists:
        value = data.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(part, dict) for part in value)
        ):
            problems[key] = "must be a list of objects."
    return problems


def check_shape(data):
    """Raise ValidationError naming each part of an incident's record of the wrong type (a
    JSON file can hold anything), so that it is a line error, never an exception."""
    problems = _wrong_types(
        data, text=TEXT_KEYS, objects=("place", "staff"), lists=("actors", "items", "claims")
    )
    parts = [("place", data.get("place"), ("name", "country", "admin1", "precision"))]
    parts += [("actors", actor, ("name", "kind")) for actor in data.get("actors") or ()]
    parts += [("items", item, ("category", "description")) for item in data.get("items") or ()]
    staff = data.get("staff")
    if isinstance(staff, dict):
        problems.update(_wrong_types(staff, objects=("place",), text=("internal_notes",)))
        parts.append(("staff.place", staff.get("place"), ("name", "admin2")))
    for name, part, keys in parts:
        if isinstance(part, dict) and not problems.get(name):
            for key, reason in _wrong_types(part, text=keys).items():
                problems[f"{name}.{key}"] = reason
    if problems:
        raise ValidationError(problems)


def check_claim_shape(given):
    """As check_shape, for one claim of a record."""
    if not isinstance(given, dict):
        raise ValidationError({"claims": "Each claim must be an object."})
    problems = _wrong_types(given, text=CLAIM_TEXT_KEYS, objects=("source", "staff"))
    if isinstance(given.get("source"), dict):
        inner = _wrong_types(given["source"], text=("name", "kind"))
        problems.update({f"source.{key}": value for key, value in inner.items()})
    staff = given.get("staff")
    if isinstance(staff, dict):
        inner = _wrong_types(
            staff,
            objects=("source",),
            lists=("evidence",),
            text=("url", "archived_url", "translated_by", "translator_kind", "internal_notes"),
        )
        problems.update({f"staff.{key}": value for key, value in inner.items()})
    if problems:
        raise ValidationError(problems)
