"""incidents.rules: who may do what with an incident, asked by pages, templates and the
admin, and enforced by the services."""

import pytest

from incidents import rules
from incidents.models import Incident, IncidentStatus
from tests.factories import ClaimFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return UserFactory(username="pat-partner", role="partner")


@pytest.mark.parametrize(
    ("status", "journalist_may", "editor_may"),
    [
        (IncidentStatus.DRAFT, True, True),
        (IncidentStatus.SUBMITTED, True, True),
        (IncidentStatus.PUBLISHED, False, True),
        (IncidentStatus.WITHDRAWN, False, False),
    ],
)
def test_who_may_edit_an_incident(journalist, editor, partner, status, journalist_may, editor_may):
    incident = IncidentFactory(created_by=journalist, status=status)
    assert rules.can_edit_incident(journalist, incident) is journalist_may
    assert rules.can_edit_incident(editor, incident) is editor_may
    assert rules.can_edit_incident(partner, incident) is False


def test_only_a_draft_can_be_submitted(journalist):
    draft = IncidentFactory(created_by=journalist)
    submitted = IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)
    assert rules.can_submit(journalist, draft)
    assert not rules.can_submit(journalist, submitted)


def test_claims_may_be_added_until_the_incident_is_withdrawn(journalist, partner):
    published = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    withdrawn = IncidentFactory(created_by=journalist, status=IncidentStatus.WITHDRAWN)
    assert rules.can_add_claims(journalist, published)
    assert not rules.can_add_claims(journalist, withdrawn)
    assert not rules.can_add_claims(partner, published)


def test_publishing_needs_an_editor_and_a_live_claim(journalist, editor):
    draft = IncidentFactory(created_by=journalist)
    assert not rules.can_publish(editor, draft)  # nothing to stand on yet
    ClaimFactory(incident=draft)
    assert rules.can_publish(editor, draft)
    assert not rules.can_publish(journalist, draft)
    published = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    assert not rules.can_publish(editor, published)
    assert rules.can_withdraw(editor, published)
    assert not rules.can_withdraw(journalist, published)


def test_staff_see_every_incident_but_other_peoples_drafts(journalist, other_journalist, partner):
    mine = IncidentFactory(created_by=journalist)
    theirs = IncidentFactory(created_by=other_journalist)
    submitted = IncidentFactory(created_by=other_journalist, status=IncidentStatus.SUBMITTED)

    def seen_by(user):
        return set(Incident.objects.filter(rules.visible_to_staff(user)))

    assert seen_by(journalist) == {mine, submitted}
    assert seen_by(other_journalist) == {theirs, submitted}
    assert seen_by(partner) == set()


def test_partners_see_published_incidents_only(journalist):
    published = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    for status in (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED, IncidentStatus.WITHDRAWN):
        IncidentFactory(created_by=journalist, status=status)
    assert list(Incident.objects.filter(rules.visible_to_partners())) == [published]
