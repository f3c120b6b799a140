from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = _("Claims and evidence")

    def ready(self):
        from lootwatch.append_only import ensure_triggers

        # After every migrate: a table rebuilt by a later migration gets its triggers back.
        post_migrate.connect(ensure_triggers, sender=self, dispatch_uid="append-only-triggers")
