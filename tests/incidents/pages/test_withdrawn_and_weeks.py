"""Withdrawn incidents out of the way in the list, the map and the timeline (a filter shows
them); the timeline's weeks lead to their incidents; a date range that ends before it
begins is an error, not an empty page."""

import datetime

import pytest

from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_and_withdrawn(journalist, editor):
    live = IncidentFactory(
        created_by=journalist,
        title="Tractors taken in Melitopol",
        occurred_from=datetime.date(2022, 4, 27),
        occurred_to=datetime.date(2022, 4, 28),
    )
    ClaimFactory(incident=live)
    gone = IncidentFactory(
        created_by=journalist,
        title="Logged twice by mistake",
        occurred_from=datetime.date(2022, 4, 26),
        occurred_to=datetime.date(2022, 4, 26),
    )
    ClaimFactory(incident=gone)
    incident_services.withdraw_incident(incident=gone, editor=editor, reason="Logged twice.")
    return live, gone


def titles(response):
    return [incident.title for incident in response.context["page"].object_list]


def map_titles(response):
    return [feature["properties"]["title"] for feature in response.json()["features"]]


def test_list_and_map_leave_withdrawn_incidents_out_unless_asked(
    journalist_client, live_and_withdrawn
):
    live, gone = live_and_withdrawn
    for query in ({}, {"q": ""}, {"status": ""}):
        assert titles(journalist_client.get("/incidents/", query)) == [live.title]
        assert map_titles(journalist_client.get("/incidents/map.geojson", query)) == [live.title]

    assert titles(journalist_client.get("/incidents/", {"status": "withdrawn"})) == [gone.title]
    assert map_titles(journalist_client.get("/incidents/map.geojson", {"status": "withdrawn"})) == [
        gone.title
    ]
    assert titles(journalist_client.get("/incidents/", {"status": "any"})) == [
        live.title,
        gone.title,
    ]
    page = journalist_client.get("/incidents/").content.decode()
    assert "Any but withdrawn" in page and "Any, withdrawn included" in page


def test_timeline_counts_no_withdrawn_incident_and_links_each_week_to_the_list(
    journalist_client, live_and_withdrawn
):
    live, gone = live_and_withdrawn

    response = journalist_client.get("/incidents/timeline/", {"q": "", "page": "2"})

    assert response.context["total"] == 1
    [row] = response.context["rows"]
    assert (row["week"], row["count"]) == (datetime.date(2022, 4, 25), 1)
    assert row["url"] == "/incidents/?q=&week=2022-04-25"
    assert f'href="{row["url"]}"' in response.content.decode().replace("&amp;", "&")
    # The week's link lists exactly the incidents the week counts.
    assert titles(journalist_client.get(row["url"])) == [live.title]

    everything = journalist_client.get("/incidents/timeline/", {"status": "any"})
    assert everything.context["total"] == 2
    assert everything.context["rows"][0]["url"] == "/incidents/?status=any&week=2022-04-25"
    assert titles(journalist_client.get(everything.context["rows"][0]["url"])) == [
        live.title,
        gone.title,
    ]


def test_week_filter_takes_incidents_that_began_that_week(journalist_client, live_and_withdrawn):
    live, _ = live_and_withdrawn
    # Any day of the week names the week.
    assert titles(journalist_client.get("/incidents/", {"week": "2022-05-01"})) == [live.title]
    assert titles(journalist_client.get("/incidents/", {"week": "2022-05-02"})) == []


@pytest.mark.parametrize("url", ["/incidents/", "/incidents/timeline/"])
def test_a_date_range_that_ends_before_it_begins_is_a_form_error(
    journalist_client, live_and_withdrawn, url
):
    response = journalist_client.get(
        url, {"occurred_after": "2022-05-01", "occurred_before": "2022-04-01"}
    )

    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert errors["occurred_before"] == [
        "“To” is before “From”: no incident can match. Swap the dates."
    ]
    assert "Swap the dates." in response.content.decode()


def test_map_data_refuses_a_backwards_date_range(journalist_client, live_and_withdrawn):
    response = journalist_client.get(
        "/incidents/map.geojson", {"occurred_after": "2022-05-01", "occurred_before": "2022-04-01"}
    )

    assert response.status_code == 400
    assert "occurred_before" in response.json()["errors"]
