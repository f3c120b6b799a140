"""Give the roles their permissions on routes and links between incidents.

Journalists add and correct route points and links, as they do items; only editors remove
one (the removal stays in the history).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "view_routepoint",
    "add_routepoint",
    "change_routepoint",
    "view_incidentlink",
    "add_incidentlink",
    "change_incidentlink",
]
EDITOR = [*JOURNALIST, "delete_routepoint", "delete_incidentlink"]
ROLES = {"journalist": JOURNALIST, "editor": EDITOR}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so
    # the groups can hold them on a fresh database.
    app_config = apps.get_app_config("incidents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="incidents", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="incidents", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_routes_and_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
