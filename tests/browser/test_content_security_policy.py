"""Every page works under the strict Content-Security-Policy: Chromium visits the
journalists' pages, the admin and its review steps, the methodology and the API docs, and
records no CSP violation, no console error and no script error."""

import re

import pytest
from playwright.sync_api import expect

from claims import services as claim_services
from tests.factories import ClaimFactory, IncidentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"
# Records what the browser refuses, from the page's first script on (an init script runs
# before the page's own and is not itself subject to the policy).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with every console error and script error it logs collected."""
    problems = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and problems.append(f"console: {message.text} at {message.location.get('url')}")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return page, problems


def visit(page, problems, path, *, ready=None):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert (violations, problems) == ([], []), path
    if ready is not None:
        expect(ready(page)).to_be_attached()
    return response


def sign_in(page, path, username):
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    # The form with the password: the header also holds the language switcher's form.
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_every_page_works_under_the_policy(watched, live_server, settings):
    page, problems = watched
    # Map tiles from this server, so that the map draws without the network.
    settings.MAP_TILE_URL = "/static/favicon.svg?z={z}&x={x}&y={y}"
    journalist = UserFactory(username="jo", role="journalist")
    UserFactory(username="ed", role="editor")
    incident = IncidentFactory(created_by=journalist, status="submitted")
    witness = SourceFactory(name="Olena Kovalenko", kind="witness")
    claim = ClaimFactory(incident=incident, source=witness, url="https://example.org/w/1")
    draft = IncidentFactory(created_by=journalist)
    claim_services.review_claim(
        claim=incident.claims.first(),
        reviewer=UserFactory(username="eve", role="editor"),
        to_status="verified",
        note="Checked.",
    )

    visit(page, problems, "/accounts/login/")
    visit(page, problems, "/methodology/")
    sign_in(page, "/accounts/login/", "jo")
    detail = incident.get_absolute_url()
    for path, ready in [
        ("/incidents/", None),
        ("/incidents/?q=looted", None),
        (
            "/incidents/map/",
            lambda p: p.locator("#incident-map[data-loaded]:not([data-loaded='error'])"),
        ),
        ("/incidents/timeline/", None),
        (detail, None),
        ("/incidents/new/", None),
        (f"{draft.get_absolute_url()}edit/", None),
        (f"{detail}claims/new/", None),
        ("/me/", None),
    ]:
        visit(page, problems, path, ready=ready)
    # The log form's scripts at work: another claim, a new place, a place search.
    page.goto("/incidents/new/")
    page.get_by_role("button", name="Add another claim").click()
    expect(page.locator("#id_claims-1-url")).to_be_visible()
    page.get_by_label("Search the known places").fill("Vill")
    page.wait_for_load_state("networkidle")
    assert (page.evaluate("window.__violations"), problems) == ([], [])

    page.context.clear_cookies()
    sign_in(page, "/admin/login/", "ed")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    for path in [
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/review/",
        f"/admin/claims/claim/{claim.pk}/withdraw/",
        f"/admin/incidents/incident/{incident.pk}/change/",
        f"/admin/incidents/incident/{incident.pk}/publish/",
        "/admin/claims/source/",
        f"/admin/claims/source/{witness.pk}/change/",
        "/admin/axes/accessattempt/",
        "/api/v1/docs/",
    ]:
        visit(page, problems, path)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lootwatch API")
