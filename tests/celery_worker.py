"""A real Celery worker for the tests that prove the queued path (webhooks, admin imports).

It is Celery's own (celery.contrib.testing.worker.start_worker: the consumer that
`celery worker` runs), in a thread of this process, so that it shares the test database and
settings; it consumes only this process's queue, so parallel runs on one Redis never take
each other's tasks."""

import os
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from lootwatch.celery import app as celery_app


@contextmanager
def celery_worker(settings):
    broker = celery_app.conf.broker_url
    if os.environ.get("CI") == "true":
        # CI proves the real path: Redis as the broker.
        assert broker.startswith("redis://"), f"CI runs the worker on Redis, not {broker}"
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ) as running:
        yield running
    if broker.startswith("redis://"):
        # Leave nothing of this process's queue behind in the shared Redis.
        prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
        with celery_app.connection_for_write() as connection:
            client = connection.default_channel.client
            for key in client.scan_iter(match=f"{prefix}*"):
                client.delete(key)
