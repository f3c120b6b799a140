"""Releases are made by editors (and superusers): the permission exchange.make_release,
given to the editor group. Release.created_by records who made each one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="exchange", codename="make_release"
    )
    for group in Group.objects.filter(name="editor"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="editor"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="exchange", codename="make_release")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0004_import_queue_and_content"),
        ("incidents", "0003_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="release",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("make_release", "Can make a dataset release")],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
