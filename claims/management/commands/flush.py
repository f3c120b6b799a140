"""Django's ``flush``, allowed to empty the append-only tables too (lootwatch.append_only):
emptying the whole database (between tests, before a restore) is the one sanctioned way to
remove their rows."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from lootwatch.append_only import purge_allowed


class Command(FlushCommand):
    def handle(self, **options):
        with purge_allowed(connections[options["database"]]):
            return super().handle(**options)
