"""What an editor met in the admin: links to account pages they may not open, raw labels,
a publish step offered for a published incident, a cramped title, a cryptic summary."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim, Evidence, Source
from incidents.models import IncidentStatus
from tests.factories import ClaimFactory, IncidentFactory, submit
from tests.photos import encoded, scene

pytestmark = pytest.mark.django_db

ADMIN_LINK = re.compile(r'href="(/admin/[^"#?]*)')


def links_on(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return set(ADMIN_LINK.findall(response.content.decode()))


def test_no_admin_page_an_editor_opens_links_to_a_refusal(
    editor_client, editor, journalist, published_incident
):
    claim = published_incident.claims.get()
    claim_services.attach_evidence(
        claim=claim,
        file=SimpleUploadedFile("photo.jpg", encoded(scene(1)), content_type="image/jpeg"),
        uploaded_by=journalist,
    )
    evidence = Evidence.objects.get()
    pages = [
        reverse("admin:index"),
        reverse("admin:incidents_incident_change", args=[published_incident.pk]),
        reverse("admin:incidents_incident_history", args=[published_incident.pk]),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_claim_history", args=[claim.pk]),
        reverse("admin:claims_source_change", args=[claim.source.pk]),
        reverse("admin:claims_evidence_change", args=[evidence.pk]),
    ]
    links = set().union(*(links_on(editor_client, page) for page in pages))
    assert not any(link.startswith("/admin/auth/user/") for link in links)
    refused = [
        link
        for link in sorted(links)
        if "logout" not in link and editor_client.get(link).status_code == 403
    ]
    assert refused == []
    # The names are still there, as text.
    page = editor_client.get(pages[1]).content.decode()
    assert journalist.get_username() in page


def test_admin_index_names_apps_as_editors_know_them(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Partner API keys" in page
    assert "Sign-in lockouts" in page
    assert "API Key Permissions" not in page
    assert ">Axes<" not in page


def test_every_admin_page_names_the_icon_and_favicon_ico_leads_to_it(client, editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg"', page)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert re.match(r"/static/favicon[^/]*\.svg$", response["Location"])
    assert finders.find("favicon.svg")


def test_publish_step_is_not_offered_for_a_published_incident(editor_client, published_incident):
    change = reverse("admin:incidents_incident_change", args=[published_incident.pk])
    publish = reverse("admin:incidents_incident_publish", args=[published_incident.pk])
    assert f'href="{publish}"' not in editor_client.get(change).content.decode()

    response = editor_client.get(publish, follow=True)

    assert response.redirect_chain == [(change, 302)]
    assert "is already published." in response.content.decode()
    assert 'id="step_form"' not in response.content.decode()


def test_publish_step_is_not_offered_for_a_withdrawn_incident(editor_client, editor, journalist):
    incident = IncidentFactory(created_by=journalist)
    ClaimFactory(incident=incident)
    from incidents import services

    services.withdraw_incident(incident=incident, editor=editor, reason="Duplicate report.")
    publish = reverse("admin:incidents_incident_publish", args=[incident.pk])

    response = editor_client.get(publish, follow=True)

    assert "cannot be published again" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.WITHDRAWN


def test_incident_page_spells_the_claims_out_and_styles_the_title(
    editor_client, editor, journalist
):
    incident = IncidentFactory(created_by=journalist)
    verified, disputed = ClaimFactory(incident=incident), ClaimFactory(incident=incident)
    submit(incident)
    claim_services.review_claim(claim=verified, reviewer=editor, to_status="verified", note="Ok.")
    claim_services.review_claim(
        claim=disputed,
        reviewer=editor,
        to_status="disputed",
        note="Old photo.",
        dispute_reason="recycled_content",
    )

    page = editor_client.get(
        reverse("admin:incidents_incident_change", args=[incident.pk])
    ).content.decode()

    assert "2 claims: 1 verified, 1 disputed, 0 unverified; 1 independent source" in page
    # The admin's stylesheet (which widens the title) is on the page.
    assert re.search(r'href="/static/css/admin[^"]*\.css"', page)
    assert Claim.objects.count() == 2 and Source.objects.count() >= 1
