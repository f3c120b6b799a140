"""Reading the values of an import's records (dates, times, quantities, UUIDs), ordering a
record's claims by their relays, and turning refusals into LineErrors."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from exchange.importing.reading import LineError, is_uuid


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


def read_date(value, field):
    parsed = parse_date(str(value or ""))
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


def read_uuid(value, field):
    if value in (None, ""):
        return None
    if not is_uuid(value):
        raise ValidationError({field: f"{value!r} is not a UUID."})
    return str(value)


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
