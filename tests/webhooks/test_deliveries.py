"""Webhooks delivered in the process (as under `make run`) to a live local receiver: signed,
carrying the API's representation, only for what partners may see, after the commit;
retried, logged, and the endpoint disabled after a day of failures."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, reference_editor
from webhooks import signing
from webhooks.models import Attempt, Delivery, DeliveryStatus
from webhooks.services import requeue_due_deliveries


@pytest.fixture
def submitted(journalist):
    return IncidentFactory(
        created_by=journalist, title="Washing machines in Naroulia", status="submitted"
    )


def publish(incident, editor, capture):
    claim = incident.claims.get()
    # Two requests, as in the admin: the review commits before the publication.
    with capture(execute=True):
        claim_services.review_claim(
            claim=claim, reviewer=editor, to_status="verified", note="Seen."
        )
    with capture(execute=True):
        incident_services.publish_incident(incident=incident, editor=editor)


def test_a_publication_is_delivered_signed_with_the_apis_representation(
    endpoint, receiver, submitted, editor, partner_key, django_capture_on_commit_callbacks
):
    publish(submitted, editor, django_capture_on_commit_callbacks)

    [request] = [
        r for r in receiver.requests if r["headers"]["X-Lootwatch-Event"] == "incident.published"
    ]
    body = request["body"]
    assert request["headers"]["Content-Type"] == "application/json"
    assert signing.verify(endpoint.secret_shown, body, request["headers"]["X-Lootwatch-Signature"])
    timestamp = int(request["headers"]["X-Lootwatch-Signature"].split(",")[0][2:])
    assert abs(time.time() - timestamp) < 60
    assert not signing.verify("whsec_wrong", body, request["headers"]["X-Lootwatch-Signature"])
    event = json.loads(body)
    assert event["type"] == "incident.published"
    assert event["id"] == request["headers"]["X-Lootwatch-Event-Id"]
    # Exactly what the API answers the partner (links aside: the API's follow the request).
    _, key = type(partner_key).objects.create_key(name="Reader")
    api = (
        Client()
        .get(
            reverse("incident-detail", kwargs={"public_id": submitted.public_id}),
            HTTP_AUTHORIZATION=f"Api-Key {key}",
        )
        .json()
    )
    assert event["data"] == api
    assert "created_by" not in body.decode() and "internal_notes" not in body.decode()
    delivery = Delivery.objects.get(event_id=event["id"])
    assert delivery.status == DeliveryStatus.DELIVERED
    [attempt] = delivery.attempt_log.all()
    assert (attempt.outcome, attempt.status_code) == (Attempt.Outcome.DELIVERED, 200)


def test_a_draft_never_leaves(
    endpoint, receiver, journalist, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = IncidentFactory(created_by=journalist, title="Not yet")
        claim = ClaimFactory(incident=draft)
        incident_services.edit_incident(
            incident=draft,
            editor=journalist,
            expected_version=draft.version,
            changes={"title": "Still not"},
        )
        incident_services.submit_incident(incident=draft, user=journalist)
        claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_withdrawal_is_delivered(
    endpoint, receiver, submitted, editor, django_capture_on_commit_callbacks
):
    publish(submitted, editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.withdraw_incident(incident=submitted, editor=editor, reason="Duplicate.")

    withdrawn = [e for e in receiver.events() if e["type"] == "incident.withdrawn"]
    assert len(withdrawn) == 1
    assert withdrawn[0]["data"]["id"] == str(submitted.public_id)
    assert withdrawn[0]["data"]["type"] == "incident"
    assert "Duplicate." not in json.dumps(withdrawn[0])


def test_a_withdrawn_draft_tells_nobody(
    endpoint, receiver, submitted, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.withdraw_incident(incident=submitted, editor=editor, reason="Wrong.")
    assert receiver.requests == []


def test_reviews_and_edits_of_published_incidents_are_delivered(
    endpoint, receiver, submitted, editor, journalist, django_capture_on_commit_callbacks
):
    publish(submitted, editor, django_capture_on_commit_callbacks)
    late = ClaimFactory(incident=submitted, submitted_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        claim_services.review_claim(
            claim=late,
            reviewer=editor,
            to_status="disputed",
            note="Recycled.",
            dispute_reason="recycled_content",
        )
    reviewed = [e for e in receiver.events() if e["type"] == "claim.reviewed"]
    assert [e["data"]["id"] for e in reviewed] == [str(late.public_id)]
    assert reviewed[0]["data"]["dispute_reason"] == "recycled_content"
    assert reviewed[0]["data"]["incident"] == str(submitted.public_id)
    updated = [e for e in receiver.events() if e["type"] == "incident.updated"]
    assert updated and updated[-1]["data"]["verification"]["disputed"] == 1


def test_a_rolled_back_change_sends_nothing(endpoint, receiver, submitted, editor):
    claim = submitted.claims.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_services.review_claim(claim=claim, reviewer=editor, to_status="verified", note="Ok.")
        incident_services.publish_incident(incident=submitted, editor=editor)
        raise RuntimeError("the editor's request failed after publishing")
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_failed_delivery_is_retried_with_backoff_and_every_attempt_logged(
    endpoint, receiver, submitted, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503, 503, 503]
    publish(submitted, editor, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event="incident.published")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    first = delivery.attempt_log.get()
    assert (first.outcome, first.status_code) == (Attempt.Outcome.HTTP_ERROR, 500)
    waits = []
    for _ in range(4):
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - delivery.attempt_log.last().at)
        # The wait passes: the retry is due now.
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert requeue_due_deliveries() == 1
    assert [round(w.total_seconds()) for w in waits] == [30, 60, 120, 240]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 503, 503, 200]
    published = [
        r for r in receiver.requests if r["headers"]["X-Lootwatch-Event"] == "incident.published"
    ]
    # The same event, each attempt signed anew.
    assert len({r["headers"]["X-Lootwatch-Event-Id"] for r in published}) == 1
    assert all(
        signing.verify(endpoint.secret_shown, r["body"], r["headers"]["X-Lootwatch-Signature"])
        for r in published
    )


def test_redirects_are_not_followed(
    endpoint, receiver, submitted, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [302] * 10
    publish(submitted, editor, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.filter(delivery__event="incident.published").get()
    assert (attempt.outcome, attempt.status_code) == (Attempt.Outcome.HTTP_ERROR, 302)
    assert len(receiver.requests) == Attempt.objects.count()


def test_a_slow_endpoint_cannot_hold_a_worker(
    endpoint, receiver, submitted, editor, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT = 0.5
    receiver.delay = 3
    started = time.monotonic()
    publish(submitted, editor, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2.5 + 1.0 * Attempt.objects.count()
    attempt = Attempt.objects.filter(delivery__event="incident.published").get()
    assert attempt.outcome == Attempt.Outcome.NETWORK_ERROR
    assert attempt.duration_ms < 1500


def test_an_endpoint_failing_for_a_day_is_disabled_and_editors_are_told(
    endpoint, receiver, submitted, editor, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 100
    publish(submitted, editor, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    delivery = Delivery.objects.get(event="incident.published")
    a_day_later = timezone.now() + timedelta(hours=24, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        requeue_due_deliveries(now=a_day_later)
    # Its failures started more than a day before this attempt (time moves on for real).
    type(endpoint).objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(hours=25)
    )
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        requeue_due_deliveries()
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert delivery.status == DeliveryStatus.CANCELLED
    told = [message for message in mail.outbox if editor.email in message.to]
    assert told and endpoint.url in told[0].body
    since = f"{endpoint.failing_since:%Y-%m-%d %H:%M}"
    assert f"every delivery failed from {since} UTC for 24 hours" in told[0].body
    count = len(receiver.requests)
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.edit_incident(
            incident=submitted,
            editor=reference_editor(),
            expected_version=submitted.version,
            changes={"summary": "More."},
        )
    assert len(receiver.requests) == count


def test_a_revoked_key_receives_nothing(
    endpoint, receiver, partner_key, submitted, editor, django_capture_on_commit_callbacks
):
    partner_key.revoked = True
    partner_key.save()
    publish(submitted, editor, django_capture_on_commit_callbacks)
    assert receiver.requests == []


def test_deliveries_and_attempts_are_shown_to_editors_in_the_admin(
    endpoint, receiver, submitted, editor, editor_client, django_capture_on_commit_callbacks
):
    publish(submitted, editor, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event="incident.published")
    listing = editor_client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    assert "incident.published" in listing
    page = editor_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert "Delivered (2xx)" in page.content.decode()
    assert endpoint.secret_shown not in page.content.decode()
