import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services as claim_services
from incidents import services
from incidents.models import Incident
from lootwatch.versioning import StaleEditError
from tests.factories import ActorFactory, ClaimFactory, IncidentFactory, IncidentItemFactory

pytestmark = pytest.mark.django_db


def test_publish_requires_an_editor_and_a_claim(journalist, editor):
    incident = IncidentFactory()
    with pytest.raises(ValidationError, match="without claims"):
        services.publish_incident(incident=incident, editor=editor)
    ClaimFactory(incident=incident)
    with pytest.raises(PermissionDenied):
        services.publish_incident(incident=incident, editor=journalist)
    services.publish_incident(incident=incident, editor=editor)
    assert incident.status == "published"
    assert incident.published_at is not None
    assert incident.history.first().history_change_reason == "published"
    assert incident.history.first().history_user == editor


def test_withdraw_keeps_the_incident_and_its_claims(published_incident, editor):
    with pytest.raises(ValidationError, match="Say why"):
        services.withdraw_incident(incident=published_incident, editor=editor, reason=" ")
    services.withdraw_incident(
        incident=published_incident, editor=editor, reason="Photo was from 2014."
    )
    stored = Incident.objects.get(pk=published_incident.pk)
    assert stored.status == "withdrawn"
    assert stored.withdrawal_reason == "Photo was from 2014."
    assert stored.withdrawn_at is not None
    assert stored.claims.count() == 1
    with pytest.raises(ValidationError, match="cannot be published again"):
        services.publish_incident(incident=stored, editor=editor)


def test_merge_moves_claims_items_and_actors_and_withdraws_the_duplicate(editor):
    survivor, duplicate = IncidentFactory(), IncidentFactory()
    shared_url = "https://twitter.com/DefenceU/status/1"
    ClaimFactory(incident=survivor, url=shared_url)
    moved = ClaimFactory(incident=duplicate)
    kept_back = ClaimFactory(incident=duplicate, url=shared_url)
    IncidentItemFactory(incident=duplicate, description="washing machines")
    actor = ActorFactory()
    services.edit_incident(
        incident=duplicate,
        editor=editor,
        expected_version=duplicate.version,
        changes={},
        actors=[actor],
    )

    services.merge_incidents(survivor=survivor, duplicate=duplicate, editor=editor)

    moved.refresh_from_db()
    kept_back.refresh_from_db()
    assert moved.incident == survivor
    assert moved.history.first().history_change_reason.startswith("moved from merged incident")
    assert kept_back.incident == duplicate
    assert list(survivor.items.values_list("description", flat=True)) == ["washing machines"]
    assert list(survivor.actors.all()) == [actor]
    assert duplicate.status == "withdrawn"
    assert duplicate.merged_into == survivor
    # Named in words (the survivor is merged_into, a link on the pages), not by its id.
    assert duplicate.withdrawal_reason.startswith("A duplicate; merged. 1 claim citing URLs")
    assert str(survivor.public_id) not in duplicate.withdrawal_reason


def test_merge_refuses_the_same_incident_and_non_editors(editor, journalist):
    incident = IncidentFactory()
    with pytest.raises(ValidationError, match="into itself"):
        services.merge_incidents(survivor=incident, duplicate=incident, editor=editor)
    with pytest.raises(PermissionDenied):
        services.merge_incidents(survivor=incident, duplicate=IncidentFactory(), editor=journalist)


def test_stale_incident_edit_names_who_changed_what(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    mine, theirs = Incident.objects.get(pk=incident.pk), Incident.objects.get(pk=incident.pk)
    services.edit_incident(
        incident=theirs, editor=editor, expected_version=1, changes={"title": "Corrected title"}
    )
    with pytest.raises(StaleEditError, match=r"changed by ed-editor .*\(title\)"):
        services.edit_incident(
            incident=mine, editor=journalist, expected_version=1, changes={"summary": "Mine"}
        )
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.title, stored.summary, stored.version) == (
        "Corrected title",
        "Homes were looted.",
        2,
    )


def test_an_edit_must_say_which_version_it_was_made_on(journalist):
    incident = IncidentFactory(created_by=journalist)
    with pytest.raises(ValidationError, match="which version"):
        services.edit_incident(
            incident=incident, editor=journalist, expected_version=None, changes={"title": "X"}
        )
    incident.refresh_from_db()
    assert (incident.title, incident.version) != ("X", 2)


def test_journalists_cannot_edit_published_incidents(published_incident, journalist):
    with pytest.raises(PermissionDenied):
        services.edit_incident(
            incident=published_incident,
            editor=journalist,
            expected_version=published_incident.version,
            changes={"title": "Changed"},
        )


def test_submit_needs_a_claim(journalist):
    incident = IncidentFactory(created_by=journalist)
    with pytest.raises(ValidationError, match="at least one claim"):
        services.submit_incident(incident=incident, user=journalist)
    ClaimFactory(incident=incident)
    services.submit_incident(incident=incident, user=journalist)
    assert incident.status == "submitted"


def test_history_records_every_change_with_who_and_when(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    claim = ClaimFactory(incident=incident)
    claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="ok")
    services.submit_incident(incident=incident, user=journalist)
    services.publish_incident(incident=incident, editor=editor)
    reasons = list(
        incident.history.order_by("history_date").values_list(
            "history_change_reason", "history_user__username", "status"
        )
    )
    assert reasons[1:] == [
        ("submitted", "jo-journalist", "submitted"),
        ("published", "ed-editor", "published"),
    ]
    place = incident.place
    place.name = "Renamed"
    services.update_place(place=place, editor=editor, fields=["name"])
    assert place.history.first().history_user == editor
    assert place.history.first().history_change_reason == "edited: name"
    assert place.history.count() == 2


def test_changing_actors_is_on_record_and_moves_the_version(journalist, editor, published_incident):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    first, second, third = (ActorFactory(name=name) for name in ("VDV", "BARS-13", "Rosgvardia"))

    def set_actors(actors, user=editor, of=incident):
        services.edit_incident(
            incident=of, editor=user, expected_version=of.version, changes={}, actors=actors
        )

    set_actors([first, second])
    assert incident.version == 2
    record = incident.history.latest()
    assert (record.history_user, record.version) == (editor, 2)
    assert record.history_change_reason == "actors added: BARS-13, VDV"

    set_actors([second, third])
    assert incident.version == 3
    assert incident.history.latest().history_change_reason == (
        "actors added: Rosgvardia; actors removed: VDV"
    )
    assert set(incident.actors.all()) == {second, third}

    # The same actors again: nothing to record.
    set_actors([third, second])
    assert incident.version == 3
    assert incident.history.count() == 3

    with pytest.raises(PermissionDenied):
        set_actors([first], user=journalist, of=published_incident)


def test_merge_records_why_items_were_copied(editor):
    survivor, duplicate = IncidentFactory(), IncidentFactory()
    ClaimFactory(incident=duplicate)
    IncidentItemFactory(incident=duplicate, description="washing machines")

    services.merge_incidents(survivor=survivor, duplicate=duplicate, editor=editor)

    (copied,) = survivor.items.all()
    (record,) = copied.history.all()
    assert record.history_user == editor
    assert record.history_type == "+"
    assert record.history_change_reason == f"copied from merged incident “{duplicate.title}”"


def test_a_long_withdrawal_reason_is_kept_whole_on_the_record(published_incident, editor):
    reason = "The photo was first published in 2014, in a report about another war. " * 5
    claim = published_incident.claims.get()

    claim_services.withdraw_claim(claim=claim, editor=editor, reason=reason)
    services.withdraw_incident(incident=published_incident, editor=editor, reason=reason)

    for record in (published_incident, claim):
        record.refresh_from_db()
        assert record.withdrawal_reason == reason.strip()
        change_reason = record.history.latest().history_change_reason
        assert change_reason.startswith("withdrawn: The photo was first published")
        assert len(change_reason) == 100


def test_merge_does_not_copy_an_item_the_survivor_already_lists(editor):
    survivor, duplicate = IncidentFactory(), IncidentFactory()
    IncidentItemFactory(incident=survivor, description="Washing machines")
    IncidentItemFactory(incident=duplicate, description="washing machines ")
    IncidentItemFactory(incident=duplicate, description="carpets")
    shared_url = "https://twitter.com/DefenceU/status/2"
    ClaimFactory(incident=survivor, url=shared_url)
    ClaimFactory(incident=duplicate, url=shared_url)

    services.merge_incidents(survivor=survivor, duplicate=duplicate, editor=editor)

    assert sorted(survivor.items.values_list("description", flat=True)) == [
        "Washing machines",
        "carpets",
    ]
    assert "1 claim citing URLs the surviving incident already cites stays" in (
        duplicate.withdrawal_reason
    )


def test_only_editors_make_an_exact_location_public(journalist, editor):
    """create_place refuses a journalist's public exact location (every caller: forms,
    imports, routes); an editor may."""
    from decimal import Decimal

    from incidents.models import Place

    def home(name):
        return Place(
            name=name,
            country="UA",
            latitude=Decimal("50.5432"),
            longitude=Decimal("30.2120"),
            precision="exact",
            exact_location_public=True,
        )

    with pytest.raises(PermissionDenied, match="exact location public"):
        services.create_place(place=home("A home"), created_by=journalist)
    assert not Place.objects.filter(name="A home").exists()
    place = services.create_place(place=home("An office"), created_by=editor)
    assert place.exact_location_public
