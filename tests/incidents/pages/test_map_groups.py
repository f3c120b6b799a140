"""The map's data at any size: markers for the incidents in view when they are few, groups
counted on a grid by the server when they are many (incidents.views.maps)."""

import pytest

from incidents.models import PlacePrecision
from tests.factories import IncidentFactory, PlaceFactory
from tests.incidents.pages.test_list import make_incidents

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_markers(monkeypatch):
    """Group as soon as there are more than two incidents in view."""
    monkeypatch.setattr("incidents.views.maps.MARKER_LIMIT", 2)


def geojson(client, **params):
    response = client.get("/incidents/map.geojson", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_many_incidents_come_as_groups_with_their_counts(
    journalist, journalist_client, few_markers
):
    kyiv = PlaceFactory(name="Kyiv", latitude="50.450000", longitude="30.520000")
    kharkiv = PlaceFactory(name="Kharkiv", latitude="49.990000", longitude="36.230000")
    for place, count in ((kyiv, 3), (kharkiv, 2)):
        for _ in range(count):
            IncidentFactory(created_by=journalist, place=place)

    data = geojson(journalist_client, zoom=6, bbox="22,44,40,52.5")

    assert data["clustered"] is True and data["total"] == 5
    groups = sorted(
        (feature["properties"]["count"], feature["geometry"]["coordinates"])
        for feature in data["features"]
    )
    assert groups == [(2, [36.23, 49.99]), (3, [30.52, 50.45])]
    assert all(feature["properties"]["cluster"] for feature in data["features"])


def test_zoomed_in_on_a_city_the_incidents_are_markers(journalist, journalist_client, few_markers):
    kyiv = PlaceFactory(name="Kyiv", latitude="50.450000", longitude="30.520000")
    lviv = PlaceFactory(name="Lviv", latitude="49.840000", longitude="24.030000")
    IncidentFactory(created_by=journalist, place=kyiv, title="In Kyiv")
    for _ in range(3):
        IncidentFactory(created_by=journalist, place=lviv)

    data = geojson(journalist_client, zoom=12, bbox="30.3,50.3,30.7,50.6")

    assert data["clustered"] is False
    assert [feature["properties"]["title"] for feature in data["features"]] == ["In Kyiv"]


def test_a_home_is_grouped_at_its_rounded_place(journalist, journalist_client, few_markers):
    home = PlaceFactory(
        name="12 Sadova Street",
        precision=PlacePrecision.EXACT,
        latitude="50.543219",
        longitude="30.217890",
    )
    for _ in range(3):
        IncidentFactory(created_by=journalist, place=home)

    data = geojson(journalist_client, zoom=16, bbox="30.2,50.5,30.3,50.6")

    [group] = data["features"]
    assert group["geometry"]["coordinates"] == [30.22, 50.54]
    assert "Sadova" not in str(data)


def test_groups_honour_the_filters(journalist, journalist_client, few_markers):
    for title in ("Pianos taken", "Pianos taken", "Pianos taken", "Cars taken"):
        IncidentFactory(created_by=journalist, title=title)

    assert geojson(journalist_client, q="pianos", zoom=5)["total"] == 3


def test_the_answer_has_a_fixed_number_of_queries_and_a_bounded_size(
    journalist, journalist_client, few_markers, django_assert_max_num_queries
):
    make_incidents(3, created_by=journalist)
    with django_assert_max_num_queries(8) as few:
        geojson(journalist_client, zoom=3)
    for number in range(12):
        place = PlaceFactory(latitude=f"{45 + number // 3}.5", longitude=f"{24 + number}.5")
        IncidentFactory(created_by=journalist, place=place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = geojson(journalist_client, zoom=3, bbox="-180,-90,180,90")
    # However large the box claimed, it is cut into at most 40 × 40 squares.
    assert data["total"] == 15 and len(data["features"]) <= 40 * 40


@pytest.mark.parametrize(
    ("params", "field"),
    [({"zoom": "99"}, "zoom"), ({"zoom": "near"}, "zoom"), ({"bbox": "1,2,3"}, "bbox")],
)
def test_a_bad_view_is_refused_with_a_message(journalist_client, params, field):
    response = journalist_client.get("/incidents/map.geojson", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
