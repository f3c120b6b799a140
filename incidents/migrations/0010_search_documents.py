"""Full-text search reads indexed documents instead of building them at query time: one
row per incident with a document for staff and one for partners, GIN indexes, and the
PostgreSQL triggers that keep them current (incidents.fulltext). Nothing but the empty
table on SQLite, where search matches words in the fields themselves."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from incidents import fulltext


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0009_editors_clear_sign_in_locks"),
        # The triggers read and watch claims.
        ("claims", "0007_perceptual_hashes_and_dossier_custody"),
    ]

    operations = [
        migrations.CreateModel(
            name="IncidentSearchDocument",
            fields=[
                (
                    "incident",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="incidents.incident",
                    ),
                ),
                ("staff", django.contrib.postgres.search.SearchVectorField()),
                ("partners", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(fulltext.install, fulltext.uninstall),
        # The pages' order, newest first: a page of a search is read off it.
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                models.OrderBy(models.F("occurred_from"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="incident_newest_first",
            ),
        ),
    ]
