from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Staff preferences"

    def ready(self):
        # Connects the sign-in receiver that applies a person's remembered language.
        from accounts import middleware  # noqa: F401
