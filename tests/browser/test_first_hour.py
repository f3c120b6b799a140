"""The journalist's first hour, in Chromium at 1280 px and at 390 px: logging CNN's report
of 27 John Deere machines taken from a Melitopol dealership (a new actor, a nested category,
a claim known through another, a photo), then logging it again and being held; the phone
layout. Screenshots of each step at both widths go to tests/browser/artifacts/first-hour/
(git-ignored; CI keeps the folder as its artifacts)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.models import Source
from incidents import services as incident_services
from incidents.models import Actor, Incident, ItemCategory
from tests.browser.journalist import fill_claim, jpeg_photo, sign_in
from tests.factories import ActorFactory, PlaceFactory, UserFactory, reference_editor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = Path(__file__).parent / "artifacts" / "first-hour"
CNN = (
    "https://edition.cnn.com/2022/05/01/europe/"
    "russian-troops-steal-farm-equipment-melitopol-intl/index.html"
)
CNN_AGAIN = (
    "https://www.cnn.com/2022/05/01/europe/russian-troops-steal-farm-equipment-melitopol-intl/"
)
PHONE = {"width": 390, "height": 844}


def save(page, name):
    """A full-page screenshot named by the step and the page's width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def at_both_widths(page, name):
    """Screenshot the page as it is at 1280 px, then at 390 px (where nothing may be wider
    than the screen), and back."""
    save(page, name)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    save(page, name)
    assert overflow(page) <= 1, f"{name} is wider than a phone by {overflow(page)} px"
    page.set_viewport_size(size)


def broken_words(page, selector):
    """The words in ``selector`` that the browser split across two lines."""
    return page.evaluate(
        """selector => {
          const broken = [];
          for (const cell of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const node = walker.currentNode;
              const pattern = /\\S+/g;
              let match;
              while ((match = pattern.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
                if (lines.size > 1 && match[0].length < 30) broken.push(match[0]);
              }
            }
          }
          return broken;
        }""",
        selector,
    )


def test_log_the_melitopol_report_then_be_held_on_logging_it_again(page, live_server):
    UserFactory(username="jo", role="journalist")
    PlaceFactory(
        name="Melitopol", admin1="Zaporizhzhia Oblast", latitude="46.84", longitude="35.37"
    )
    chechen = ActorFactory(name="Chechen Republic forces", kind="paramilitary", country="RU")
    machinery = ItemCategory.objects.get(slug="agricultural-machinery")
    incident_services.create_category(
        category=ItemCategory(
            slug="combine-harvesters", name="Combine harvesters", parent=machinery
        ),
        created_by=reference_editor(),
    )
    sign_in(page, "jo")

    page.get_by_role("link", name="Log an incident").first.click()
    page.wait_for_load_state("load")
    page.get_by_label("Title").fill("27 John Deere machines taken from a Melitopol dealership")
    page.get_by_label("Summary").fill(
        "Combines and tractors driven off to Chechnya; tracked by GPS."
    )
    page.get_by_label("Occurred from").fill("27/04/2022")
    page.get_by_label("Occurred to").fill("28/04/2022")
    page.get_by_label("Search the known places").fill("Melit")
    expect(page.locator("#id_place option", has_text="Melitopol")).to_have_count(1)
    page.locator("#id_place").select_option(label="Melitopol, Zaporizhzhia Oblast (UA)")

    # The nested category sits under its parent in the picker.
    labels = page.locator("#id_items-0-category option").all_inner_texts()
    parent = labels.index("Agricultural machinery")
    assert labels[parent + 1] == "Agricultural machinery › Combine harvesters"
    page.locator("#id_items-0-category").select_option(
        label="Agricultural machinery › Combine harvesters"
    )
    page.locator("#id_items-0-description").fill("John Deere combines and tractors")
    page.locator("#id_items-0-quantity_min").fill("27")
    page.locator("#id_items-0-quantity_max").fill("27")

    # A new actor, part of a known one.
    page.get_by_text("The actor is not in the list").click()
    page.locator("#id_new_actor-name").fill("Akhmat special forces unit")
    page.locator("#id_new_actor-kind").select_option("unit")
    page.locator("#id_new_actor-parent").select_option(label="Chechen Republic forces")
    page.locator("#id_new_actor-country").select_option("RU")

    fill_claim(
        page,
        0,
        new_source_name="CNN",
        new_source_kind="media_outlet",
        new_source_country="US",
        medium="press_report",
        url=CNN,
        published_at="01/05/2022 10:00",
        language="en",
        original_text="Russian troops stole 27 pieces of farm equipment from a dealership.",
    )
    page.get_by_role("button", name="Add another claim").click()
    fill_claim(
        page,
        1,
        new_source_name="Dealership owner",
        new_source_kind="other",
        medium="other",
        published_at="29/04/2022 09:00",
        language="en",
        original_text="They took everything that could be driven away.",
        reported_via_number="0",
    )
    page.locator("#id_claims-1-evidence").set_input_files(jpeg_photo("dealership.jpg"))
    at_both_widths(page, "log-form")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Incident logged and submitted for review.")).to_be_visible()
    incident = Incident.objects.get()
    actor = Actor.objects.get(name="Akhmat special forces unit")
    assert (actor.parent, actor.history.get().history_user.username) == (chechen, "jo")
    assert list(incident.actors.all()) == [actor]
    assert incident.items.get().category.slug == "combine-harvesters"
    # The quote, made before the report but known through it, follows it, indented.
    cards = page.locator("article.claim")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("CNN")
    expect(cards.nth(1)).to_have_class(re.compile(r"\brelayed\b"))
    expect(cards.nth(1).locator(".relay-chain")).to_contain_text("CNN (Press report)")
    expect(page.get_by_text("Akhmat special forces unit")).to_be_visible()
    at_both_widths(page, "incident")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert broken_words(page, "table.history td") == [], width
    page.set_viewport_size({"width": 1280, "height": 900})

    # Logging it again, under CNN's other address, from the same source: held.
    page.goto("/incidents/new/")
    page.wait_for_load_state("load")
    page.get_by_label("Title").fill("Farm machinery stolen in Melitopol")
    page.get_by_label("Occurred from").fill("27/04/2022")
    page.get_by_label("Occurred to").fill("27/04/2022")
    page.get_by_label("Search the known places").fill("Melit")
    expect(page.locator("#id_place option", has_text="Melitopol")).to_have_count(1)
    page.locator("#id_place").select_option(label="Melitopol, Zaporizhzhia Oblast (UA)")
    fill_claim(
        page,
        0,
        new_source_name="cnn",
        new_source_kind="media_outlet",
        medium="press_report",
        url=CNN_AGAIN,
        language="en",
        original_text="Farm equipment was stolen.",
    )
    page.get_by_role("button", name="Submit for review").click()

    held = page.locator(".duplicate-warning.held")
    expect(held.get_by_role("heading", name=re.compile("^Nothing was saved"))).to_be_visible()
    expect(held.locator(".duplicate-matches > li")).to_have_count(1)
    expect(held.locator(".match-reason")).to_have_text(["same URL", "same place and dates"])
    expect(held.get_by_role("link", name="Add your claim to it")).to_be_visible()
    assert Incident.objects.count() == 1
    at_both_widths(page, "hold-page")
    # Saved anyway: the source named again is the one already known.
    held.get_by_label(re.compile("I checked these")).check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Incident logged and submitted for review.")).to_be_visible()
    assert Source.objects.filter(name__iexact="cnn").count() == 1


def test_the_phone_layout(phone_page, live_server):
    UserFactory(username="jo", role="journalist")
    sign_in(phone_page, "jo")
    page = phone_page
    for path in ("/incidents/", "/incidents/new/", "/me/"):
        page.goto(path)
        page.wait_for_load_state("load")
        header = page.locator(".site-header").bounding_box()
        assert header["y"] + header["height"] <= 844 / 6, (path, header)
        assert overflow(page) <= 1, (path, overflow(page))

    # The compact menu opens and closes.
    menu = page.get_by_role("button", name="Menu")
    expect(page.get_by_role("link", name="My incidents")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My incidents")).to_be_visible()
    save(page, "menu-open")
    menu.click()
    expect(page.get_by_role("link", name="My incidents")).to_be_hidden()

    # "The source is not in the list" right under the source picker, before the medium.
    page.goto("/incidents/new/")
    source = page.locator("#id_claims-0-source").bounding_box()
    summary = page.get_by_text("The source is not in the list").bounding_box()
    medium = page.locator("#id_claims-0-medium").bounding_box()
    assert source["y"] < summary["y"] < medium["y"]
    assert summary["y"] - (source["y"] + source["height"]) < 120
    save(page, "log-form-top")


def test_the_source_picker_and_its_new_source_share_a_column_at_1280(page, live_server):
    UserFactory(username="jo", role="journalist")
    sign_in(page, "jo")
    page.goto("/incidents/new/")
    source = page.locator("#id_claims-0-source").bounding_box()
    summary = page.get_by_text("The source is not in the list").bounding_box()
    medium = page.locator("#id_claims-0-medium").bounding_box()
    assert abs(summary["x"] - source["x"]) < 40 and summary["y"] > source["y"]
    assert medium["x"] > source["x"] + source["width"] / 2
    # The whole header is one line on a wide screen, menu and all.
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="My incidents")).to_be_visible()
