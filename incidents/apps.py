from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from incidents import fulltext

        # After every migrate, as for the append-only triggers: the search triggers and
        # functions are there whatever a later migration did to the tables they watch.
        post_migrate.connect(fulltext.ensure, sender=self, dispatch_uid="search-triggers")
