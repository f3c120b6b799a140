"""Attempting deliveries: sign, POST, log the attempt; retry with exponential backoff for
24 hours; disable an endpoint that has failed for 24 hours and tell the editors.

Attempts run on Celery workers (webhooks.tasks) with Redis as the broker; without Redis
(``make run``) they run in the process, right after the change commits, and retries wait
for ``python manage.py deliver_webhooks``. A delivery is leased before it is sent, so a task
delivered twice by the broker does not send twice.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.notifications import tell
from lootwatch.celery import app as celery_app
from webhooks import network, selectors, signing
from webhooks.models import Attempt, Delivery, DeliveryStatus

DELIVER_TASK = "webhooks.deliver"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
DISABLE_AFTER = timedelta(hours=24)


def backoff(attempts):
    """How long to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, …,
    at most an hour (the broker redelivers unacknowledged tasks after two)."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def enqueue(delivery_ids, *, countdown=None):
    """Have these deliveries attempted: by a Celery worker, or here and now without one."""
    for delivery_id in delivery_ids:
        if settings.WEBHOOKS_IN_PROCESS:
            attempt_delivery(delivery_id=delivery_id)
        else:
            celery_app.send_task(DELIVER_TASK, args=[delivery_id], countdown=countdown)


def _lease(delivery_id, now):
    """Lock the delivery, check it is due, and hold it for the length of one attempt."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("endpoint__api_key")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        # A little early is fine (a countdown fires on time, not after); a lease held by
        # another worker is not.
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=5):
            return None
        endpoint, key = delivery.endpoint, delivery.endpoint.api_key
        if not endpoint.active or key.revoked or key.has_expired:
            delivery.status, delivery.finished_at = DeliveryStatus.CANCELLED, now
            delivery.save(update_fields=["status", "finished_at"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + 60)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def attempt_delivery(*, delivery_id):
    """Make one attempt at a due delivery and record it; return the Attempt, or None if
    the delivery was not due (already delivered, leased by another worker, cancelled)."""
    delivery = _lease(delivery_id, timezone.now())
    if delivery is None:
        return None
    body = delivery.body.encode()
    headers = {
        signing.HEADER: signing.signature_header(delivery.endpoint.secret, body),
        "X-Lootwatch-Event": delivery.event,
        "X-Lootwatch-Event-Id": str(delivery.event_id),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        status_code = network.post(delivery.endpoint.url, body, headers)
    except network.RefusedURL as refused:
        outcome, error = Attempt.Outcome.REFUSED_ADDRESS, str(refused)
    except network.DeliveryError as failure:
        outcome, error = Attempt.Outcome.NETWORK_ERROR, str(failure)
    else:
        delivered = 200 <= status_code < 300
        outcome = Attempt.Outcome.DELIVERED if delivered else Attempt.Outcome.HTTP_ERROR
    duration = int((time.monotonic() - started) * 1000)
    return _record_attempt(delivery, outcome, status_code, error[:300], duration)


@transaction.atomic
def _record_attempt(delivery, outcome, status_code, error, duration_ms):
    now = timezone.now()
    attempt = Attempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        at=now,
        outcome=outcome,
        status_code=status_code,
        duration_ms=duration_ms,
        error=error,
    )
    endpoint = type(delivery.endpoint).objects.select_for_update().get(pk=delivery.endpoint_id)
    if outcome == Attempt.Outcome.DELIVERED:
        delivery.status, delivery.finished_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
        delivery.save(update_fields=["status", "finished_at", "next_attempt_at"])
        if endpoint.failing_since is not None:
            endpoint.failing_since = None
            endpoint.save(update_fields=["failing_since"])
        return attempt
    if now - delivery.created_at >= GIVE_UP_AFTER:
        delivery.status, delivery.finished_at, delivery.next_attempt_at = (
            DeliveryStatus.FAILED,
            now,
            None,
        )
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "finished_at", "next_attempt_at"])
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
    elif endpoint.active and now - endpoint.failing_since >= DISABLE_AFTER:
        _disable(endpoint, now)
    if (
        delivery.status == DeliveryStatus.PENDING
        and endpoint.active
        and not settings.WEBHOOKS_IN_PROCESS
    ):
        wait = (delivery.next_attempt_at - now).total_seconds()
        transaction.on_commit(lambda: enqueue([delivery.pk], countdown=wait), robust=True)
    return attempt


def _disable(endpoint, now):
    """Stop sending to an endpoint that has failed for a day, cancel what waits for it, and
    tell the editors."""
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"Every delivery failed from {endpoint.failing_since:%Y-%m-%d %H:%M} UTC for 24 hours."
    )
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason"])
    endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, finished_at=now, next_attempt_at=None
    )
    for editor in selectors.editors():
        tell(
            recipient=editor,
            actor=None,
            subject=lambda: gettext("Webhook disabled: %(url)s") % {"url": endpoint.url},
            template="emails/webhook_disabled.txt",
            context={"endpoint": endpoint},
        )


def requeue_due_deliveries(*, now=None):
    """Queue every delivery whose attempt is due (its retry time passed, or its task was
    lost with a restarted broker); return how many. Run by Celery beat every five minutes
    (``worker --beat``), or from cron with ``manage.py deliver_webhooks`` without Redis."""
    due = list(selectors.due_deliveries(now or timezone.now()).values_list("pk", flat=True))
    enqueue(due)
    return len(due)
