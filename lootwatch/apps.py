from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from rest_framework_api_key.apps import RestFrameworkApiKeyConfig


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


class PartnerKeysConfig(RestFrameworkApiKeyConfig):
    """djangorestframework-api-key under the name editors know it by: its own, "API Key
    Permissions", is a developer's label and says nothing of whose keys these are."""

    verbose_name = "Partner API keys"


class SignInLockoutsConfig(AxesConfig):
    """django-axes under a name that says what editors find there."""

    verbose_name = "Sign-in lockouts"
