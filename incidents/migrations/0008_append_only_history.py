"""The change history of incidents, their items, routes and links, alleged actors and item
categories can never be updated or deleted: database triggers refuse it
(lootwatch.append_only).

The history of places is left out on purpose: a place of `exact` precision is often a
home, whose address an operator may have to erase from it at a victim's request.
"""

from django.db import migrations

from lootwatch.append_only import install_triggers

TABLES = (
    "incidents_historicalincident",
    "incidents_historicalincidentitem",
    "incidents_historicalactor",
    "incidents_historicalitemcategory",
    "incidents_historicalroutepoint",
    "incidents_historicalroutepoint_supporting_claims",
    "incidents_historicalincidentlink",
)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_bounded_text_and_plausible_dates")]

    operations = [migrations.RunPython(*install_triggers(*TABLES))]
