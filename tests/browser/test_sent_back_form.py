"""A 10 MB paste into the log form, in a real browser: every text field stops at its
length (maxlength), so the form comes back with the error on the field and the rest kept,
never the refusal page that leaves the form behind; the page says when a paste was cut."""

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.journalist import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEN_MEGABYTES = 10 * 1024 * 1024


def paste(page, locator, length):
    """Paste ``length`` characters into ``locator`` as a person would: through the clipboard."""
    page.evaluate("length => navigator.clipboard.writeText('x'.repeat(length))", length)
    locator.focus()
    page.keyboard.press("ControlOrMeta+V")


def send_by_keyboard(page, button):
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_ten_megabyte_paste_comes_back_as_an_error_on_its_field(page, live_server):
    UserFactory(username="jo", role="journalist")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, "jo")
    page.goto("/incidents/new/")
    page.wait_for_load_state("load")
    page.get_by_label("Title").fill("Washing machines taken in Bucha")
    page.locator("#id_claims-0-original_text").fill("Soldiers loaded washing machines onto trucks.")

    # A date field takes a date, not a report: the browser keeps 40 characters of it.
    paste(page, page.get_by_label("Occurred from"), TEN_MEGABYTES)
    assert page.get_by_label("Occurred from").input_value() == "x" * 40
    # A summary takes 10,000 characters: the rest is cut, and the page says so.
    paste(page, page.get_by_label("Summary"), TEN_MEGABYTES)
    assert len(page.get_by_label("Summary").input_value()) == 10_000
    expect(page.locator(".paste-cut")).to_have_count(2)
    expect(page.locator("#id_summary + .paste-cut")).to_have_text(
        "At most 10,000 characters fit here: 10,000 of the 10,485,760 you pasted were kept, "
        "the rest left out."
    )
    # The search boxes only search: whatever is typed there is not sent with the form.
    paste(page, page.get_by_label("Search the known places"), TEN_MEGABYTES)
    assert len(page.get_by_label("Search the known places").input_value()) == 200

    send_by_keyboard(page, "Submit for review")

    # The form again (not the refusal page), the error on the date, the rest kept.
    expect(page).to_have_title("Log an incident · Lootwatch")
    date_field = page.locator(".field.has-error").filter(has=page.get_by_label("Occurred from"))
    expect(date_field).to_contain_text("Enter a valid date.")
    expect(page.get_by_label("Title")).to_have_value("Washing machines taken in Bucha")
    expect(page.locator("#id_claims-0-original_text")).to_have_value(
        "Soldiers loaded washing machines onto trucks."
    )
    assert len(page.get_by_label("Summary").input_value()) == 10_000
    # The journalist lands on what went wrong.
    expect(page.locator(".notice.error")).to_be_focused()
    assert not Incident.objects.exists()
