"""Create the journalist, editor and partner groups with least-privilege permissions.

Nobody may delete an incident, claim, review or evidence file: they are withdrawn instead.
Partners read the API through keys and get no model permissions at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

JOURNALIST = [
    "incidents.view_incident",
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.view_incidentitem",
    "incidents.add_incidentitem",
    "incidents.change_incidentitem",
    "incidents.view_place",
    "incidents.add_place",
    "incidents.view_actor",
    "incidents.add_actor",
    "incidents.view_itemcategory",
    "claims.view_claim",
    "claims.add_claim",
    "claims.change_claim",
    "claims.view_source",
    "claims.add_source",
    "claims.view_evidence",
    "claims.add_evidence",
    "claims.view_review",
]

EDITOR = JOURNALIST + [
    "incidents.publish_incident",
    "incidents.merge_incidents",
    "incidents.delete_incidentitem",
    "incidents.change_place",
    "incidents.delete_place",
    "incidents.change_actor",
    "incidents.delete_actor",
    "incidents.add_itemcategory",
    "incidents.change_itemcategory",
    "incidents.delete_itemcategory",
    "claims.review_claim",
    "claims.change_source",
    "claims.delete_source",
    "claims.download_original",
    "claims.view_custodyevent",
    "rest_framework_api_key.view_apikey",
    "rest_framework_api_key.add_apikey",
    "rest_framework_api_key.change_apikey",
]

ROLES = {"journalist": JOURNALIST, "editor": EDITOR, "partner": []}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now so
    # the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_item_categories"),
        ("claims", "0001_initial"),
        ("rest_framework_api_key", "0005_auto_20220110_1102"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
