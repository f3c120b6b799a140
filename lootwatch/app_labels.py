"""Third-party apps under the names editors know them by in the admin. (Kept out of
lootwatch/apps.py: Django picks an app's configuration from its apps module only when that
module holds one.)"""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework_api_key.apps import RestFrameworkApiKeyConfig


class PartnerKeysConfig(RestFrameworkApiKeyConfig):
    """djangorestframework-api-key: its own name, "API Key Permissions", is a developer's
    label and says nothing of whose keys these are."""

    verbose_name = _("Partner API keys")

    def ready(self):
        super().ready()
        # The package names its model in plain strings, which no catalogue can translate.
        # Only the names shown are set: migrations read the model's original Meta.
        meta = self.get_model("APIKey")._meta
        meta.verbose_name, meta.verbose_name_plural = _("API key"), _("API keys")


class SignInLockoutsConfig(AxesConfig):
    """django-axes, under a name that says what editors find there."""

    verbose_name = _("Sign-in lockouts")


# Words of these apps and of Django's admin index that their own catalogues lack in
# Ukrainian, marked here so that locale/uk carries them (LOCALE_PATHS is looked up first).
MISSING_ELSEWHERE = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
