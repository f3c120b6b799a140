"""Where the goods went, in a real browser: the map draws each route with arrows from the
incident to where its goods were taken (and hides them on request), and the log form lets
a route point cite claims added to the form after it."""

import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.journalist import sign_in
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory, UserFactory, set_route

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_map_draws_the_route_as_arrows_with_a_toggle(page, live_server, screenshot):
    journalist = UserFactory(username="jo", role="journalist")
    incident = IncidentFactory(
        created_by=journalist,
        status="submitted",
        title="Truck column from Buryn",
        place=PlaceFactory(name="Buryn", latitude="51.2", longitude="33.8167"),
    )
    set_route(
        incident,
        PlaceFactory(name="Putyvl", latitude="51.337", longitude="33.87"),
        PlaceFactory(name="Border", latitude="51.35", longitude="34.25"),
    )

    sign_in(page, "jo")
    page.goto("/incidents/map/")

    expect(page.locator("#incident-map[data-loaded='1']")).to_be_attached()
    expect(page.locator("#map-status")).to_have_text(
        "1 incident on the map. 1 route of looted goods."
    )
    line = page.locator("path.route-line")
    arrows = page.locator("path.route-arrow")
    expect(line).to_have_count(1)
    expect(line).to_be_visible()
    # One arrowhead for each leg: Buryn to Putyvl, Putyvl to the border.
    expect(arrows).to_have_count(2)
    expect(arrows.first).to_be_visible()
    # The arrowhead of the last leg points at the border: its tip is the line's end.
    tip = arrows.last.bounding_box()
    end = line.bounding_box()
    assert abs((tip["x"] + tip["width"]) - (end["x"] + end["width"])) < 2
    screenshot(page, "route-map")

    page.get_by_label("Show where the goods were taken (arrows)").uncheck()
    expect(arrows).to_have_count(0)
    expect(line).to_have_count(0)
    page.get_by_label("Show where the goods were taken (arrows)").check()
    expect(arrows).to_have_count(2)

    # The marker still opens the incident, clustered points as before.
    page.locator(".leaflet-marker-icon[title='Truck column from Buryn']").click()
    expect(page).to_have_url(re.compile(re.escape(incident.get_absolute_url()) + "$"))


def test_a_route_point_cites_a_claim_added_after_it(page, live_server):
    UserFactory(username="jo", role="journalist")
    PlaceFactory(name="Melitopol", latitude="46.85", longitude="35.37")
    PlaceFactory(name="Grozny", country="RU", latitude="43.32", longitude="45.69")
    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_load_state("load")

    page.get_by_label("Title").fill("Combine harvesters driven to Chechnya")
    page.get_by_label("Occurred from").fill("2022-04-01")
    page.get_by_label("Occurred to").fill("2022-04-30")
    # The picker carries no place until one is searched for (issue 11: 100,000 places).
    expect(page.locator("#id_place option")).to_have_count(2)
    page.get_by_label("Search the known places").fill("Melit")
    expect(page.locator("#id_place option")).to_have_count(3)
    page.locator("#id_place").select_option(label="Melitopol, Kyiv Oblast (UA)")
    page.get_by_label("Find the place among the known ones").fill("Groz")
    expect(page.locator("#id_route-0-place option")).to_have_count(3)
    page.locator("#id_route-0-place").select_option(label="Grozny, Kyiv Oblast (RU)")
    page.locator("#id_route-0-note").fill("Tracked by the dealer's GPS")
    for index, url in enumerate(["https://t.me/dealer/1", "https://t.me/dealer/2"]):
        if index:
            page.get_by_role("button", name="Add another claim").click()
        prefix = f"#id_claims-{index}-"
        page.locator(prefix + "source").select_option("new")
        page.locator(prefix + "new_source_name").fill(f"Source {index + 1}")
        page.locator(prefix + "new_source_kind").select_option("media_outlet")
        page.locator(prefix + "medium").select_option("press_report")
        page.locator(prefix + "url").fill(url)
        page.locator(prefix + "language").fill("en")
        page.locator(prefix + "original_text").fill("The harvesters were tracked to Grozny.")
    # The second claim was added after the route point: the point offers it all the same.
    page.locator("#id_route-0-claim_numbers").get_by_label("Claim 2").check()
    page.get_by_role("button", name="Add another place").click()
    expect(page.locator("#id_route-1-claim_numbers").get_by_label("Claim 2")).to_be_attached()
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Incident saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the goods were taken")).to_be_visible()
    incident = Incident.objects.get(title="Combine harvesters driven to Chechnya")
    [point] = incident.route_points.all()
    assert point.place.name == "Grozny"
    assert [claim.url for claim in point.supporting_claims.all()] == ["https://t.me/dealer/2"]
    assert ClaimFactory._meta.model.objects.filter(incident=incident).count() == 2
