"""A cursor past the last row (the last incident withdrawn since, or a mirror that caught
up) answers an empty page that links back, never a server error."""

import base64
import datetime
import json

import pytest

pytestmark = pytest.mark.django_db


def cursor_after(incident, *, reverse=0):
    payload = {
        "o": ["-occurred_from", "-public_id"],
        "v": [incident.occurred_from.isoformat(), str(incident.public_id)],
        "r": reverse,
    }
    text = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_a_page_past_the_last_incident_is_empty_and_links_back(partner_client, publish, fmt):
    oldest = publish(occurred_from=datetime.date(2022, 3, 1))
    publish(occurred_from=datetime.date(2022, 3, 2))

    response = partner_client.get(
        "/api/v1/incidents/", {"cursor": cursor_after(oldest), "format": fmt}
    )

    assert response.status_code == 200, response.content
    assert 'rel="prev"' in response["Link"]
    if fmt == "json":
        body = response.json()
        assert body["results"] == [] and body["next"] is None
        assert partner_client.get(body["previous"]).status_code == 200
