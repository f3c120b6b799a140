"""Reviews, custody events and the change history of claims can never be updated or
deleted: database triggers refuse it (lootwatch.append_only).

The history of sources is left out on purpose: it holds witnesses' names, which an
operator may have to erase from it at a witness's request.
"""

from django.db import migrations

from lootwatch.append_only import install_triggers

TABLES = ("claims_review", "claims_custodyevent", "claims_historicalclaim")


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_bounded_text_and_plausible_dates")]

    operations = [migrations.RunPython(*install_triggers(*TABLES))]
