"""Where the goods went, as partners read it: ``route`` and ``linked_incidents`` in JSON,
a LineString per route in GeoJSON, a ``route`` column in CSV, and the ``taken_to_country``
and ``taken_to_place`` filters."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from claims import services as claim_services
from incidents import services as incident_services
from incidents.demo.loader import demo_id
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    PlaceFactory,
    fresh,
    link,
    reference_editor,
    set_route,
)

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def titles(client, query):
    return sorted(item["title"] for item in results(client.get(f"/api/v1/incidents/?{query}")))


def csv_rows(response):
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def column(publish):
    """A published incident at Melitopol whose goods went through a home (exact place) and
    a depot to Grozny, each point citing the incident's verified claim."""
    incident = publish(
        title="Tractors driven from Melitopol",
        place=PlaceFactory(name="Melitopol", latitude="46.848900", longitude="35.365300"),
    )
    claim = incident.claims.get()
    points = set_route(
        incident,
        (
            PlaceFactory(
                name="Farmer's yard, 12 Lenina St",
                admin2="Melitopol Raion",
                latitude="46.851234",
                longitude="35.371234",
                precision="exact",
            ),
            {"claims": [claim], "note": "Seen in the yard by a neighbour"},
        ),
        (
            PlaceFactory(name="Depot", latitude="45.000000", longitude="38.000000"),
            {"date_from": datetime.date(2022, 4, 20), "date_to": datetime.date(2022, 4, 22)},
        ),
        (
            PlaceFactory(name="Grozny", country="RU", latitude="43.317800", longitude="45.694900"),
            {"claims": [claim], "note": "Tracked by the dealer's GPS"},
        ),
    )
    incident.refresh_from_db()
    return incident, points


def test_the_route_in_json(partner_client, column):
    incident, points = column
    claim = incident.claims.get()

    (body,) = results(partner_client.get("/api/v1/incidents/"))

    route = body["route"]
    assert [point["place"]["id"] for point in route] == [point.place_id for point in points]
    assert set(route[0]) == {"place", "date_from", "date_to", "note", "claims"}
    assert route[0]["claims"] == [str(claim.public_id)]
    assert route[1] == {
        "place": route[1]["place"],
        "date_from": "2022-04-20",
        "date_to": "2022-04-22",
        "note": "",
        "claims": [],
    }
    assert route[2]["note"] == "Tracked by the dealer's GPS"
    assert route[2]["place"]["name"] == "Grozny"
    assert body["linked_incidents"] == []


def test_exact_route_points_are_rounded_for_partners(partner_client, column):
    home = column[1][0].place

    (body,) = results(partner_client.get("/api/v1/incidents/"))
    geojson = partner_client.get("/api/v1/incidents/?format=geojson").json()
    csv_text = partner_client.get("/api/v1/incidents/?format=csv").content.decode()
    places = results(partner_client.get("/api/v1/places/?page_size=10"))

    place = body["route"][0]["place"]
    assert (place["latitude"], place["longitude"], place["location_rounded"]) == (
        46.85,
        35.37,
        True,
    )
    assert place["name"] == "Location withheld, Melitopol Raion, Kyiv Oblast"
    assert geojson["features"][1]["geometry"]["coordinates"][1] == [35.37, 46.85]
    assert next(listed for listed in places if listed["id"] == home.pk)["latitude"] == 46.85
    everything = json.dumps([body, geojson, places]) + csv_text
    assert "851234" not in everything and "371234" not in everything
    assert "Lenina" not in everything


def _check_rfc7946_position(position):
    """RFC 7946 section 3.1.1: [longitude, latitude], in that order, as plain numbers."""
    assert isinstance(position, list) and len(position) == 2
    longitude, latitude = position
    assert all(isinstance(number, int | float) for number in position)
    assert -180 <= longitude <= 180 and -90 <= latitude <= 90


def test_geojson_gives_each_route_as_a_linestring_beside_its_point(partner_client, column):
    incident, _ = column
    plain = IncidentFactory(status="published", title="No route known")

    response = partner_client.get("/api/v1/incidents/?format=geojson&ordering=created_at")

    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [(feature["id"], feature["geometry"]["type"]) for feature in features] == [
        (str(incident.public_id), "Point"),
        (f"{incident.public_id}/route", "LineString"),
        (str(plain.public_id), "Point"),
    ]
    line = features[1]
    assert line["type"] == "Feature"
    # The route's details are in the incident's own feature: the line names the incident.
    assert line["properties"] == {"incident": str(incident.public_id), "title": incident.title}
    coordinates = line["geometry"]["coordinates"]
    # RFC 7946 section 3.1.4: two or more positions; the incident's place comes first.
    assert len(coordinates) == 4
    for position in coordinates:
        _check_rfc7946_position(position)
    assert coordinates[0] == features[0]["geometry"]["coordinates"] == [35.3653, 46.8489]
    # Longitude first: Grozny is at 45.69 E, 43.32 N.
    assert coordinates[-1] == [45.6949, 43.3178]


def test_geojson_of_one_incident_is_its_point_with_the_route_in_its_properties(
    partner_client, column
):
    incident, _ = column

    body = partner_client.get(f"/api/v1/incidents/{incident.public_id}/?format=geojson").json()

    assert (body["type"], body["geometry"]["type"]) == ("Feature", "Point")
    assert len(body["properties"]["route"]) == 3


def test_csv_has_a_route_column_in_the_documented_format(partner_client, column):
    (row,) = csv_rows(partner_client.get("/api/v1/incidents/?format=csv"))

    assert row["route"] == (
        "Location withheld, Melitopol Raion, Kyiv Oblast (UA) 46.85,35.37"
        " > Depot (UA) 45.0,38.0 2022-04-20/2022-04-22"
        " > Grozny (RU) 43.3178,45.6949"
    )
    assert row["linked_incidents"] == ""


def test_the_route_column_is_safe_in_a_spreadsheet(partner_client, publish):
    incident = publish(title="Formula")
    set_route(incident, PlaceFactory(name='=HYPERLINK("http://evil.example","x")'))

    (row,) = csv_rows(partner_client.get("/api/v1/incidents/?format=csv"))

    assert row["route"].startswith("'=HYPERLINK(")


def test_a_point_names_only_the_claims_partners_see(partner_client, column, journalist, editor):
    incident, points = column
    # Added after publication: waits for an editor, hidden from partners until reviewed.
    waiting = ClaimFactory(incident=incident, submitted_by=journalist, url="https://t.me/w/1")
    set_route(
        incident,
        *[(point.place, {"claims": [*point.supporting_claims.all(), waiting]}) for point in points],
        by=fresh(reference_editor()),
    )

    (body,) = results(partner_client.get("/api/v1/incidents/"))
    assert str(waiting.public_id) not in json.dumps(body)

    claim_services.review_claim(claim=waiting, reviewer=editor, to_status="verified", note="Ok.")
    (body,) = results(partner_client.get("/api/v1/incidents/"))
    assert str(waiting.public_id) in body["route"][1]["claims"]


def test_linked_incidents_from_both_ends(partner_client, publish, journalist):
    homes = publish(title="Homes in the Kyiv suburbs")
    market = publish(title="Market in Narowlya", place=PlaceFactory(name="Narowlya", country="BY"))
    link(homes, market, kind="sold_at")
    # A depot logged by a journalist says the homes' goods went there too; not published.
    depot = IncidentFactory(created_by=journalist, title="Depot, not yet published")
    incident_services.edit_incident(
        incident=depot,
        editor=fresh(journalist),
        expected_version=depot.version,
        changes={},
        links=[incident_services.LinkSubmission(incident=homes, kind="stored_at", role="origin")],
    )

    bodies = {body["title"]: body for body in results(partner_client.get("/api/v1/incidents/"))}

    assert bodies["Homes in the Kyiv suburbs"]["linked_incidents"] == [
        {"id": str(market.public_id), "kind": "sold_at", "role": "destination"}
    ]
    assert bodies["Market in Narowlya"]["linked_incidents"] == [
        {"id": str(homes.public_id), "kind": "sold_at", "role": "origin"}
    ]
    (row,) = [
        row
        for row in csv_rows(partner_client.get("/api/v1/incidents/?format=csv"))
        if row["id"] == str(homes.public_id)
    ]
    assert row["linked_incidents"] == f"destination:sold_at:{market.public_id}"


@pytest.fixture
def flows(publish, journalist):
    """Goods from Bucha sold at a published market in Belarus; goods from Irpin driven to
    Russia; goods from Hostomel linked to a market in Belarus not yet published."""
    bucha = publish(title="Bucha", place=PlaceFactory(name="Bucha"))
    market = publish(
        title="Market", place=PlaceFactory(name="Narowlya", country="BY", latitude="51.8")
    )
    link(bucha, market)
    irpin = publish(title="Irpin", place=PlaceFactory(name="Irpin"))
    border = PlaceFactory(name="Belgorod", country="RU")
    set_route(irpin, PlaceFactory(name="Kharkiv"), border)
    hostomel = IncidentFactory(created_by=journalist, status="published", title="Hostomel")
    unpublished = IncidentFactory(
        created_by=journalist, status="submitted", place=PlaceFactory(name="Mazyr", country="BY")
    )
    link(hostomel, unpublished, by=fresh(reference_editor()))
    return {"market": market, "border": border}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("taken_to_country=BY", ["Bucha"]),
        ("taken_to_country=by", ["Bucha"]),
        ("taken_to_country=RU", ["Irpin"]),
        ("taken_to_country=PL", []),
        ("taken_to_country=BY&country=BY", []),
    ],
)
def test_taken_to_country(partner_client, flows, query, expected):
    assert titles(partner_client, query) == expected


def test_taken_to_place(partner_client, flows):
    market_place = flows["market"].place_id

    assert titles(partner_client, f"taken_to_place={flows['border'].pk}") == ["Irpin"]
    assert titles(partner_client, f"taken_to_place={market_place}") == ["Bucha"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("taken_to_country=Belarus", "two-letter"),
        ("taken_to_country=B1", "two-letter"),
        ("taken_to_place=abc", "Give an id"),
        ("taken_to_place=0", "Give an id"),
    ],
)
def test_bad_taken_to_values_are_a_clear_400(partner_client, flows, query, message):
    response = partner_client.get(f"/api/v1/incidents/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    assert message in " ".join(response.json()["errors"][name])


def test_a_place_only_an_unpublished_incident_reaches_matches_nothing(partner_client, flows):
    """As an unknown id does: an error would tell partners the place exists."""
    mazyr = flows["market"].place.__class__.objects.get(name="Mazyr")

    hidden = partner_client.get(f"/api/v1/incidents/?taken_to_place={mazyr.pk}")
    unknown = partner_client.get("/api/v1/incidents/?taken_to_place=999999")

    assert hidden.status_code == unknown.status_code == 200
    assert hidden.json()["results"] == unknown.json()["results"] == []


def test_the_demo_kyiv_suburbs_are_found_by_where_their_goods_went(partner_client):
    call_command("load_demo", "--no-accounts")

    found = results(partner_client.get("/api/v1/incidents/?taken_to_country=BY"))

    assert [incident["id"] for incident in found] == [str(demo_id("incident/kyiv-suburbs"))]
    market = str(demo_id("incident/naroulia-market"))
    assert {"id": market, "kind": "sold_at", "role": "destination"} in found[0]["linked_incidents"]
