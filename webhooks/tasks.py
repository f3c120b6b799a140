"""Celery tasks: thin callers of webhooks.services.delivery, run by `celery -A lootwatch
worker --beat` (the compose file's `worker`)."""

from celery import shared_task

from webhooks.services import delivery


@shared_task(name=delivery.DELIVER_TASK, ignore_result=True)
def deliver(delivery_id):
    delivery.attempt_delivery(delivery_id=delivery_id)


@shared_task(name="webhooks.requeue_due", ignore_result=True)
def requeue_due():
    delivery.requeue_due_deliveries()
