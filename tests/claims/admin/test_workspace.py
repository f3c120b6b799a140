"""The review workspace: everything needed to decide on one claim, and the decision."""

import datetime

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claim, Review
from incidents.models import IncidentStatus
from tests.claims.evidence.conftest import gps_exif, jpeg, upload
from tests.factories import (
    ActorFactory,
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    submit,
)
from tests.html_forms import read_form


def workspace_url(claim, **params):
    url = reverse("admin:claims_claim_review", args=[claim.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def kharkiv_incident(journalist):
    """A submitted incident in Kharkiv, 1–10 March 2022, with two claims, items and an
    actor; the first claim has a photo whose GPS and capture time say Bucha, 2 April."""
    incident = IncidentFactory(
        created_by=journalist,
        title="Shops emptied in Saltivka",
        place=PlaceFactory(name="Kharkiv", latitude="49.993500", longitude="36.230400"),
        occurred_from=datetime.date(2022, 3, 1),
        occurred_to=datetime.date(2022, 3, 10),
        actors=[ActorFactory(name="Unit 3412")],
    )
    IncidentItemFactory(incident=incident, description="refrigerators")
    photo = ClaimFactory(
        incident=incident,
        original_text="Soldiers loaded refrigerators onto trucks on Heroiv Pratsi street.",
        translation="",
    )
    sibling = ClaimFactory(
        incident=incident,
        original_text="Neighbours saw the shop on the corner emptied overnight.",
    )
    submit(incident)
    claim_services.attach_evidence(
        claim=photo, file=upload(jpeg(exif=gps_exif())), uploaded_by=journalist
    )
    return {"incident": incident, "photo": photo, "sibling": sibling}


def test_the_workspace_shows_the_incident_its_claims_and_what_the_photo_says(
    editor_client, kharkiv_incident
):
    photo = kharkiv_incident["photo"]
    response = editor_client.get(workspace_url(photo))

    assert response.status_code == 200
    content = response.content.decode()
    # The incident: place, dates, items, actors and its other claim with its quote.
    assert "Shops emptied in Saltivka" in content
    assert "Kharkiv" in content and 'data-lat="49.9935"' in content
    assert "1 Mar 2022 – 10 Mar 2022" in content
    assert "refrigerators" in content
    assert "Unit 3412" in content
    assert "Neighbours saw the shop on the corner emptied overnight." in content
    # The evidence: its hash, and the metadata against the place and dates.
    evidence = photo.evidence.get()
    assert evidence.sha256 in content
    assert "2022-04-02T11:40:05+03:00" in content
    assert "23 days after the incident's dates" in content
    assert "431.4 km from Kharkiv (more than 15 km for a settlement)" in content
    assert 'data-photo data-lat="50.54"' in content
    # The source's record and the decision form with the checklist.
    assert "Record: 1 claim — 0 verified, 0 disputed, 1 unverified" in content
    form = read_form(response, "review_form")
    assert form["geolocation"] == ["not_checked"]
    assert form["expected_version"] == [str(photo.version)]


def test_a_decision_from_the_workspace_writes_one_review_with_checklist_and_reason(
    editor_client, editor, kharkiv_incident
):
    photo, sibling = kharkiv_incident["photo"], kharkiv_incident["sibling"]
    data = read_form(editor_client.get(workspace_url(photo)), "review_form")
    data.update(
        to_status=["disputed"],
        dispute_reason=["recycled_content"],
        note=["The photo was taken in Bucha in April, not in Kharkiv in March."],
        geolocation=["failed"],
        chronolocation=["failed"],
        source_authenticity=["passed"],
        save_next=["Save and go to the next claim"],
    )

    response = editor_client.post(workspace_url(photo), data)

    # Saved, and on to the next claim of the queue.
    assert response.status_code == 302
    assert response["Location"] == workspace_url(sibling, view="available")
    review = Review.objects.get()
    assert (review.claim, review.reviewer, review.to_status, review.dispute_reason) == (
        photo,
        editor,
        "disputed",
        "recycled_content",
    )
    assert review.checklist == {
        "source_authenticity": "passed",
        "content_provenance": "not_checked",
        "geolocation": "failed",
        "chronolocation": "failed",
        "consistency": "not_checked",
    }
    photo.refresh_from_db()
    assert (photo.status, photo.dispute_reason) == ("disputed", "recycled_content")
    # The history on the claim's page shows the checks.
    page = editor_client.get(reverse("admin:claims_claim_change", args=[photo.pk]))
    assert "Geolocation: Failed" in page.content.decode()


@pytest.mark.parametrize(
    ("view", "queue"),
    [("available", "/admin/claims/claim/"), ("mine", "/admin/claims/claim/?taken=mine")],
)
def test_save_returns_to_the_queue_with_a_message(editor_client, kharkiv_incident, view, queue):
    photo = kharkiv_incident["photo"]
    data = read_form(editor_client.get(workspace_url(photo, view=view)), "review_form")
    data.update(to_status=["verified"], note=["Geolocated to Saltivka."], save=["Save"])

    response = editor_client.post(workspace_url(photo, view=view), data, follow=True)

    # Back in the queue the editor works from, not on the claim's raw change form.
    assert response.redirect_chain == [(queue, 302)]
    assert "is now verified." in response.content.decode()
    assert Review.objects.get().claim == photo


def test_a_dispute_without_a_reason_is_refused_writing_nothing(editor_client, kharkiv_incident):
    photo = kharkiv_incident["photo"]
    data = read_form(editor_client.get(workspace_url(photo)), "review_form")
    data.update(to_status=["disputed"], note=["Looks wrong."], geolocation=["failed"])

    response = editor_client.post(workspace_url(photo), data)

    assert response.status_code == 200
    assert "Say why the claim is disputed: choose a reason" in response.content.decode()
    assert not Review.objects.exists()
    photo.refresh_from_db()
    assert (photo.status, photo.version) == ("unverified", 1)


def test_an_unknown_checklist_result_is_refused_writing_nothing(editor_client, kharkiv_incident):
    photo = kharkiv_incident["photo"]
    data = read_form(editor_client.get(workspace_url(photo)), "review_form")
    data.update(to_status=["verified"], note=["Fine."], geolocation=["probably"])

    response = editor_client.post(workspace_url(photo), data)

    assert response.status_code == 200
    assert "Select a valid choice. probably is not one of" in response.content.decode()
    assert not Review.objects.exists()


def test_keeping_a_claim_unverified_records_the_note_and_leaves_it_in_the_queue(
    editor_client, editor, kharkiv_incident
):
    photo = kharkiv_incident["photo"]
    data = read_form(editor_client.get(workspace_url(photo)), "review_form")
    data.update(
        to_status=["unverified"],
        note=["No trace of the original post; the account is private."],
        source_authenticity=["not_applicable"],
    )

    response = editor_client.post(workspace_url(photo), data)

    assert response.status_code == 302
    assert not Review.objects.exists()
    photo.refresh_from_db()
    assert photo.status == "unverified"
    assert "could not confirm. No trace of the original post" in photo.internal_notes
    assert "source authenticity not applicable" in photo.internal_notes
    record = photo.history.latest()
    assert (record.history_user, record.history_change_reason[:17]) == (
        editor,
        "kept unverified: ",
    )
    assert photo in Claim.objects.filter(pk=photo.pk, status="unverified")


def test_take_and_release_from_the_workspace(
    editor_client, other_editor_client, editor, kharkiv_incident
):
    photo = kharkiv_incident["photo"]
    take = reverse("admin:claims_claim_take", args=[photo.pk])
    release = reverse("admin:claims_claim_release", args=[photo.pk])
    assert editor_client.get(take).status_code == 405

    assert editor_client.post(take).status_code == 302
    photo.refresh_from_db()
    assert (photo.assigned_to, photo.version) == (editor, 1)

    # Another editor sees who has it, and cannot decide on it.
    content = other_editor_client.get(workspace_url(photo)).content.decode()
    assert "Taken by ed-editor" in content
    data = read_form(other_editor_client.get(workspace_url(photo)), "review_form")
    data.update(to_status=["verified"], note=["Fine by me."])
    refused = other_editor_client.post(workspace_url(photo), data)
    assert "ed-editor has taken this claim for review" in refused.content.decode()
    assert other_editor_client.post(release, follow=True).status_code == 200
    photo.refresh_from_db()
    assert photo.assigned_to == editor
    assert not Review.objects.exists()

    editor_client.post(release)
    photo.refresh_from_db()
    assert photo.assigned_to is None
    reasons = list(photo.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["released", "taken for review"]


def test_the_workspace_costs_the_same_queries_however_many_claims_and_files(
    editor_client, journalist, kharkiv_incident, django_assert_max_num_queries
):
    photo, incident = kharkiv_incident["photo"], kharkiv_incident["incident"]
    with django_assert_max_num_queries(25) as first:
        assert editor_client.get(workspace_url(photo)).status_code == 200
    for n in range(4):
        ClaimFactory(incident=incident, reported_via=photo if n == 0 else None)
        claim_services.attach_evidence(
            claim=photo,
            file=upload(jpeg(colour=(n * 60, 90, 200 - n * 40))),
            uploaded_by=journalist,
        )
        IncidentItemFactory(incident=incident, description=f"item {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert editor_client.get(workspace_url(photo)).status_code == 200


def test_every_queue_row_and_claim_page_leads_to_the_workspace(editor_client, kharkiv_incident):
    photo = kharkiv_incident["photo"]
    queue = editor_client.get(reverse("admin:claims_claim_changelist")).content.decode()
    change = editor_client.get(reverse("admin:claims_claim_change", args=[photo.pk]))
    incident_page = editor_client.get(
        reverse("admin:incidents_incident_change", args=[kharkiv_incident["incident"].pk])
    )

    assert f'href="{workspace_url(photo)}"' in queue
    assert f'href="{workspace_url(photo)}"' in change.content.decode()
    assert f'href="{workspace_url(photo)}"' in incident_page.content.decode()
    # The incident's admin page shows its claims with their quotes.
    assert "Soldiers loaded refrigerators onto trucks" in incident_page.content.decode()


def test_journalists_get_403_on_the_workspace_take_and_release(journalist_client, kharkiv_incident):
    photo = kharkiv_incident["photo"]
    assert journalist_client.get(workspace_url(photo)).status_code == 403
    for step in ("take", "release"):
        url = reverse(f"admin:claims_claim_{step}", args=[photo.pk])
        assert journalist_client.post(url).status_code == 403
    photo.refresh_from_db()
    assert photo.assigned_to is None


def test_a_withdrawn_incidents_claim_is_shown_without_a_decision_form(
    editor_client, editor, published_incident
):
    claim = published_incident.claims.get()
    claim_services.withdraw_claim(claim=claim, editor=editor, reason="Logged twice.")

    response = editor_client.get(workspace_url(claim))

    assert response.status_code == 200
    assert 'id="review_form"' not in response.content.decode()
    assert published_incident.status == IncidentStatus.PUBLISHED
