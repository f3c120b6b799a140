"""claims.selectors: which claims and evidence each audience reads, from the one rule."""

import pytest

from claims import selectors
from claims import services as claim_services
from claims.models import Claim
from incidents import services as incident_services
from incidents.models import IncidentStatus
from tests.factories import ClaimFactory, IncidentFactory, UserFactory
from tests.incidents.pages.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(journalist):
    return IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)


def test_partners_see_live_reviewed_claims_of_published_incidents(journalist, editor, published):
    shown = published.claims.get()
    late = ClaimFactory(incident=published)  # added after publication: waits for an editor
    withdrawn = ClaimFactory(incident=published)
    claim_services.review_claim(claim=withdrawn, reviewer=editor, to_status="verified", note="Ok")
    claim_services.withdraw_claim(claim=withdrawn, editor=editor, reason="Names a witness.")
    ClaimFactory(incident=IncidentFactory(created_by=journalist))  # a draft's

    assert list(selectors.visible_claims()) == [shown]

    claim_services.review_claim(
        claim=late,
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Old.",
    )
    assert set(selectors.visible_claims()) == {shown, late}
    # Withdrawn after publication: partners are told to remove it.
    assert list(selectors.partner_claim_deletions()) == [withdrawn]


def test_a_relay_is_named_only_when_partners_may_see_it(journalist, editor, published):
    shown = published.claims.get()
    relayed = ClaimFactory(incident=published, reported_via=shown)
    claim_services.review_claim(claim=relayed, reviewer=editor, to_status="verified", note="Ok")
    waiting = ClaimFactory(incident=published)
    hidden_relay = ClaimFactory(incident=published, reported_via=waiting)
    claim_services.review_claim(
        claim=hidden_relay, reviewer=editor, to_status="verified", note="Ok"
    )

    relays = {claim.pk: claim.reported_via_public_id for claim in selectors.partner_claims()}

    assert relays[relayed.pk] == shown.public_id
    assert relays[hidden_relay.pk] is None
    assert waiting.pk not in relays


def test_evidence_is_public_once_its_claim_is_visible_to_partners(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    evidence = claim_services.attach_evidence(
        claim=claim, file=jpeg_upload(), uploaded_by=journalist
    )
    partner = UserFactory(username="pat-partner", role="partner")
    other = UserFactory(username="jim-journalist", role="journalist")

    def served():
        return selectors.evidence_for_serving().get(pk=evidence.pk)

    assert not served().is_public
    assert selectors.may_see_derivatives(journalist, served())
    assert not selectors.may_see_derivatives(other, served())  # another journalist's draft
    assert selectors.may_see_derivatives(editor, served())
    assert not selectors.may_see_derivatives(partner, served())

    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok")
    incident_services.publish_incident(incident=incident, editor=editor)
    assert served().is_public
    assert selectors.may_see_derivatives(partner, served())


def test_the_review_queue_holds_unverified_live_claims_of_submitted_and_published_incidents(
    journalist, editor, published
):
    submitted = IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)
    late = ClaimFactory(incident=published)
    ClaimFactory(incident=IncidentFactory(created_by=journalist))  # a draft's

    queued = set(selectors.in_review_queue(Claim.objects.all()))

    assert queued == {submitted.claims.get(), late}


def test_pages_search_every_live_claim_of_incidents_the_user_sees(
    journalist, other_journalist, editor
):
    mine = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    ClaimFactory(incident=IncidentFactory(created_by=other_journalist))  # their draft
    withdrawn = ClaimFactory(incident=IncidentFactory(created_by=journalist))
    claim_services.withdraw_claim(claim=withdrawn, editor=editor, reason="Duplicate.")

    assert list(selectors.live_claims_seen_by(journalist)) == [mine]
    assert set(selectors.claims_seen_by(journalist)) == {mine, withdrawn}
