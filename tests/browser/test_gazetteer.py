"""The log form's gazetteer in Chromium, offline: a settlement found by its Ukrainian name
fills the new place; typed coordinates and a photo's GPS suggest the nearest settlement."""

import io

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from incidents import gazetteer
from tests.browser.journalist import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def gazetteer_loaded():
    """The live server runs in this process: read the gazetteer's data before the browser
    waits for its first look-up (seconds on a busy machine)."""
    gazetteer.lookup("Kyiv")


def photo_taken_at_melitopol():
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (46.0, 51.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (35.0, 22.0, 12.0)
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), (40, 90, 160)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def new_place_section(page):
    """Sign in as a journalist, open the log form and its new-place section."""
    UserFactory(username="jo", role="journalist")
    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_load_state("load")
    place = page.get_by_role("group", name="Place", exact=True)
    place.get_by_text("Add a new place").click()
    return place


def test_a_settlement_fills_the_new_place(page, live_server):
    place = new_place_section(page)

    place.get_by_label("Find a settlement").fill("Мелітополь")
    page.get_by_role("button", name="Melitopol — Zaporizhzhia Oblast, UA").click()
    expect(page.locator("#id_new_place-name")).to_have_value("Melitopol")
    expect(page.locator("#id_new_place-country")).to_have_value("UA")
    expect(page.locator("#id_new_place-admin1")).to_have_value("Zaporizhzhia Oblast")
    expect(page.locator("#id_new_place-precision")).to_have_value("settlement")
    assert "Мелітополь" in page.locator("#id_new_place-alternative_names").input_value()
    assert abs(float(page.locator("#id_new_place-latitude").input_value()) - 46.847) < 0.01
    expect(page.locator("#id_place")).to_have_value("new")

    # Coordinates typed by hand: the nearest settlement and its distance.
    page.locator("#id_new_place-name").fill("")
    page.locator("#id_new_place-latitude").fill("46.85")
    page.locator("#id_new_place-longitude").fill("35.37")
    page.locator("#id_new_place-longitude").blur()
    expect(page.locator(".gazetteer-nearest").first).to_contain_text(
        "Nearest settlement: Melitopol"
    )
    expect(page.locator(".gazetteer-nearest").first).to_contain_text(" km")


def test_a_photo_with_gps_suggests_its_settlement(page, live_server):
    UserFactory(username="jo", role="journalist")
    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_load_state("load")
    page.locator("input[type=file]").first.set_input_files(
        files=[
            {"name": "street.jpg", "mimeType": "image/jpeg", "buffer": photo_taken_at_melitopol()}
        ]
    )
    status = page.locator(".gazetteer-nearest").first
    expect(status).to_contain_text("The photo street.jpg was taken at 46.85")
    expect(status).to_contain_text("Melitopol")
    page.get_by_role("button", name="Use Melitopol").click()
    expect(page.locator("#id_new_place-name")).to_have_value("Melitopol")


def test_a_slow_or_failing_lookup_says_so(page, live_server):
    """The first look-up of a fresh server reads the gazetteer (seconds): the form says it
    is searching, and says so if the look-up fails rather than staying silent."""
    place = new_place_section(page)
    status = place.locator(".gazetteer-nearest").first
    held = []
    page.route("**/incidents/places/lookup/**", lambda route: held.append(route))

    place.get_by_label("Find a settlement").fill("Melitopol")
    expect(status).to_have_text("Searching the gazetteer…")
    page.wait_for_function("() => true")
    assert held, "the look-up was sent"
    held[-1].fulfill(status=502, body="Bad gateway")
    expect(status).to_have_text("The gazetteer did not answer: type the place in below.")
