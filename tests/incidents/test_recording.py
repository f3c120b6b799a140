"""incidents.services.log_incident and edit_incident: each a whole form in one call, saved
in one transaction, with one history record and one version step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Claim, Evidence, Source
from incidents import services
from incidents.models import Incident, IncidentItem, ItemCategory, Place
from tests.factories import (
    ActorFactory,
    IncidentFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
)
from tests.incidents.pages.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


def claim(**fields):
    return Claim(
        medium="tweet",
        language="uk",
        original_text=fields.pop("original_text", "Вивезли пральні машини."),
        **fields,
    )


def test_log_an_incident_with_everything_in_one_call(journalist):
    actor = ActorFactory(name="64th Separate Motor Rifle Brigade")
    ministry = SourceFactory(name="Ministry of Defence")
    incident = services.log_incident(
        logged_by=journalist,
        incident=Incident(
            title="Washing machines taken in Bucha",
            occurred_from="2022-03-20",
            occurred_to="2022-03-30",
        ),
        new_place=Place(
            name="Bucha", country="UA", latitude="50.54", longitude="30.22", precision="settlement"
        ),
        actors=[actor],
        items=[IncidentItem(category=ItemCategory.objects.get(slug="washing-machines"))],
        claims=[
            services.ClaimSubmission(
                claim=claim(source=ministry, url="https://t.me/ministry/1"),
                evidence=[(jpeg_upload(), None)],
            ),
            services.ClaimSubmission(
                claim=claim(url="https://example.org/report", original_text="A report."),
                new_source=Source(name="Local paper", kind="media_outlet"),
                reported_via=0,
            ),
        ],
        submit=True,
    )

    incident.refresh_from_db()
    assert (incident.status, incident.version, incident.place.name) == ("submitted", 1, "Bucha")
    assert list(incident.actors.all()) == [actor]
    first, second = incident.claims.order_by("pk")
    assert second.reported_via == first
    assert second.source.name == "Local paper"
    assert first.evidence.count() == 1
    [record] = incident.history.all()
    assert (record.history_user, record.history_change_reason) == (
        journalist,
        "logged and submitted for review",
    )


def test_a_refused_part_names_itself_and_nothing_is_written(journalist):
    place, known_source = PlaceFactory(), SourceFactory()
    counts = (Incident.objects.count(), Claim.objects.count(), Source.objects.count())
    with pytest.raises(services.SubmissionError) as refused:
        services.log_incident(
            logged_by=journalist,
            incident=Incident(title="T", occurred_from="2022-03-20", occurred_to="2022-03-30"),
            place=place,
            claims=[
                services.ClaimSubmission(
                    claim=claim(url="https://t.me/a/1"),
                    new_source=Source(name="New source", kind="witness"),
                ),
                services.ClaimSubmission(
                    claim=claim(url="https://t.me/a/2", source=known_source),
                    evidence=[(jpeg_upload(name="x.jpg"), None)],
                ),
                services.ClaimSubmission(claim=claim(url="https://t.me/a/3", original_text="")),
            ],
        )
    assert refused.value.part == "claims.2"
    assert "original_text" in refused.value.message_dict
    # Not the incident, not the first two claims, not the new source, not the evidence.
    assert (Incident.objects.count(), Claim.objects.count(), Source.objects.count()) == counts
    assert not Evidence.objects.exists()


def test_submitting_needs_a_claim(journalist):
    with pytest.raises(ValidationError, match="at least one claim"):
        services.log_incident(
            logged_by=journalist,
            incident=Incident(title="T", occurred_from="2022-03-20", occurred_to="2022-03-30"),
            place=PlaceFactory(),
            submit=True,
        )


def test_partners_cannot_log(db):
    partner = UserFactory(username="pat-partner", role="partner")
    with pytest.raises(PermissionDenied):
        services.log_incident(logged_by=partner, incident=Incident(), place=PlaceFactory())


def test_an_edit_of_fields_actors_and_items_is_one_record_and_one_version_step(journalist):
    incident = IncidentFactory(created_by=journalist)
    actor = ActorFactory(name="Rosgvardia")
    before = (incident.version, incident.history.count())

    services.edit_incident(
        incident=incident,
        editor=journalist,
        expected_version=incident.version,
        changes={"title": "Better title", "summary": "More detail."},
        actors=[actor],
        items=[IncidentItem(category=ItemCategory.objects.get(slug="cars"), description="cars")],
    )

    incident.refresh_from_db()
    assert (incident.version, incident.history.count()) == (before[0] + 1, before[1] + 1)
    assert incident.history.first().history_change_reason == (
        "edited title, summary; actors added: Rosgvardia; 1 item added or changed"
    )
    assert list(incident.actors.all()) == [actor]
    assert incident.items.get().description == "cars"


def test_an_edit_that_changes_nothing_writes_nothing(journalist):
    incident = IncidentFactory(created_by=journalist)
    before = (incident.version, incident.history.count(), incident.updated_at)
    services.edit_incident(
        incident=incident,
        editor=journalist,
        expected_version=incident.version,
        changes={"title": incident.title},
        actors=[],
    )
    incident.refresh_from_db()
    assert (incident.version, incident.history.count(), incident.updated_at) == before


def test_journalists_may_not_remove_items(journalist, editor):
    incident = IncidentFactory(created_by=journalist)
    services.edit_incident(
        incident=incident,
        editor=journalist,
        expected_version=incident.version,
        changes={},
        items=[IncidentItem(category=ItemCategory.objects.get(slug="cars"))],
    )
    item = incident.items.get()
    incident.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_incident(
            incident=incident,
            editor=journalist,
            expected_version=incident.version,
            changes={},
            removed_items=[item],
        )
    services.edit_incident(
        incident=incident,
        editor=editor,
        expected_version=incident.version,
        changes={},
        removed_items=[item],
    )
    assert not incident.items.exists()
