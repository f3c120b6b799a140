"""The incident list, its search, filters, sorting and pagination, the map's GeoJSON and
the timeline."""

import datetime

import pytest

from claims import services as claim_services
from incidents.models import Incident, ItemCategory, PlacePrecision
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    submit,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [incident.title for incident in response.context["page"].object_list]


def make_incidents(count, *, created_by, **fields):
    incidents = []
    for _ in range(count):
        incident = IncidentFactory(created_by=created_by, status="submitted", **fields)
        IncidentItemFactory(incident=incident)
        ClaimFactory(incident=incident)
        incidents.append(incident)
    return incidents


def test_rows_show_place_dates_categories_badges_and_status(journalist, journalist_client, editor):
    place = PlaceFactory(name="Bucha", admin1="Kyiv Oblast")
    incident = IncidentFactory(
        created_by=journalist,
        place=place,
        title="Homes looted in Bucha",
        occurred_from=datetime.date(2022, 3, 20),
        occurred_to=datetime.date(2022, 3, 30),
    )
    IncidentItemFactory(incident=incident, category=ItemCategory.objects.get(slug="cars"))
    verified = ClaimFactory(incident=incident, source=SourceFactory(name="Defence Ministry"))
    ClaimFactory(incident=incident)
    submit(incident)
    claim_services.review_claim(
        claim=verified, reviewer=editor, to_status="verified", note="Original post found."
    )

    content = journalist_client.get("/incidents/").content.decode()

    assert "Homes looted in Bucha" in content
    assert "Bucha, Kyiv Oblast" in content
    assert "20 Mar 2022" in content and "30 Mar 2022" in content
    assert ">Cars<" in content
    assert "Single source" in content
    assert "2 claims" in content
    assert "1 verified" in content
    assert "1 unverified" in content
    assert "Submitted for review" in content


def test_search_finds_words_in_titles_and_claim_texts(journalist, journalist_client):
    washing = IncidentFactory(created_by=journalist, title="Appliances taken")
    ClaimFactory(incident=washing, original_text="They took the washing machines.")
    IncidentFactory(created_by=journalist, title="Cars driven away")

    assert titles(journalist_client.get("/incidents/", {"q": "washing"})) == ["Appliances taken"]
    assert titles(journalist_client.get("/incidents/", {"q": "cars"})) == ["Cars driven away"]
    assert titles(journalist_client.get("/incidents/", {"q": "nothing-like-this"})) == []


def test_search_leaves_withdrawn_claims_out(journalist, journalist_client, editor):
    incident = IncidentFactory(created_by=journalist, title="Appliances taken", status="submitted")
    claim = ClaimFactory(incident=incident, original_text="They took the refrigerators.")
    assert titles(journalist_client.get("/incidents/", {"q": "refrigerators"})) == [
        "Appliances taken"
    ]

    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Fabricated post.")

    assert titles(journalist_client.get("/incidents/", {"q": "refrigerators"})) == []


def test_filters(journalist, journalist_client, other_journalist, editor, published_incident):
    electronics = ItemCategory.objects.get(slug="electronics")
    child = electronics.children.first()
    belarus = PlaceFactory(name="Naroulia", country="BY")
    market = IncidentFactory(
        created_by=other_journalist,
        status="submitted",
        place=belarus,
        title="Market of stolen goods",
        occurred_from=datetime.date(2022, 4, 1),
        occurred_to=datetime.date(2022, 4, 3),
    )
    IncidentItemFactory(incident=market, category=child)
    disputed = ClaimFactory(incident=market)
    claim_services.review_claim(
        claim=disputed,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Photo is from 2019.",
    )
    draft = IncidentFactory(created_by=journalist, title="My draft")
    everything = {published_incident.title, market.title, draft.title}
    get = journalist_client.get

    assert set(titles(get("/incidents/"))) == everything
    assert titles(get("/incidents/", {"country": "by"})) == [market.title]
    assert titles(get("/incidents/", {"place": belarus.pk})) == [market.title]
    # A top category includes its subcategories.
    assert titles(get("/incidents/", {"category": "electronics"})) == [market.title]
    assert titles(get("/incidents/", {"claim_status": "disputed"})) == [market.title]
    assert titles(get("/incidents/", {"status": "published"})) == [published_incident.title]
    assert set(titles(get("/incidents/", {"mine": "on"}))) == {
        draft.title,
        published_incident.title,
    }
    assert titles(get("/incidents/", {"occurred_after": "2022-04-03"})) == [market.title]
    assert market.title not in titles(get("/incidents/", {"occurred_before": "2022-03-01"}))
    assert titles(get("/incidents/", {"ordering": "title"})) == sorted(everything)
    assert titles(get("/incidents/", {"ordering": "-title"})) == sorted(everything, reverse=True)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"occurred_after": "not-a-date"}, "Enter a valid date."),
        ({"country": "Ukraine"}, "two-letter"),
        ({"category": "no-such-slug"}, "Unknown category."),
        ({"place": "999999"}, "Unknown place."),
        ({"ordering": "secret"}, "Select a valid choice"),
        ({"page": "many"}, "incident"),
        ({"q": "washing\x00machines"}, "Null characters are not allowed."),
        ({"place": "²"}, "Unknown place."),
    ],
)
def test_bad_filter_values_are_shown_not_crashed_on(journalist_client, params, message):
    response = journalist_client.get("/incidents/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_pagination_keeps_the_filters(journalist, journalist_client):
    make_incidents(27, created_by=journalist, title="Same title")
    first = journalist_client.get("/incidents/", {"q": "Same"})
    assert len(titles(first)) == 25
    assert "q=Same&amp;page=2" in first.content.decode()
    second = journalist_client.get("/incidents/", {"q": "Same", "page": 2})
    assert len(titles(second)) == 2


def test_list_query_count_does_not_grow_with_rows(
    journalist, journalist_client, django_assert_max_num_queries
):
    make_incidents(2, created_by=journalist)
    with django_assert_max_num_queries(12) as few:
        journalist_client.get("/incidents/")
    make_incidents(23, created_by=journalist)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = journalist_client.get("/incidents/", {"q": "Looting"})
    assert len(titles(response)) == 25
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_map_geojson_honours_the_filters_and_rounds_homes(journalist, journalist_client):
    home = PlaceFactory(
        name="12 Sadova Street",
        admin1="Kyiv Oblast",
        admin2="Bucha Raion",
        precision=PlacePrecision.EXACT,
        latitude="50.543219",
        longitude="30.21789",
    )
    at_home = IncidentFactory(created_by=journalist, place=home, title="Wardrobes emptied")
    IncidentFactory(created_by=journalist, title="Elsewhere")

    data = journalist_client.get("/incidents/map.geojson", {"q": "Wardrobes"}).json()

    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["id"] == str(at_home.public_id)
    assert feature["geometry"] == {"type": "Point", "coordinates": [30.22, 50.54]}
    assert feature["properties"]["url"] == at_home.get_absolute_url()
    assert feature["properties"]["assessment"] == "unverified"
    # A home's name is often its address: the map names only its district and region.
    assert feature["properties"]["place"] == "Location withheld, Bucha Raion, Kyiv Oblast"
    assert "Sadova" not in journalist_client.get("/incidents/map.geojson").content.decode()
    assert data["truncated"] is False


def test_map_geojson_names_a_public_place_in_full(journalist, journalist_client):
    village = PlaceFactory(name="Hostomel", precision=PlacePrecision.SETTLEMENT)
    IncidentFactory(created_by=journalist, place=village)
    [feature] = journalist_client.get("/incidents/map.geojson").json()["features"]
    assert feature["properties"]["place"] == "Hostomel"


def test_map_geojson_refuses_bad_filters_with_a_message(journalist_client):
    response = journalist_client.get("/incidents/map.geojson", {"occurred_after": "soon"})
    assert response.status_code == 400
    assert "occurred_after" in response.json()["errors"]


def test_map_geojson_query_count_does_not_grow(
    journalist, journalist_client, django_assert_max_num_queries
):
    make_incidents(2, created_by=journalist)
    # One of them counts the incidents in view (up to the marker limit): markers or groups.
    with django_assert_max_num_queries(7) as few:
        journalist_client.get("/incidents/map.geojson")
    make_incidents(20, created_by=journalist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(journalist_client.get("/incidents/map.geojson").json()["features"]) == 22


def test_map_page_has_the_map_and_local_assets(journalist_client, settings):
    content = journalist_client.get("/incidents/map/", {"country": "UA"}).content.decode()
    assert 'id="incident-map"' in content
    assert "vendor/leaflet/leaflet.js" in content
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in content
    assert "/incidents/map.geojson?country=UA" in content
    # Borders and coastlines from this site; no tile server unless one is configured.
    assert "vendor/world-atlas/countries-50m.json" in content
    assert "vendor/topojson-client/topojson-client.min.js" in content
    assert '"tile_url": ""' in content
    assert "openstreetmap" not in content
    assert "unpkg.com" not in content and "cdn" not in content.lower()


def test_timeline_counts_incidents_per_week(journalist, journalist_client):
    for day in (1, 2, 15):
        IncidentFactory(
            created_by=journalist,
            occurred_from=datetime.date(2022, 3, day),
            occurred_to=datetime.date(2022, 3, day),
        )
    response = journalist_client.get("/incidents/timeline/")
    rows = [(row["week"], row["count"]) for row in response.context["rows"]]
    assert rows == [
        (datetime.date(2022, 2, 28), 2),
        (datetime.date(2022, 3, 7), 0),
        (datetime.date(2022, 3, 14), 1),
    ]
    assert response.context["total"] == 3
    filtered = journalist_client.get("/incidents/timeline/", {"occurred_after": "2022-03-10"})
    assert [row["count"] for row in filtered.context["rows"]] == [1]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_pages_take_incidents_at_the_ends_of_the_calendar(journalist, journalist_client, day):
    """Rows recorded before implausible dates were refused (lootwatch.validators) still
    show: their dates are moved there behind the services' back, as old data would be."""
    day = datetime.date.fromisoformat(day)
    odd = [
        IncidentFactory(created_by=journalist, title="Odd date"),
        IncidentFactory(created_by=journalist),
    ]
    Incident.objects.filter(pk__in=[incident.pk for incident in odd]).update(
        occurred_from=day, occurred_to=day
    )
    for url in ("/incidents/", "/incidents/timeline/", "/incidents/map.geojson"):
        response = journalist_client.get(url)
        assert response.status_code == 200, url
    timeline = journalist_client.get("/incidents/timeline/")
    assert timeline.context["total"] == 2
    assert timeline.context["rows"][-1]["count"] == 2


def test_a_long_list_is_counted_only_up_to_a_cap(journalist, journalist_client, monkeypatch):
    monkeypatch.setattr("incidents.views.browse.LIST_COUNT_CAP", 3)
    monkeypatch.setattr("incidents.views.browse.PAGE_SIZE", 2)
    make_incidents(5, created_by=journalist)

    first = journalist_client.get("/incidents/").content.decode()
    assert "More than 3 incidents" in first
    assert "Page 1 of more than 1" in first and 'rel="next"' in first
    # The pages go on while there are incidents, and stop at the last one.
    last = journalist_client.get("/incidents/", {"page": 3})
    assert len(titles(last)) == 1
    assert 'rel="next"' not in last.content.decode()
    assert titles(journalist_client.get("/incidents/", {"page": 9})) == []


def test_the_place_filter_offers_only_the_chosen_place(journalist, journalist_client):
    chosen = PlaceFactory(name="Bucha")
    others = [PlaceFactory(name=f"Village {n}") for n in range(3)]
    IncidentFactory(created_by=journalist, place=chosen, title="At Bucha")

    response = journalist_client.get("/incidents/", {"place": chosen.pk})
    content = response.content.decode()

    assert titles(response) == ["At Bucha"]
    assert f'<option value="{chosen.pk}" selected>Bucha' in content
    assert not any(place.name in content for place in others)
    # Typing in its search box asks the places' endpoint, which answers for the filter.
    assert 'hx-get="/incidents/places/?for=filter"' in content
    options = journalist_client.get("/incidents/places/", {"place_search": "vill", "for": "filter"})
    assert "Any place" in options.content.decode() and "a new place" not in options.content.decode()
