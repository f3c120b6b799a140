"""The admin's claim page at 1280 px: the evidence table's SHA-256 wraps instead of
widening the page, and the object tools do not cover the claim's title."""

import pytest
from playwright.sync_api import expect

from tests.api.conftest import make_evidence
from tests.browser.journalist import PASSWORD
from tests.factories import ClaimFactory, IncidentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_claim_page_fits_1280_px(page, live_server):
    editor = UserFactory(username="ed", role="editor")
    source = SourceFactory(name="Zaporizhzhia Oblast Military Administration")
    incident = IncidentFactory(title="Grain and tractors taken from Melitopol farms")
    claim = ClaimFactory(incident=incident, source=source, medium="telegram_post")
    make_evidence(claim, uploader=editor)

    page.goto(f"/admin/login/?next=/admin/claims/claim/{claim.pk}/change/")
    page.get_by_label("Username:").fill("ed")
    page.get_by_label("Password:").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/claims/claim/{claim.pk}/change/")

    expect(page.locator("td.field-sha256").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the claim page is {width} px wide at 1280 px"
    title, tools = box(page, "#content h2"), box(page, ".object-tools")
    assert tools["y"] >= title["y"] + title["height"] - 1, "the object tools cover the title"
