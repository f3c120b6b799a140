"""Looking places up by what was typed (/incidents/places/): the place picker of the forms
and the list's place filter. Trigram indexes answer it on PostgreSQL."""

import re

import pytest
from django.db import connection

from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def offered(client, text, **extra):
    response = client.get("/incidents/places/", {"place_search": text, **extra})
    assert response.status_code == 200
    return re.findall(r'<option value="\d+"[^>]*>([^<(]+) \(', response.content.decode())


def test_names_that_begin_with_the_text_come_first(journalist_client):
    for name in ("Nova Kamianka", "Kamianka", "Stara Kamianka", "Irpin"):
        PlaceFactory(name=name, admin1="Kherson Oblast")

    assert offered(journalist_client, "kamianka") == [
        "Kamianka, Kherson Oblast",
        "Nova Kamianka, Kherson Oblast",
        "Stara Kamianka, Kherson Oblast",
    ]


def test_a_region_finds_its_places(journalist_client):
    PlaceFactory(name="Bucha", admin1="Kyiv Oblast")
    PlaceFactory(name="Izium", admin1="Kharkiv Oblast")

    assert offered(journalist_client, "kharkiv") == ["Izium, Kharkiv Oblast"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_a_typo_finds_the_place_that_looks_like_it(journalist_client):
    PlaceFactory(name="Hostomel", admin1="Kyiv Oblast")
    PlaceFactory(name="Irpin", admin1="Kyiv Oblast")

    assert offered(journalist_client, "Hostomil") == ["Hostomel, Kyiv Oblast"]


def test_at_most_a_hundred_are_offered(journalist_client, django_assert_num_queries):
    for number in range(105):
        PlaceFactory(name=f"Village {number:03}")

    # The session, the user, their permissions (two), the places: however many there are.
    with django_assert_num_queries(5):
        assert len(offered(journalist_client, "village")) == 100
