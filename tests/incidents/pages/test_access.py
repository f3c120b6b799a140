"""Who may reach the journalists' pages: signed-in journalists and editors only."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import services as claim_services
from incidents.models import IncidentStatus
from tests.factories import ClaimFactory, IncidentFactory
from tests.incidents.pages.conftest import jpeg_upload
from tests.incidents.pages.forms_data import claim_fields

pytestmark = pytest.mark.django_db

PAGES = [
    "/incidents/",
    "/incidents/map/",
    "/incidents/map.geojson",
    "/incidents/timeline/",
    "/incidents/new/",
    "/incidents/duplicates/",
    "/incidents/places/",
    "/me/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_partner_accounts_are_refused(partner_client, url):
    assert partner_client.get(url).status_code == 403


def test_partner_cannot_open_an_incident_page(partner_client, published_incident):
    assert partner_client.get(published_incident.get_absolute_url()).status_code == 403
    assert partner_client.get(f"{published_incident.get_absolute_url()}edit/").status_code == 403


def test_sign_in_and_out(client, journalist):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content

    response = client.post(
        "/accounts/login/",
        {"username": journalist.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:list")

    page = client.get("/incidents/")
    assert b'action="/accounts/logout/"' in page.content
    assert b"methodology" in page.content
    client.post("/accounts/logout/")
    assert client.get("/incidents/").status_code == 302


def test_wrong_password_shows_an_error(client, journalist):
    response = client.post("/accounts/login/", {"username": journalist.username, "password": "x"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_home_leads_to_the_incidents(journalist_client):
    response = journalist_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/incidents/"


def test_drafts_are_seen_by_their_author_only(journalist, journalist_client, other_journalist):
    mine = IncidentFactory(created_by=journalist, title="My own draft")
    theirs = IncidentFactory(created_by=other_journalist, title="Someone else's draft")

    assert journalist_client.get(mine.get_absolute_url()).status_code == 200
    assert journalist_client.get(theirs.get_absolute_url()).status_code == 404
    assert journalist_client.get(f"{theirs.get_absolute_url()}edit/").status_code == 404
    listing = journalist_client.get("/incidents/").content.decode()
    assert "My own draft" in listing
    assert "Someone else" not in listing
    geojson = journalist_client.get("/incidents/map.geojson").json()
    assert [f["properties"]["title"] for f in geojson["features"]] == ["My own draft"]


def test_journalists_see_no_review_or_publish_actions(journalist_client, published_incident):
    content = journalist_client.get(published_incident.get_absolute_url()).content.decode()
    assert "/admin/" not in content
    assert "Review and publish" not in content
    assert "/publish" not in content and "/review" not in content
    # Published: journalists may no longer edit it, only add claims.
    assert f"{published_incident.get_absolute_url()}edit/" not in content
    assert f"{published_incident.get_absolute_url()}claims/new/" in content
    response = journalist_client.get(f"{published_incident.get_absolute_url()}edit/")
    assert response.status_code == 403


def test_editors_may_edit_published_incidents(editor_client, published_incident):
    content = editor_client.get(published_incident.get_absolute_url()).content.decode()
    assert "Review and publish in the admin" in content
    assert f"{published_incident.get_absolute_url()}edit/" in content
    assert editor_client.get(f"{published_incident.get_absolute_url()}edit/").status_code == 200


def test_no_claims_on_withdrawn_incidents(editor, editor_client, published_incident):
    from incidents import services

    services.withdraw_incident(incident=published_incident, editor=editor, reason="Duplicate.")
    assert published_incident.status == IncidentStatus.WITHDRAWN
    claims_before = published_incident.claims.count()

    url = f"{published_incident.get_absolute_url()}claims/new/"
    # The page offers no form to fill in (incidents.rules.can_add_claims)...
    response = editor_client.get(url, follow=True)
    assert "This incident is withdrawn: it takes no more claims." in response.content.decode()
    assert "Add a claim" not in response.content.decode()

    # ...and a post sent anyway saves nothing.
    response = editor_client.post(
        url,
        claim_fields(source=str(published_incident.claims.first().source_id)),
        follow=True,
    )
    assert "This incident is withdrawn: it takes no more claims." in response.content.decode()
    assert published_incident.claims.count() == claims_before


@pytest.mark.parametrize("variant", ["display", "thumbnail"])
def test_another_journalists_draft_evidence_is_not_served(
    journalist, journalist_client, other_journalist, editor_client, variant
):
    """Derivatives of unpublished evidence follow the incident page: a journalist sees her
    own drafts' evidence and anything submitted, not another journalist's draft."""

    def evidence_in(incident):
        claim = ClaimFactory(incident=incident, submitted_by=incident.created_by)
        return claim_services.attach_evidence(
            claim=claim, file=jpeg_upload(), uploaded_by=incident.created_by
        )

    theirs = evidence_in(IncidentFactory(created_by=other_journalist, status="draft"))
    mine = evidence_in(IncidentFactory(created_by=journalist, status="draft"))
    submitted = evidence_in(IncidentFactory(created_by=other_journalist, status="submitted"))
    other_client = Client()
    other_client.force_login(other_journalist)

    def status(client, evidence):
        return client.get(f"/evidence/{evidence.public_id}/{variant}/").status_code

    assert status(journalist_client, theirs) == 404
    assert journalist_client.get(theirs.claim.incident.get_absolute_url()).status_code == 404
    assert status(other_client, theirs) == 200
    assert status(journalist_client, mine) == 200
    assert status(journalist_client, submitted) == 200
    # Editors review every incident in the admin, drafts included.
    assert status(editor_client, theirs) == 200
