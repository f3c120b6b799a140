"""
WSGI config for lootwatch project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the worker:
# move it out of the garbage collector's sight, so that each collection triggered while a
# request builds thousands of rows no longer walks it too. A page of 500 incidents spent
# about 30% of its time in the collector before (bench/RESULTS.md).
gc.freeze()
