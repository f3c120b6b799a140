"""A journalist's day in a real browser: sign in, log an incident with two claims and a
photo, get warned when logging the same URL again, find the incident by search and on the
map, and follow it on "my incidents"."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import ActorFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"
POST_URL = "https://facebook.com/MinistryofDefence.UA/posts/4242"


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/incidents/$"))


def fill_claim(page, index, **fields):
    prefix = f"#id_claims-{index}-"
    if "new_source_name" in fields:
        # "The source is not in the list", in whichever language the page speaks.
        page.locator(".claim-form").nth(index).locator("details.new-source > summary").click()
    for name, value in fields.items():
        locator = page.locator(prefix + name)
        if locator.evaluate("element => element.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def test_log_find_and_follow_an_incident(page, live_server, screenshot):
    UserFactory(username="jo", role="journalist")
    PlaceFactory(name="Bucha", admin1="Kyiv Oblast", latitude="50.543", longitude="30.212")
    PlaceFactory(name="Irpin", admin1="Kyiv Oblast", latitude="50.521", longitude="30.25")
    ActorFactory(name="Russian Armed Forces")

    sign_in(page, "jo")

    # Log an incident: place by autocomplete, an item, an actor, two claims, a photo.
    page.get_by_role("link", name="Log an incident").first.click()
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    # htmx must be loaded before typing, or the place search request never goes out.
    page.wait_for_load_state("load")
    page.get_by_label("Title").fill("Washing machines carted off from Bucha flats")
    page.get_by_label("Summary").fill("Residents found their appliances gone after the retreat.")
    page.get_by_label("Occurred from").fill("2022-03-20")
    page.get_by_label("Occurred to").fill("2022-03-30")
    page.get_by_label("Search the known places").fill("Buc")
    # The two matching places and the "a new place" option.
    expect(page.locator("#id_place option")).to_have_count(3)
    page.locator("#id_place").select_option(label="Bucha, Kyiv Oblast (UA)")
    page.locator("#id_items-0-category").select_option(label="Household appliances")
    page.locator("#id_items-0-description").fill("washing machines")
    page.get_by_label("Russian Armed Forces").check()

    fill_claim(
        page,
        0,
        new_source_name="HuffPost",
        new_source_kind="media_outlet",
        medium="press_report",
        url="https://www.huffpost.com/entry/kyiv-looting",
        language="en",
        original_text="Ukraine's defence ministry said troops were looting washing machines.",
    )
    page.get_by_role("button", name="Add another claim").click()
    expect(page.locator("#id_claims-1-url")).to_be_visible()
    fill_claim(
        page,
        1,
        new_source_name="Defence Ministry of Ukraine",
        new_source_kind="government",
        medium="facebook_post",
        url=POST_URL,
        language="uk",
        original_text="Окупанти вивозять пральні машини.",
        translation="The occupiers are carting off washing machines.",
        translated_by="HuffPost",
        translator_kind="organisation",
        reported_via_number="0",
    )
    page.locator("#id_claims-1-evidence").set_input_files(
        {"name": "trucks.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    screenshot(page, "new-incident-form")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Incident logged and submitted for review.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Washing machines carted off from Bucha flats"
    )
    incident_url = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.get_by_role("heading", name="Claims (2)")).to_be_visible()
    expect(page.get_by_text("Reported via")).to_be_visible()
    expect(page.locator(".evidence-list figure.evidence img")).to_have_count(1)

    # Logging the same post again: warned before saving, with a link to the incident.
    page.goto("/incidents/new/")
    page.locator("#id_claims-0-url").fill(POST_URL)
    page.locator("#id_claims-0-url").press("Tab")
    warning = page.locator("#duplicates")
    expect(warning.get_by_role("heading", name="Already in Lootwatch?")).to_be_visible()
    expect(warning.get_by_role("link", name="Washing machines carted off")).to_have_attribute(
        "href", re.compile(re.escape(incident_url))
    )

    # Found by full-text search (a word from the translation) from the list page.
    page.get_by_role("link", name="Incidents", exact=True).click()
    page.get_by_role("searchbox").fill("carting")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.incident-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bucha")
    expect(rows.first).to_contain_text("Household appliances")
    expect(rows.first).to_contain_text("Submitted for review")
    screenshot(page, "incident-list")

    # On the map, for the same search: one marker, and clicking it opens the incident.
    page.get_by_role("link", name="Map").click()
    expect(page).to_have_url(re.compile(r"/incidents/map/\?q=carting$"))
    expect(page.locator("#map-status")).to_have_text("1 incident on the map.")
    expect(page.locator("#incident-map[data-loaded='1']")).to_be_attached()
    marker = page.locator(".leaflet-marker-icon[title^='Washing machines carted off']")
    expect(marker).to_be_visible()
    screenshot(page, "incident-map")
    marker.click()
    expect(page).to_have_url(re.compile(re.escape(incident_url) + "$"))

    # "My incidents" shows it with its review state.
    page.get_by_role("link", name="My incidents").click()
    logged = page.locator("table.incident-table tbody tr")
    expect(logged).to_have_count(1)
    expect(logged.first).to_contain_text("Washing machines carted off from Bucha flats")
    expect(logged.first).to_contain_text("Submitted for review")


def test_pages_fit_a_phone_screen(phone_page, live_server, screenshot):
    UserFactory(username="jo", role="journalist")
    sign_in(phone_page, "jo")
    for path in ("/incidents/", "/incidents/new/", "/me/"):
        phone_page.goto(path)
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(phone_page, "phone" + path.replace("/", "-").rstrip("-"))
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} is wider than the phone screen by {overflow}px"
