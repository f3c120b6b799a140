from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(*, using, **kwargs):
    """Create the database cache's table on every ``migrate`` (a no-op with Redis or when it
    exists), so that no deployment path can forget ``createcachetable``."""
    call_command("createcachetable", database=using, verbosity=0)


class LootwatchConfig(AppConfig):
    """The project itself: operations commands (backup, restore) and deployment glue."""

    name = "lootwatch"
    verbose_name = "Lootwatch"

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self)
        from lootwatch import checks  # noqa: F401  (registers the deployment checks)
