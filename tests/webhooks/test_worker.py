"""Webhooks as production sends them: queued after the commit on the broker (a real Redis
in CI, under a key prefix of this test process's own) and delivered by a real Celery
worker to a live local receiver.

The worker is Celery's own (celery.contrib.testing.worker.start_worker: the consumer that
`celery worker` runs), in a thread of this process, so that it shares the test database
(SQLite's in-memory one included) and its settings; it consumes only this process's queue,
so parallel test runs on one Redis never take each other's tasks.
"""

import time
from datetime import timedelta

import pytest

from claims import services as claim_services
from incidents import services as incident_services
from tests.celery_worker import celery_worker
from tests.factories import IncidentFactory
from webhooks import signing
from webhooks.models import Attempt, Delivery, DeliveryStatus
from webhooks.services import delivery as delivery_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(settings):
    settings.WEBHOOKS_IN_PROCESS = False
    with celery_worker(settings) as running:
        yield running


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_delivers_a_publication_and_retries_a_failure(
    worker, endpoint, receiver, journalist, editor, monkeypatch
):
    # Retries after a second rather than thirty, so the worker's own countdown is seen.
    monkeypatch.setattr(delivery_service, "FIRST_RETRY", timedelta(seconds=1))
    receiver.answers = [500]
    incident = IncidentFactory(
        created_by=journalist, title="Carpets from Bucha", status="submitted"
    )
    claim_services.review_claim(
        claim=incident.claims.get(), reviewer=editor, to_status="verified", note="Seen."
    )
    draft = IncidentFactory(created_by=journalist, title="A draft")
    incident_services.publish_incident(incident=incident, editor=editor)

    assert wait_until(lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()), (
        list(Attempt.objects.values_list("outcome", "status_code", "error"))
    )
    delivery = Delivery.objects.get(event="incident.published")
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]
    requests = receiver.requests
    assert len(requests) == 2
    for request in requests:
        assert signing.verify(
            endpoint.secret_shown, request["body"], request["headers"]["X-Lootwatch-Signature"]
        )
    bodies = b"".join(request["body"] for request in requests).decode()
    assert "Carpets from Bucha" in bodies
    assert str(draft.public_id) not in bodies


def test_a_worker_delivers_a_withdrawal(worker, endpoint, receiver, editor):
    incident = IncidentFactory(title="Grain from Melitopol", status="published")
    assert wait_until(lambda: len(receiver.requests) >= 1)
    incident_services.withdraw_incident(incident=incident, editor=editor, reason="Merged.")

    assert wait_until(
        lambda: any(event["type"] == "incident.withdrawn" for event in receiver.events())
    )
    [withdrawn] = [event for event in receiver.events() if event["type"] == "incident.withdrawn"]
    assert withdrawn["data"]["id"] == str(incident.public_id)
