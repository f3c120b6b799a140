"""Third-party apps under the names editors know them by in the admin. (Kept out of
lootwatch/apps.py: Django picks an app's configuration from its apps module only when that
module holds one.)"""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.apps import RestFrameworkApiKeyConfig


class PartnerKeysConfig(RestFrameworkApiKeyConfig):
    """djangorestframework-api-key: its own name, "API Key Permissions", is a developer's
    label and says nothing of whose keys these are."""

    verbose_name = _("Partner API keys")


class SignInLockoutsConfig(AxesConfig):
    """django-axes, under a name that says what editors find there."""

    verbose_name = _("Sign-in lockouts")
