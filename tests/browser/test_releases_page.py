"""The public /releases/ page fits a phone: a release's SHA-256 table (64-character
hashes) scrolls inside its own box, or wraps, instead of widening the page."""

import pytest

from tests.exchange.test_releases import make
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_releases_page_fits_390_px(phone_page, live_server):
    IncidentFactory(status="published")
    make("2026.1", "First release")
    phone_page.goto("/releases/")
    assert phone_page.get_by_role("heading", name="Version 2026.1").is_visible()
    widest = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert widest <= 1, f"/releases/ is wider than a 390 px phone by {widest} px"
    # Every hash can still be read whole (selected, copied): nothing is cut off.
    hashes = phone_page.locator("section code")
    assert hashes.count() >= 6
    assert all(len(text) == 64 for text in hashes.all_inner_texts())
