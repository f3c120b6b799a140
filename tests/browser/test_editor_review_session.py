"""An editor's review session in Chromium with the keyboard only: open the queue, take the
oldest claim, verify it with the checklist, go on to the next, dispute it with a reason.
A screenshot of the workspace at 1280 px (tests/browser/artifacts/, git-ignored) shows the
whole page without horizontal scrolling."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.models import Review
from tests.factories import ClaimFactory, IncidentFactory, UserFactory, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(__file__).parent / "artifacts"


def press_tab_until(page, selector, limit=60):
    """Tab through the page until ``selector`` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def test_a_keyboard_only_review_session(page, live_server):
    UserFactory(username="ed", role="editor")
    journalist = UserFactory(username="jo", role="journalist")
    incident = IncidentFactory(created_by=journalist, title="Cars taken from Irpin")
    oldest = ClaimFactory(incident=incident, original_text="Columns of cars left Irpin.")
    newer = ClaimFactory(incident=incident, original_text="A video shows the same cars.")
    submit(incident)

    page.goto("/admin/login/?next=/admin/claims/claim/")
    page.get_by_label("Username:").fill("ed")
    page.get_by_label("Password:").fill(PASSWORD)
    page.keyboard.press("Enter")
    # From here on, the keyboard only.
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    page.wait_for_load_state("load")

    # j opens the oldest claim; t takes it.
    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{oldest.pk}/review/"))
    page.wait_for_load_state("load")
    page.keyboard.press("t")
    expect(page.get_by_text("You have taken this claim")).to_be_visible()
    page.wait_for_load_state("load")

    # The keys are listed on ?, and Escape closes the list.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-workspace-1280.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("#ws-map")).to_have_attribute("data-loaded", "true")
    # The map is one image with a name: none of its SVG paths is a nameless tab stop.
    interactive = page.locator("#ws-map path.leaflet-interactive")
    assert interactive.count() >= 1
    assert interactive.count() == page.locator("#ws-map path[tabindex='-1']").count()

    # v chooses "verify" and puts the cursor in the note; the checklist by arrow keys.
    page.keyboard.press("v")
    expect(page.get_by_label("Verify")).to_be_checked()
    expect(page.locator("#id_note")).to_be_focused()
    page.keyboard.type("Found the post on the ministry's verified account.")
    press_tab_until(page, "input[name=source_authenticity]")
    page.keyboard.press("ArrowRight")  # Not checked → Passed.
    press_tab_until(page, "input[name=content_provenance]")
    page.keyboard.press("ArrowRight")
    press_tab_until(page, "input[name=save_next]")
    page.keyboard.press("Enter")

    # Saved, and on to the next claim.
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{newer.pk}/review/"))
    page.wait_for_load_state("load")
    page.keyboard.press("d")
    expect(page.get_by_label("Dispute", exact=True)).to_be_checked()
    expect(page.locator("#id_dispute_reason")).to_be_focused()
    page.keyboard.press("ArrowDown")  # The first reason: contradicted.
    page.keyboard.press("Tab")
    expect(page.locator("#id_note")).to_be_focused()
    page.keyboard.type("Satellite images show the cars still parked on 2 April.")
    press_tab_until(page, "input[name=save]")
    page.keyboard.press("Enter")
    # Saved, and back to the queue with the decision confirmed.
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("is now disputed.")

    first, second = Review.objects.order_by("pk")
    assert (first.claim_id, first.to_status, first.reviewer.username) == (
        oldest.pk,
        "verified",
        "ed",
    )
    assert first.checklist["source_authenticity"] == "passed"
    assert first.checklist["content_provenance"] == "passed"
    assert first.checklist["geolocation"] == "not_checked"
    assert (second.claim_id, second.to_status, second.dispute_reason) == (
        newer.pk,
        "disputed",
        "contradicted",
    )
