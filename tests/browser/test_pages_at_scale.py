"""The pages built for a war's worth of incidents, in a real browser: the list's place
filter is typed rather than chosen from every place, and the map shows groups counted by
the server when many incidents are in view, and markers once zoomed in on a city."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journalist import sign_in
from tests.factories import IncidentFactory, PlaceFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_place_filter_suggests_places_as_you_type(page, live_server):
    journalist = UserFactory(username="jo", role="journalist")
    bucha = PlaceFactory(name="Bucha", admin1="Kyiv Oblast")
    IncidentFactory(created_by=journalist, place=bucha, title="Homes emptied in Bucha")
    for name in ("Irpin", "Hostomel", "Borodianka"):
        IncidentFactory(created_by=journalist, place=PlaceFactory(name=name), title=f"In {name}")

    sign_in(page, "jo")
    page.get_by_text("Filters and sorting").click()
    # Only "Any place" until something is typed: the page does not carry every place.
    expect(page.locator("#id_place option")).to_have_count(1)
    page.wait_for_function("window.htmx !== undefined")
    page.get_by_label("Find a place by its name").fill("buc")
    expect(page.locator("#id_place option")).to_have_count(2)
    page.locator("#id_place").select_option(label="Bucha, Kyiv Oblast (UA)")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(rf"[?&]place={bucha.pk}(&|$)"))
    assert "place_search" not in page.url
    rows = page.locator("table.incident-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Homes emptied in Bucha")
    # The chosen place stays chosen on the filtered page.
    expect(page.locator("#id_place option:checked")).to_have_text("Bucha, Kyiv Oblast (UA)")


def test_the_log_form_picker_suggests_places_from_the_keyboard(page, live_server):
    UserFactory(username="jo", role="journalist")
    bucha = PlaceFactory(name="Bucha", admin1="Kyiv Oblast")
    for name in ("Irpin", "Hostomel", "Borodianka"):
        PlaceFactory(name=name)

    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_function("window.htmx !== undefined")
    # "Choose a place" and "a new place" only until something is typed.
    expect(page.locator("#id_place option")).to_have_count(2)
    search = page.get_by_label("Search the known places")
    search.fill("Buc")
    expect(page.locator("#id_place option")).to_have_count(3)
    # Enter does not send the half-filled form: it moves to the suggestions, one chosen.
    search.press("Enter")
    expect(page.locator("#id_place")).to_be_focused()
    expect(page.locator("#id_place")).to_have_value(str(bucha.pk))
    assert page.url.endswith("/incidents/new/")
    # The down arrow moves there too, from the route's own search box.
    route_search = page.get_by_label("Find the place among the known ones")
    route_search.fill("Irp")
    expect(page.locator("#id_route-0-place option")).to_have_count(3)
    route_search.press("ArrowDown")
    expect(page.locator("#id_route-0-place")).to_be_focused()


def test_the_map_groups_many_incidents_and_shows_markers_on_a_city(page, live_server, monkeypatch):
    # Group as soon as more than three incidents are in view (400 in production).
    monkeypatch.setattr("incidents.views.maps.MARKER_LIMIT", 3)
    journalist = UserFactory(username="jo", role="journalist")
    cities = {
        "Kyiv": ("50.450000", "30.520000", 3),
        "Kharkiv": ("49.990000", "36.230000", 2),
        "Lviv": ("49.840000", "24.030000", 1),
    }
    for name, (latitude, longitude, count) in cities.items():
        place = PlaceFactory(name=name, latitude=latitude, longitude=longitude)
        for number in range(count):
            IncidentFactory(created_by=journalist, place=place, title=f"{name} {number}")

    sign_in(page, "jo")
    page.goto("/incidents/map/")

    # At a country's zoom: one group per city, with its count, and no single marker.
    expect(page.locator("#incident-map[data-clustered='true'][data-loaded='6']")).to_be_attached()
    groups = page.locator(".server-cluster")
    expect(groups).to_have_count(3)
    assert sorted(groups.all_inner_texts()) == ["1", "2", "3"]
    expect(page.locator("#map-status")).to_contain_text("6 incidents in this part of the map")
    expect(page.locator(".leaflet-marker-icon[title^='Kyiv']")).to_have_count(0)

    # A click on Kyiv's group zooms in on the city: its three incidents, one by one.
    groups.filter(has_text="3").click()
    expect(page.locator("#incident-map[data-clustered='false'][data-loaded='3']")).to_be_attached()
    expect(page.locator("#map-status")).to_have_text("3 incidents on the map.")
    expect(page.locator(".server-cluster")).to_have_count(0)
    markers = page.locator(".leaflet-marker-icon[title^='Kyiv'], .marker-cluster")
    expect(markers.first).to_be_visible()


def test_the_claim_source_picker_suggests_sources_from_the_keyboard(page, live_server):
    UserFactory(username="jo", role="journalist")
    ministry = SourceFactory(name="Ministry of Defence of Ukraine")
    for name in ("Kyiv Independent", "General Staff", "Suspilne"):
        SourceFactory(name=name)

    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_function("window.htmx !== undefined")
    picker = page.locator("#id_claims-0-source")
    # "Choose a source" and "a new source" only until something is typed.
    expect(picker.locator("option")).to_have_count(2)
    search = page.locator("#id_claims-0-source-search")
    search.fill("defen")
    expect(picker.locator("option")).to_have_count(3)
    # Enter moves to the suggestions, the one match chosen, without sending the form.
    search.press("Enter")
    expect(picker).to_be_focused()
    expect(picker).to_have_value(str(ministry.pk))
    assert page.url.endswith("/incidents/new/")
