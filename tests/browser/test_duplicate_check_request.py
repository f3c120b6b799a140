"""The duplicate check is a GET made while a form is filled in: it must carry only what it
compares (claim URLs, file digests, place, coordinates, dates), never the internal notes or
the quotes typed in the form, which would otherwise end up in server and proxy logs."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.journalist import sign_in
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEEN_URL = "https://t.me/ministry/4242"
INCIDENT_FORM_PARAMS = {
    "claims-0-url",
    "sha256",
    "place",
    "occurred_from",
    "occurred_to",
    "new_place-latitude",
    "new_place-longitude",
    "confirm_duplicates",
}


def duplicate_check_params(page, action):
    """Do ``action`` and return the names and values of the duplicate check it sends."""
    with page.expect_request(re.compile(r"/incidents/duplicates/\?")) as request:
        action()
    return parse_qsl(urlsplit(request.value.url).query, keep_blank_values=True)


def test_log_form_sends_only_what_the_check_compares(page, live_server):
    user = UserFactory(username="jo", role="journalist")
    existing = IncidentFactory(created_by=user, title="Seen before")
    ClaimFactory(incident=existing, url=SEEN_URL)
    sign_in(page, "jo")

    page.goto("/incidents/new/")
    page.get_by_label("Title").fill("Secret title")
    page.locator("#id_internal_notes").fill("SECRET-NOTE from a source")
    page.locator("#id_claims-0-original_text").fill("SECRET-QUOTE")
    page.locator("#id_claims-0-url").fill(SEEN_URL)
    params = duplicate_check_params(page, lambda: page.locator("#id_claims-0-url").press("Tab"))

    assert {name for name, _ in params} <= INCIDENT_FORM_PARAMS
    assert ("claims-0-url", SEEN_URL) in params
    assert not [value for _, value in params if "SECRET" in value]
    expect(page.locator("#duplicates")).to_contain_text("Seen before")


def test_claim_form_sends_only_the_url_and_digests(page, live_server):
    user = UserFactory(username="jo", role="journalist")
    existing = IncidentFactory(created_by=user, title="Seen before")
    ClaimFactory(incident=existing, url=SEEN_URL)
    incident = IncidentFactory(created_by=user, place=PlaceFactory(), title="Another one")
    sign_in(page, "jo")

    page.goto(f"{incident.get_absolute_url()}claims/new/")
    page.locator("#id_original_text").fill("SECRET-QUOTE")
    page.locator("#id_url").fill(SEEN_URL)
    params = duplicate_check_params(page, lambda: page.locator("#id_url").press("Tab"))

    assert {name for name, _ in params} <= {"url", "sha256", "confirm_duplicates"}
    assert ("url", SEEN_URL) in params
    expect(page.locator("#duplicates")).to_contain_text("Seen before")
