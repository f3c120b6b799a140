"""Attempt every webhook delivery whose time has come: retries, and deliveries whose task
was lost. Celery beat does this every five minutes when a worker runs with --beat; without
Redis (deliveries in the web process), run it from cron every few minutes."""

from django.core.management.base import BaseCommand

from webhooks.services import requeue_due_deliveries


class Command(BaseCommand):
    help = "Queue (or, without Redis, attempt) every webhook delivery that is due."

    def handle(self, *args, **options):
        count = requeue_due_deliveries()
        self.stdout.write(f"{count} due deliveries queued.")
