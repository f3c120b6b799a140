"""The map by keyboard: Tab reaches each marker (named by its incident's title) and the
zoom buttons, every stop with a name; the routes' SVG paths, which the pointer may click,
are no nameless stops in between."""

import pytest
from playwright.sync_api import expect

from tests.browser.journalist import sign_in
from tests.factories import IncidentFactory, PlaceFactory, UserFactory, set_route

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The focused element, and the name a screen reader would read for it (its alt, title,
# aria-label or text: what the markers, groups and controls are named by).
FOCUSED = """() => {
  const element = document.activeElement;
  return {
    inMap: Boolean(element.closest("#incident-map")),
    isMap: element.id === "incident-map",
    tag: element.tagName.toLowerCase(),
    name: (element.getAttribute("aria-label") || element.getAttribute("alt")
           || element.getAttribute("title") || element.textContent || "").trim(),
  };
}"""


def tab_through_map(page):
    """Every element Tab stops at inside the map, from the map itself to the first after."""
    page.locator("#incident-map").focus()
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["inMap"]:
            return stops
        stops.append(focused)
    raise AssertionError(f"Tab never left the map: {stops}")


def test_every_tab_stop_on_the_map_has_a_name_and_routes_are_not_stops(page, live_server):
    journalist = UserFactory(username="jo", role="journalist")
    buryn = IncidentFactory(
        created_by=journalist,
        status="submitted",
        title="Truck column from Buryn",
        place=PlaceFactory(name="Buryn", latitude="51.2", longitude="33.8167"),
    )
    set_route(buryn, PlaceFactory(name="Border", latitude="51.35", longitude="34.25"))
    IncidentFactory(
        created_by=journalist,
        title="Homes looted in Bucha",
        place=PlaceFactory(name="Bucha", latitude="50.543", longitude="30.212"),
    )

    sign_in(page, "jo")
    page.goto("/incidents/map/")
    expect(page.locator("#incident-map[data-loaded='2']")).to_be_attached()
    expect(page.locator("path.route-line")).to_have_count(1)

    stops = tab_through_map(page)

    assert [stop for stop in stops if stop["tag"] == "path"] == []
    assert [stop for stop in stops if not stop["name"]] == []
    names = {stop["name"] for stop in stops}
    assert {"Truck column from Buryn", "Homes looted in Bucha", "Zoom in"} <= names
    # Still there for the pointer: a click on the route opens its incident.
    expect(page.locator("path.route-line")).to_have_attribute("tabindex", "-1")

    # Hidden and shown again, the route is drawn anew: still out of the tab order.
    page.get_by_label("Show where the goods were taken (arrows)").uncheck()
    page.get_by_label("Show where the goods were taken (arrows)").check()
    expect(page.locator("path.route-line")).to_have_attribute("tabindex", "-1")
