"""Keyset pagination: next/previous links, page sizes, stability while rows are added."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [item.get("id") or item["slug"] for item in response.json()["results"]]


def walk(client, url):
    """Follow next links from ``url``; return every id seen, in order."""
    seen = []
    while url:
        response = client.get(url)
        seen += ids(response)
        url = response.json()["next"]
    return seen


@pytest.fixture
def five(publish):
    # Two incidents share a start date, so the tiebreaker decides their order.
    days = [1, 2, 2, 3, 4]
    return [publish(occurred_from=datetime.date(2022, 3, d)) for d in days]


def test_pages_cover_everything_once_in_order(partner_client, five):
    everything = ids(partner_client.get("/api/v1/incidents/?page_size=500"))

    paged = walk(partner_client, "/api/v1/incidents/?page_size=2")

    assert paged == everything
    assert len(paged) == 5
    assert everything[0] == str(five[-1].public_id)  # newest first by default


def test_previous_links_walk_back(partner_client, five):
    first = partner_client.get("/api/v1/incidents/?page_size=2").json()
    assert first["previous"] is None
    second = partner_client.get(first["next"]).json()
    third = partner_client.get(second["next"]).json()
    assert third["next"] is None

    back = partner_client.get(third["previous"]).json()
    assert [i["id"] for i in back["results"]] == [i["id"] for i in second["results"]]
    again = partner_client.get(back["previous"]).json()
    assert [i["id"] for i in again["results"]] == [i["id"] for i in first["results"]]
    assert again["previous"] is None


@pytest.mark.parametrize("ordering", ["updated_at", "-updated_at", "occurred_from", "created_at"])
def test_every_ordering_pages_stably(partner_client, five, ordering):
    everything = ids(partner_client.get(f"/api/v1/incidents/?ordering={ordering}"))

    assert walk(partner_client, f"/api/v1/incidents/?ordering={ordering}&page_size=2") == (
        everything
    )


def test_inserts_between_pages_do_not_repeat_or_skip_rows(partner_client, five, publish):
    first = partner_client.get("/api/v1/incidents/?ordering=updated_at&page_size=2").json()
    seen = [i["id"] for i in first["results"]]
    # New incidents arrive while the partner is paging: they sort after what was seen.
    late = [publish(), publish()]

    seen += walk(partner_client, first["next"])

    assert len(seen) == len(set(seen)) == 7
    assert seen[-2:] == [str(i.public_id) for i in late]


def test_a_cursor_is_bound_to_its_ordering(partner_client, five):
    next_url = partner_client.get("/api/v1/incidents/?page_size=2").json()["next"]

    response = partner_client.get(next_url + "&ordering=updated_at")

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "eyJvIjpbXX0",  # {"o":[]}
        "eyJvIjpbIi1vY2N1cnJlZF9mcm9tIiwiLXB1YmxpY19pZCJdLCJ2IjpbIngiLCJ5Il0sInIiOjB9",
        "%FF%FE",
    ],
)
def test_tampered_cursors_are_400(partner_client, five, cursor):
    response = partner_client.get(f"/api/v1/incidents/?cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_page_size_limits(partner_client, five):
    assert len(ids(partner_client.get("/api/v1/incidents/?page_size=1"))) == 1
    assert len(ids(partner_client.get("/api/v1/incidents/?page_size=500"))) == 5
    assert partner_client.get("/api/v1/incidents/?page_size=501").status_code == 400


def test_default_page_is_100(partner_client, publish):
    for _ in range(101):
        publish()

    response = partner_client.get("/api/v1/incidents/")

    assert len(ids(response)) == 100
    assert response.json()["next"]


def test_claims_and_reference_data_page_too(partner_client, five):
    claims = walk(partner_client, "/api/v1/claims/?page_size=2")
    places = walk(partner_client, "/api/v1/places/?page_size=2")
    categories = walk(partner_client, "/api/v1/categories/?page_size=7")

    assert len(claims) == len(set(claims)) == 5
    assert len(places) == 5
    assert len(categories) == len(set(categories))
