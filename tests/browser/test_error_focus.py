"""A form sent back with errors, by keyboard: focus lands on the error summary, so that
keyboard and screen reader users start at the problem, and Tab goes on to the fields."""

import pytest
from playwright.sync_api import expect

from tests.browser.journalist import sign_in
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def send_by_keyboard(page, button):
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_focus_lands_on_the_error_summary_and_tab_goes_on_to_the_fields(page, live_server):
    journalist = UserFactory(username="jo", role="journalist")
    incident = IncidentFactory(created_by=journalist, title="Homes looted in Bucha")
    sign_in(page, "jo")

    page.goto("/incidents/new/")
    page.wait_for_load_state("load")
    send_by_keyboard(page, "Submit for review")
    summary = page.locator(".notice.error")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nothing was saved yet.")
    # The next Tab leaves the summary for the form below it, not the page's header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.querySelector('#incident-form').contains(document.activeElement)"
        " && document.activeElement !== document.querySelector('.notice.error')"
    )

    # The same on the page that adds a claim to an incident.
    page.goto(f"/incidents/{incident.public_id}/claims/new/")
    page.wait_for_load_state("load")
    send_by_keyboard(page, "Add the claim")
    expect(page.locator(".notice.error")).to_be_focused()
