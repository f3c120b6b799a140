"""Places are looked up by what was typed (the place picker, the list's place filter):
trigram indexes (PostgreSQL's pg_trgm) on the upper-cased name and region answer "contains"
and "looks like" without reading every place. Nothing on SQLite."""

from django.db import migrations

INDEXES = {
    "incidents_place_name_trgm": "name",
    "incidents_place_admin1_trgm": "admin1",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON incidents_place '
            f"USING gin (upper({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_search_documents")]

    operations = [migrations.RunPython(forwards, backwards)]
