"""Editors see and correct where the goods went in the incident's admin page: its route and
links as inlines, saved with the incident by one edit_incident call; and a route logged in
the journalists' form comes through the admin and every API format unchanged."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework_api_key.models import APIKey

from claims import services as claim_services
from incidents import services as incident_services
from incidents.models import Incident, IncidentLink, RoutePoint
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory, set_route
from tests.html_forms import read_form
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db


def change_url(incident):
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def open_form(client, incident):
    response = client.get(change_url(incident))
    assert response.status_code == 200
    return read_form(response, "incident_form")


def test_a_three_point_route_round_trips_through_the_log_form_the_admin_and_the_api(
    journalist_client, editor_client, editor
):
    # Logged by a journalist, with a home (exact place) on the way.
    kherson = PlaceFactory(name="Kherson", latitude="46.635400", longitude="32.616800")
    home = PlaceFactory(
        name="Yard at 3 Sadova St",
        admin2="Skadovsk Raion",
        latitude="46.112345",
        longitude="32.912345",
        precision="exact",
    )
    crimea = PlaceFactory(name="Dzhankoi", latitude="45.708900", longitude="34.393300")
    moscow = PlaceFactory(name="Moscow", country="RU", latitude="55.755800", longitude="37.617300")
    data = incident_post(
        place=kherson,
        title="Museum pieces taken from Kherson",
        claims=[claim_fields()],
        route=[
            {"place": str(home.pk), "claim_numbers": ["0"], "note": "Stored overnight"},
            {"place": str(crimea.pk), "date_from": "2022-11-01", "date_to": "2022-11-03"},
            {"place": str(moscow.pk), "note": "Reported by the ministry"},
        ],
        submit="1",
    )
    assert journalist_client.post("/incidents/new/", data).status_code == 302
    incident = Incident.objects.get(title="Museum pieces taken from Kherson")
    claim_services.review_claim(
        claim=incident.claims.get(), reviewer=editor, to_status="verified", note="Checked."
    )
    incident_services.publish_incident(incident=incident, editor=editor)
    incident.refresh_from_db()
    version = incident.version

    # The admin shows the route as it was logged; saving it unchanged changes nothing.
    form = open_form(editor_client, incident)
    points = list(incident.route_points.order_by("position"))
    assert form["route_points-TOTAL_FORMS"] == ["3"]
    assert [form[f"route_points-{i}-place"] for i in range(3)] == [
        [str(point.place_id)] for point in points
    ]
    assert form["route_points-0-supporting_claims"] == [str(incident.claims.get().pk)]
    assert editor_client.post(change_url(incident), form).status_code == 302
    incident.refresh_from_db()
    assert incident.version == version

    # An editor corrects the second point's note.
    form["route_points-1-note"] = ["Seen at the railway station"]
    assert editor_client.post(change_url(incident), form).status_code == 302
    incident.refresh_from_db()
    assert incident.version == version + 1
    assert incident.history.latest().history_change_reason == "route points: 1 changed"
    assert incident.history.latest().history_user == editor

    # Every API format gives the three points, in order, the home rounded.
    _, key = APIKey.objects.create_key(name="Museum watch")
    partner = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    (body,) = partner.get("/api/v1/incidents/").json()["results"]
    assert [point["place"]["id"] for point in body["route"]] == [home.pk, crimea.pk, moscow.pk]
    assert [point["note"] for point in body["route"]] == [
        "Stored overnight",
        "Seen at the railway station",
        "Reported by the ministry",
    ]
    assert body["route"][0]["claims"] == [str(incident.claims.get().public_id)]
    assert (body["route"][1]["date_from"], body["route"][1]["date_to"]) == (
        "2022-11-01",
        "2022-11-03",
    )
    detail = partner.get(f"/api/v1/incidents/{incident.public_id}/").json()
    assert detail["route"] == body["route"]

    geojson = partner.get("/api/v1/incidents/?format=geojson").json()
    point, line = geojson["features"]
    assert line["geometry"]["coordinates"] == [
        [32.6168, 46.6354],
        [32.91, 46.11],
        [34.3933, 45.7089],
        [37.6173, 55.7558],
    ]
    assert line["properties"]["incident"] == point["id"] == str(incident.public_id)

    (row,) = csv.DictReader(io.StringIO(partner.get("/api/v1/incidents/?format=csv").text))
    assert row["route"] == (
        "Location withheld, Skadovsk Raion, Kyiv Oblast (UA) 46.11,32.91"
        " > Dzhankoi (UA) 45.7089,34.3933 2022-11-01/2022-11-03"
        " > Moscow (RU) 55.7558,37.6173"
    )


def test_a_point_cannot_cite_a_claim_of_another_incident_in_the_admin(editor_client, journalist):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    foreign = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    [stored] = set_route(incident, PlaceFactory())
    form = open_form(editor_client, incident)
    form["route_points-0-supporting_claims"] = [str(foreign.pk)]

    response = editor_client.post(change_url(incident), form)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not stored.supporting_claims.exists()


def test_editors_add_and_remove_points_and_links_in_the_admin(editor_client, editor, journalist):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    _, dropped = set_route(incident, PlaceFactory(name="Kept"), PlaceFactory(name="Dropped"))
    market = IncidentFactory(created_by=journalist, status="submitted", title="Market")
    homes = IncidentFactory(created_by=journalist, status="submitted", title="Homes")
    added = PlaceFactory(name="Added")
    form = open_form(editor_client, incident)
    form["route_points-1-DELETE"] = ["on"]
    form["route_points-TOTAL_FORMS"] = ["3"]
    form["route_points-2-place"] = [str(added.pk)]
    form["links_to_destinations-TOTAL_FORMS"] = ["1"]
    form.update(
        {
            "links_to_destinations-0-destination": [str(market.pk)],
            "links_to_destinations-0-kind": ["sold_at"],
        }
    )
    form["links_to_origins-TOTAL_FORMS"] = ["1"]
    form.update(
        {"links_to_origins-0-origin": [str(homes.pk)], "links_to_origins-0-kind": ["carried_by"]}
    )

    response = editor_client.post(change_url(incident), form)

    assert response.status_code == 302
    assert [(p.place.name, p.position) for p in incident.route_points.order_by("position")] == [
        ("Kept", 1),
        ("Added", 2),
    ]
    assert set(IncidentLink.objects.values_list("origin", "destination", "kind")) == {
        (incident.pk, market.pk, "sold_at"),
        (homes.pk, incident.pk, "carried_by"),
    }
    record = incident.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "route points: 1 added, 1 removed; links: 2 added",
    )
    assert RoutePoint.history.filter(id=dropped.pk, history_type="-").get().history_user == editor


def test_a_link_refused_by_the_service_saves_nothing_in_the_admin(
    editor_client, journalist, other_journalist
):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    draft = IncidentFactory(created_by=other_journalist, title="Someone else's draft")
    form = open_form(editor_client, incident)
    form["title"] = ["Changed title"]
    form["links_to_destinations-TOTAL_FORMS"] = ["1"]
    form.update(
        {
            "links_to_destinations-0-destination": [str(draft.pk)],
            "links_to_destinations-0-kind": ["sold_at"],
        }
    )

    response = editor_client.post(change_url(incident), form, follow=True)

    assert "Nothing was saved" in response.content.decode()
    incident.refresh_from_db()
    assert incident.title != "Changed title"
    assert not IncidentLink.objects.exists()
