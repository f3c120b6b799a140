"""The Celery application that runs background work (webhook deliveries) on workers, with
Redis as the broker when REDIS_URL is set. Configured from Django's settings (the CELERY_*
names); tasks live in each app's ``tasks.py``. Start a worker with

    celery -A lootwatch worker --beat --loglevel INFO
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")

app = Celery("lootwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
