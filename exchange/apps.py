from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = _("Import, export and dataset releases")

    def ready(self):
        from exchange.releases import stored_release_files
        from lootwatch import backups

        # Release files are named in each release's manifest, not by a FileField.
        backups.register_file_lister(stored_release_files)
