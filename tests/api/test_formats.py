"""GeoJSON and CSV renderings of incidents and claims."""

import csv
import io

import pytest

from lootwatch.api.renderers import defuse_cell
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_geojson_is_an_rfc7946_feature_collection(partner_client, publish):
    incident = publish(place=PlaceFactory(latitude="51.799400", longitude="29.499200"))

    response = partner_client.get("/api/v1/incidents/?format=geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert set(body) == {"type", "features", "next", "previous"}
    (feature,) = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == str(incident.public_id)
    # Longitude first (RFC 7946 section 3.1.1).
    assert feature["geometry"] == {"type": "Point", "coordinates": [29.4992, 51.7994]}
    assert feature["properties"]["title"] == incident.title


def test_geojson_detail_is_a_feature(partner_client, published_incident):
    response = partner_client.get(
        f"/api/v1/incidents/{published_incident.public_id}/?format=geojson"
    )

    assert response.json()["type"] == "Feature"


def test_geojson_pages_carry_links(partner_client, publish):
    publish()
    publish()

    response = partner_client.get("/api/v1/incidents/?format=geojson&page_size=1")

    body = response.json()
    assert len(body["features"]) == 1
    assert "format=geojson" in body["next"]
    assert 'rel="next"' in response["Link"]
    assert len(partner_client.get(body["next"]).json()["features"]) == 1


def test_csv_has_one_row_per_incident(partner_client, publish):
    publish(title="Первый: «вещи»")
    publish(title="Second")

    response = partner_client.get("/api/v1/incidents/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert sorted(row["title"] for row in rows) == ["Second", "Первый: «вещи»"]
    assert rows[0]["assessment"] == "single_source"
    assert rows[0]["claims"] == "1"


def test_csv_defuses_spreadsheet_formulas(partner_client, publish):
    publish(
        title='=HYPERLINK("http://evil.example","click")',
        summary="+1 day",
        claims=[("verified", {"original_text": "@SUM(A1:A9)"})],
    )

    incidents = list(
        csv.DictReader(
            io.StringIO(partner_client.get("/api/v1/incidents/?format=csv").content.decode())
        )
    )
    claims = list(
        csv.DictReader(
            io.StringIO(partner_client.get("/api/v1/claims/?format=csv").content.decode())
        )
    )

    assert incidents[0]["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert incidents[0]["summary"] == "'+1 day"
    assert claims[0]["text"] == "'@SUM(A1:A9)"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-70.5, -70.5),
        (3, 3),
        (None, ""),
        (True, "true"),
    ],
)
def test_defuse_cell(value, cell):
    assert defuse_cell(value) == cell


def test_csv_pages_are_linked_in_the_header(partner_client, publish):
    publish()
    publish()

    response = partner_client.get("/api/v1/incidents/?format=csv&page_size=1")

    assert len(response.content.decode().strip().splitlines()) == 2
    assert 'rel="next"' in response["Link"] and "format=csv" in response["Link"]


def test_errors_are_json_even_when_csv_was_asked(partner_client):
    response = partner_client.get("/api/v1/incidents/?format=csv&country=Ukraine")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "country" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/api/v1/claims/?format=geojson", "/api/v1/places/?format=csv"])
def test_formats_not_offered_by_an_endpoint_are_400(partner_client, path):
    response = partner_client.get(path)

    assert response.status_code == 400
    assert "format" in response.json()["errors"]


def test_format_parameter_wins_over_accept_header(partner_client, published_incident):
    response = partner_client.get("/api/v1/incidents/?format=csv", HTTP_ACCEPT="application/json")

    assert response["Content-Type"].startswith("text/csv")
