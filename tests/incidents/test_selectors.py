"""incidents.selectors: what each audience reads, built from the one rule for each."""

import pytest

from incidents import selectors
from incidents import services as incident_services
from incidents.models import Incident, IncidentStatus
from tests.factories import ActorFactory, IncidentFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_visible_incidents_keep_a_querysets_annotations(journalist, other_journalist):
    mine = IncidentFactory(created_by=journalist)
    IncidentFactory(created_by=other_journalist)  # their draft

    [seen] = selectors.visible_incidents(journalist, selectors.with_summary(Incident.objects.all()))
    assert seen == mine
    assert seen.claims_total == 0


def test_a_partner_account_sees_nothing_in_the_pages(journalist):
    IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    partner = UserFactory(username="pat-partner", role="partner")
    assert not selectors.visible_incidents(partner).exists()


def test_partner_incidents_are_published_ones_with_their_summary(journalist):
    published = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    IncidentFactory(created_by=journalist, status=IncidentStatus.SUBMITTED)
    [incident] = selectors.partner_incidents()
    assert incident == published
    assert (incident.claims_verified, incident.assessment) == (1, "single_source")


def test_reference_data_only_of_published_incidents(journalist, editor):
    home = PlaceFactory(name="12 Sadova Street", precision="exact")
    unit, army = ActorFactory(name="Unit"), ActorFactory(name="Army")
    unit.parent = army
    incident_services.update_actor(actor=unit, editor=editor, fields=["parent"])
    IncidentFactory(created_by=journalist, place=home, actors=[unit])  # a draft
    assert not selectors.partner_places().filter(pk=home.pk).exists()
    assert not selectors.partner_actors().exists()

    published = IncidentFactory(
        created_by=journalist, place=home, actors=[unit], status=IncidentStatus.PUBLISHED
    )
    assert selectors.partner_places().filter(pk=published.place_id).exists()
    # The formation above an alleged unit is listed too, so every parent can be looked up.
    assert set(selectors.partner_actors()) == {unit, army}


def test_deletions_name_a_survivor_only_partners_can_see(journalist, editor):
    published = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    draft_survivor = IncidentFactory(created_by=journalist)
    published_survivor = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)
    other = IncidentFactory(created_by=journalist, status=IncidentStatus.PUBLISHED)

    incident_services.merge_incidents(survivor=draft_survivor, duplicate=published, editor=editor)
    incident_services.merge_incidents(survivor=published_survivor, duplicate=other, editor=editor)

    deletions = {row.public_id: row.merged_into_public_id for row in selectors.partner_deletions()}
    assert deletions == {published.public_id: None, other.public_id: published_survivor.public_id}
