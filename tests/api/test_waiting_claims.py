"""A claim added to a published incident waits for an editor: partners must not be able to
tell it exists, neither from the summary counts, nor from a filter, nor from its evidence.
The journalists' pages still see it."""

import pytest
from django.test import Client

from claims import selectors as claim_selectors
from claims import services as claim_services
from claims.models import Claim
from incidents.models import Incident
from incidents.selectors import with_summary
from tests.api.conftest import make_evidence
from tests.factories import ClaimFactory, SourceFactory


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def waiting(publish, journalist):
    """A published incident with one verified claim (a news article, in English) and one
    claim added afterwards, still waiting for an editor (a witness, Ukrainian words)."""
    incident = publish(
        title="Museum storeroom emptied",
        summary="Paintings taken from the storeroom.",
        claims=[("verified", {"medium": "press_report", "original_text": "Trucks at night."})],
    )
    late = claim_services.create_claim(
        claim=ClaimFactory.build(
            incident=incident,
            source=SourceFactory(name="Olena K.", kind="witness"),
            medium="telegram_post",
            original_text="Olena saw zhovtyi furgon",
            translation="Olena saw a yellow van",
            translated_by="J. Doe",
            translator_kind="individual",
        ),
        submitted_by=journalist,
    )
    return incident, late


def ids(response):
    return {row["id"] for row in results(response)}


def test_the_summary_does_not_count_a_waiting_claim(partner_client, waiting):
    incident, _ = waiting

    body = partner_client.get(f"/api/v1/incidents/{incident.public_id}/").json()
    (listed,) = results(partner_client.get("/api/v1/incidents/"))

    for summary in (body["verification"], listed["verification"]):
        assert summary["claims"] == 1
        assert summary["verified"] == 1
        assert summary["unverified"] == 0


def test_the_pages_count_every_live_claim(waiting):
    incident, _ = waiting

    counted = with_summary(Incident.objects.all()).get(pk=incident.pk)

    assert counted.claims_total == 2
    assert counted.claims_unverified == 1


@pytest.mark.parametrize(
    "query",
    [
        "claim_status=unverified",
        "medium=telegram_post",
        "q=zhovtyi",
        "q=yellow+van",
    ],
)
def test_filters_do_not_match_a_waiting_claim(partner_client, waiting, editor, query):
    incident, late = waiting

    assert ids(partner_client.get(f"/api/v1/incidents/?{query}")) == set()

    # Once an editor has disputed it, partners see the claim, and the filter finds it.
    claim_services.review_claim(
        claim=late,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Could not confirm.",
    )
    if query == "claim_status=unverified":
        query = "claim_status=disputed"
    assert ids(partner_client.get(f"/api/v1/incidents/?{query}")) == {str(incident.public_id)}


def test_filters_still_match_visible_claims(partner_client, waiting):
    incident, _ = waiting

    for query in ("claim_status=verified", "medium=press_report", "q=trucks", "q=storeroom"):
        assert ids(partner_client.get(f"/api/v1/incidents/?{query}")) == {
            str(incident.public_id)
        }, query


def test_the_pages_filters_find_a_waiting_claim(waiting, editor_client):
    incident, _ = waiting

    for data in ({"claim_status": "unverified"}, {"q": "zhovtyi"}):
        response = editor_client.get("/incidents/", data)
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == [incident], data


def test_evidence_of_a_waiting_claim_is_not_public(waiting, editor):
    _, late = waiting
    evidence = make_evidence(late, uploader=editor)
    evidence.display.storage.save(evidence.display.name, _jpeg())
    anonymous = Client()
    url = f"/evidence/{evidence.public_id}/display/"

    assert anonymous.get(url).status_code == 404
    assert not claim_selectors.evidence_for_serving().get(pk=evidence.pk).is_public

    claim_services.review_claim(
        claim=Claim.objects.get(pk=late.pk), reviewer=editor, to_status="verified", note="OK."
    )

    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert claim_selectors.evidence_for_serving().get(pk=evidence.pk).is_public


def test_an_editor_still_sees_evidence_of_a_waiting_claim(waiting, editor, editor_client):
    _, late = waiting
    evidence = make_evidence(late, uploader=editor)
    evidence.display.storage.save(evidence.display.name, _jpeg())

    response = editor_client.get(f"/evidence/{evidence.public_id}/display/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"


def _jpeg():
    from django.core.files.base import ContentFile

    return ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg")
