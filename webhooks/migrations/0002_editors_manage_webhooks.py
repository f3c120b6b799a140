"""Editors register partners' webhook endpoints and read every delivery and attempt."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "webhooks.view_endpoint",
    "webhooks.add_endpoint",
    "webhooks.change_endpoint",
    "webhooks.view_delivery",
    "webhooks.view_attempt",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="editor")
    for name in EDITOR:
        app_label, codename = name.split(".")
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="editor").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="webhooks")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_endpoints_deliveries_attempts"),
        ("incidents", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
