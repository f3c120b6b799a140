"""The map with no network beyond this server: Natural Earth's borders and coastlines from
this site under the markers, no request to any other host, no console error."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EXTERNAL
from tests.browser.journalist import sign_in
from tests.factories import IncidentFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_map_draws_offline(page, live_server, settings):
    assert settings.MAP_TILE_URL == ""
    jo = UserFactory(username="jo", role="journalist")
    for name, latitude, longitude in (("Bucha", "50.543", "30.212"), ("Buryn", "51.2", "33.8")):
        place = PlaceFactory(name=name, latitude=latitude, longitude=longitude)
        IncidentFactory(created_by=jo, title=f"Looting in {name}", place=place)
    elsewhere, errors = [], []
    page.on(
        "request", lambda request: EXTERNAL.match(request.url) and elsewhere.append(request.url)
    )
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, "jo")
    page.goto("/incidents/map/")
    expect(page.locator("#incident-map")).to_have_attribute("data-basemap", "drawn")
    expect(page.locator("#incident-map")).to_have_attribute("data-loaded", "2")
    # Land, borders and coastlines in the base pane, under the markers.
    basemap = page.locator(".leaflet-basemap-pane")
    expect(basemap.locator("path.basemap-land").first).to_be_attached()
    assert basemap.locator("path.basemap-border").count() >= 1
    assert basemap.locator("path.basemap-coast").count() >= 1
    drawn = basemap.locator("path.basemap-border").first.get_attribute("d")
    assert drawn and re.search(r"\d+ \d+|\d+,\d+", drawn)
    expect(page.locator(".leaflet-marker-pane .leaflet-marker-icon")).to_have_count(2)
    assert page.locator(".leaflet-tile").count() == 0
    assert elsewhere == []
    assert errors == []
