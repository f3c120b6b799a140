"""Reasons on publish and merge, in history and on the incident page; a withdrawn or merged
incident says so plainly and takes no claim."""

import pytest
from django.core.exceptions import ValidationError

from claims import services as claim_services
from incidents import services as incident_services
from lootwatch import text_limits
from tests.factories import ClaimFactory, IncidentFactory, submit

pytestmark = pytest.mark.django_db


def verified_incident(journalist, editor, title):
    incident = IncidentFactory(created_by=journalist, title=title)
    claim = ClaimFactory(incident=incident)
    submit(incident)
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    return incident


def test_publication_reason_is_kept_in_history_and_shown(journalist, editor, journalist_client):
    incident = verified_incident(journalist, editor, "Tractors taken in Melitopol")

    incident_services.publish_incident(
        incident=incident, editor=editor, reason="Dealer's CCTV and CNN's report agree."
    )

    incident.refresh_from_db()
    assert incident.publication_reason == "Dealer's CCTV and CNN's report agree."
    assert incident.history.latest().history_change_reason == (
        "published: Dealer's CCTV and CNN's report agree."
    )
    page = journalist_client.get(incident.get_absolute_url()).content.decode()
    assert "<dt>Published</dt>" in page
    assert "Dealer&#x27;s CCTV and CNN&#x27;s report agree." in page


def test_a_reason_beyond_its_limit_is_refused_and_nothing_changes(journalist, editor):
    incident = verified_incident(journalist, editor, "Tractors taken in Melitopol")
    with pytest.raises(ValidationError):
        incident_services.publish_incident(
            incident=incident, editor=editor, reason="x" * (text_limits.REASON + 1)
        )
    incident.refresh_from_db()
    assert incident.status == "submitted"


def test_a_merged_incident_names_its_survivor_by_title_and_takes_no_claim(
    journalist, editor, journalist_client
):
    survivor = verified_incident(journalist, editor, "Tractors taken in Melitopol")
    duplicate = verified_incident(journalist, editor, "John Deere machines stolen")

    incident_services.merge_incidents(
        survivor=survivor, duplicate=duplicate, editor=editor, reason="Same dealership, same day."
    )

    page = journalist_client.get(duplicate.get_absolute_url()).content.decode()
    assert (
        f'Merged into <a href="{survivor.get_absolute_url()}">Tractors taken in Melitopol</a>'
        in page
    )
    assert "Same dealership, same day." in page
    assert str(survivor.public_id) not in page.replace(survivor.get_absolute_url(), "")
    assert "Add a claim" not in page
    assert f"/incidents/{duplicate.public_id}/claims/new/" not in page

    survivor_page = journalist_client.get(survivor.get_absolute_url()).content.decode()
    assert "<dt>Merged duplicates</dt>" in survivor_page
    assert (
        f'<a href="{duplicate.get_absolute_url()}">John Deere machines stolen</a>' in survivor_page
    )
    assert "merged with duplicate “John Deere machines stolen”: Same dealership" in survivor_page
    assert "Add a claim" in survivor_page


def test_a_withdrawn_incident_offers_no_claim(journalist, editor, journalist_client):
    incident = verified_incident(journalist, editor, "Tractors taken in Melitopol")
    incident_services.withdraw_incident(incident=incident, editor=editor, reason="A hoax.")

    page = journalist_client.get(incident.get_absolute_url()).content.decode()

    assert "Withdrawn" in page and "A hoax." in page
    assert "Add a claim" not in page
    response = journalist_client.get(f"/incidents/{incident.public_id}/claims/new/")
    assert response.status_code == 302
