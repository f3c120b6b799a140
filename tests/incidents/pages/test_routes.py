"""Where the goods went, in the journalists' pages: route points and links in the log and
edit forms (saved through the services, or nothing saved), on the incident page, on the
map and in the list's filters."""

import pytest

from incidents.models import Incident, IncidentLink, Place, RoutePoint
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    PlaceFactory,
    link,
    set_route,
)
from tests.html_forms import read_form
from tests.incidents.pages.forms_data import claim_fields, incident_post

pytestmark = pytest.mark.django_db

NEW = "/incidents/new/"


def route_point(place=None, **fields):
    """A route point's fields; ``place`` is a Place, or what the picker sends ("new", "")."""
    picked = str(place.pk) if isinstance(place, Place) else place or ""
    return {"place": picked, "date_from": "", "date_to": "", "note": "", **fields}


def test_the_log_form_offers_a_route_and_links(journalist_client):
    content = journalist_client.get(NEW).content.decode()

    assert "Where the goods were taken" in content
    assert 'name="route-TOTAL_FORMS"' in content and 'id="route-empty"' in content
    assert 'name="links-TOTAL_FORMS"' in content and 'id="links-empty"' in content
    # A point cites the claims of the form by number; the script adds one per claim added.
    assert 'data-claim-choices="route-0-claim_numbers"' in content
    assert 'name="route-0-claim_numbers" value="0"' in content
    assert 'hx-target="#id_route-0-place"' in content


def test_log_an_incident_with_a_three_point_route_and_a_link(journalist, journalist_client):
    melitopol, depot = PlaceFactory(name="Melitopol"), PlaceFactory(name="Depot")
    grozny = PlaceFactory(name="Grozny", country="RU")
    market = IncidentFactory(created_by=journalist, status="submitted", title="Market")
    data = incident_post(
        place=melitopol,
        claims=[claim_fields(), claim_fields(url="https://t.me/dealer/7")],
        route=[
            route_point(depot, claim_numbers=["1"], note="Seen by a driver"),
            route_point(
                place="new",
                date_from="2022-04-20",
                **{
                    "new_place-name": "Border crossing",
                    "new_place-country": "ru",
                    "new_place-latitude": "50.1",
                    "new_place-longitude": "36.9",
                    "new_place-precision": "settlement",
                },
            ),
            route_point(
                grozny, date_from="2022-04-25", date_to="2022-04-27", claim_numbers=["0", "1"]
            ),
        ],
        links=[
            {
                "incident": f"http://testserver{market.get_absolute_url()}",
                "link": "destination:sold_at",
            }
        ],
        submit="1",
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 302, (
        response.context and response.context["route_formset"].errors
    )
    incident = Incident.objects.get(title=data["title"])
    first, second, third = incident.route_points.order_by("position")
    assert (first.place, first.note) == (depot, "Seen by a driver")
    assert second.place.name == "Border crossing" and second.place.country == "RU"
    assert (str(second.date_from), str(second.date_to)) == ("2022-04-20", "2022-04-20")
    assert third.place == grozny
    one, two = incident.claims.order_by("pk")
    assert list(first.supporting_claims.all()) == [two]
    assert set(third.supporting_claims.all()) == {one, two}
    assert IncidentLink.objects.get().destination == market
    [record] = incident.history.all()
    assert record.history_change_reason == "logged and submitted for review"


@pytest.mark.parametrize(
    ("route", "links", "message"),
    [
        ([route_point(None, note="Seen")], [], "Pick the place, or describe a new one below."),
        (
            [route_point(place="new", **{"new_place-name": "Somewhere"})],
            [],
            "Correct the new place below.",
        ),
        ([route_point("depot", claim_numbers=["1"])], [], "Claim 2 is empty."),
        ([route_point("depot", date_to="2022-04-02")], [], "Give the start of the date range too."),
        (
            [route_point("depot", date_from="2022-04-03", date_to="2022-04-02")],
            [],
            "not before the start",
        ),
        ([route_point("depot", date_from="1800-01-01")], [], "Give a date in 1900 or later."),
        (
            [],
            [{"incident": "yesterday's market", "link": "destination:sold_at"}],
            "Paste the address",
        ),
        (
            [],
            [{"incident": "0b7a3f2e-0000-4000-8000-000000000000", "link": "destination:sold_at"}],
            "no incident with this id that you may see",
        ),
    ],
)
def test_a_refused_route_or_link_saves_nothing(journalist_client, route, links, message):
    depot = PlaceFactory(name="Depot")
    route = [
        {**point, "place": str(depot.pk)} if point["place"] == "depot" else point for point in route
    ]
    places = Place.objects.count()

    # The second claim is left empty: a point may not cite it.
    data = incident_post(
        place=PlaceFactory(), claims=[claim_fields(), {}], route=route, links=links
    )

    response = journalist_client.post(NEW, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved yet." in content
    assert message in content
    assert not Incident.objects.exists()
    assert not RoutePoint.objects.exists()
    assert Place.objects.count() == places + 1


def test_a_link_to_another_journalists_draft_is_refused(journalist_client, other_journalist):
    draft = IncidentFactory(created_by=other_journalist)
    links = [{"incident": str(draft.public_id), "link": "origin:stored_at"}]

    response = journalist_client.post(NEW, incident_post(place=PlaceFactory(), links=links))

    assert "no incident with this id that you may see" in response.content.decode()
    assert Incident.objects.count() == 1


def edit_page(client, incident):
    url = f"{incident.get_absolute_url()}edit/"
    return url, read_form(client.get(url), "incident-form")


def test_edit_the_route_through_the_edit_form(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    depot, border = PlaceFactory(name="Depot"), PlaceFactory(name="Border")
    set_route(incident, (depot, {"claims": [claim]}))
    url, data = edit_page(journalist_client, incident)
    # The page offers the incident's own claims, the stored point with its claim ticked.
    assert data["route-0-supporting_claims"] == [str(claim.pk)]
    assert "route-0-DELETE" not in data
    data["route-0-note"] = ["Reported by the ministry"]
    data["route-TOTAL_FORMS"] = ["2"]
    data.update({"route-1-place": [str(border.pk)], "route-1-supporting_claims": [str(claim.pk)]})

    response = journalist_client.post(url, data)

    assert response.status_code == 302
    first, second = incident.route_points.order_by("position")
    assert (first.place, first.note) == (depot, "Reported by the ministry")
    assert second.place == border and list(second.supporting_claims.all()) == [claim]
    assert incident.history.latest().history_change_reason == "route points: 1 added, 1 changed"


def test_a_claim_of_another_incident_cannot_be_cited_from_the_edit_form(
    journalist, journalist_client
):
    incident = IncidentFactory(created_by=journalist)
    other = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    [stored] = set_route(incident, PlaceFactory())
    url, data = edit_page(journalist_client, incident)
    data["route-0-supporting_claims"] = [str(other.pk)]

    response = journalist_client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not stored.supporting_claims.exists()


def test_editors_remove_points_and_links_from_the_edit_form(journalist, editor_client):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    kept, _ = set_route(incident, PlaceFactory(name="Kept"), PlaceFactory(name="Dropped"))
    link(incident, IncidentFactory(created_by=journalist, status="submitted", title="Depot"))
    url, data = edit_page(editor_client, incident)
    assert data["links-0-link"] == ["destination:sold_at"]
    data["route-1-DELETE"] = ["on"]
    data["links-0-DELETE"] = ["on"]

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert list(incident.route_points.all()) == [kept]
    assert not IncidentLink.objects.exists()
    assert incident.history.latest().history_change_reason == (
        "route points: 1 removed; links: 1 removed"
    )


def test_an_unchanged_edit_form_keeps_the_route_and_links(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist)
    set_route(incident, PlaceFactory(), PlaceFactory())
    link(incident, IncidentFactory(created_by=journalist))
    incident.refresh_from_db()
    version = incident.version
    url, data = edit_page(journalist_client, incident)

    assert journalist_client.post(url, data).status_code == 302

    incident.refresh_from_db()
    assert incident.version == version
    assert incident.route_points.count() == 2 and IncidentLink.objects.count() == 1


def test_the_incident_page_shows_the_route_and_links(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist, title="Homes")
    claim = ClaimFactory(incident=incident)
    set_route(
        incident, (PlaceFactory(name="Depot"), {"claims": [claim], "note": "Seen by a driver"})
    )
    market = IncidentFactory(created_by=journalist, title="Market in Narowlya")
    link(incident, market)

    content = journalist_client.get(incident.get_absolute_url()).content.decode()

    assert "Where the goods were taken" in content
    assert "Depot, Kyiv Oblast (UA)" in content and "How it is known: Seen by a driver" in content
    assert f"Claims that say so: {claim}" in content
    market_link = f'<a href="{market.get_absolute_url()}">Market in Narowlya</a>'
    assert f"Goods taken here were sold at {market_link}" in content
    assert "Created route point: 1. Depot" in content
    assert "Created link: sold at" in content
    market_page = journalist_client.get(market.get_absolute_url()).content.decode()
    homes_link = f'<a href="{incident.get_absolute_url()}">Homes</a>'
    assert f"Goods taken in {homes_link} were sold at this incident" in market_page


def test_the_map_draws_routes_as_lines_of_published_coordinates(journalist, journalist_client):
    incident = IncidentFactory(created_by=journalist, title="Column")
    home = PlaceFactory(
        latitude="50.123456", longitude="30.654321", precision="exact", admin2="Bucha Raion"
    )
    set_route(
        incident,
        home,
        PlaceFactory(name="Belgorod", country="RU", latitude="50.6", longitude="36.6"),
    )

    collection = journalist_client.get("/incidents/map.geojson").json()

    point, line = collection["features"]
    assert point["geometry"]["type"] == "Point"
    assert line["id"] == f"{incident.public_id}/route"
    assert line["geometry"] == {
        "type": "LineString",
        "coordinates": [[30.52, 50.45], [30.65, 50.12], [36.6, 50.6]],
    }
    assert line["properties"]["places"][1] == "Location withheld, Bucha Raion, Kyiv Oblast"
    assert "123456" not in str(collection)


def test_the_map_page_has_a_route_toggle(journalist_client):
    content = journalist_client.get("/incidents/map/").content.decode()
    assert 'id="map-show-routes"' in content
    assert "<script>" not in content and 'style="' not in content


def test_the_list_filters_by_where_the_goods_went(journalist, journalist_client):
    homes = IncidentFactory(created_by=journalist, title="Homes")
    market = IncidentFactory(created_by=journalist, place=PlaceFactory(country="BY"))
    link(homes, market)
    driven = IncidentFactory(created_by=journalist, title="Driven away")
    border = PlaceFactory(country="RU")
    set_route(driven, border)

    to_belarus = journalist_client.get("/incidents/?taken_to_country=BY")
    to_russia = journalist_client.get("/incidents/map.geojson?taken_to_country=RU")

    assert [incident.title for incident in to_belarus.context["page"]] == ["Homes"]
    assert "Goods taken to (country)" in to_belarus.content.decode()
    assert [feature["properties"]["title"] for feature in to_russia.json()["features"]] == [
        "Driven away",
        "Driven away",
    ]
