"""Cursors deep into a list, as a partner following ``next`` links would reach them."""

import base64
import json

from incidents.selectors import published_incidents


def deep_incident_cursor(position):
    """The cursor of the default incident ordering after the ``position``-th published
    incident (or the last one, in a smaller database)."""
    ordering = ["-occurred_from", "-public_id"]
    rows = published_incidents().order_by(*ordering).values_list("occurred_from", "public_id")
    count = published_incidents().count()
    occurred_from, public_id = rows[min(position, max(count - 1, 0))]
    payload = json.dumps(
        {"o": ordering, "v": [occurred_from.isoformat(), str(public_id)], "r": 0},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
