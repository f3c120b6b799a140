"""A claim URL already logged is found by the distinctive pieces of its address ("contains",
upper-cased: incidents.duplicates.claims_with_urls), for the log form's warning and for
every line an import checks. Without an index each check read every claim (161 ms at
100,000 incidents, once per line of an import); a trigram index (PostgreSQL's pg_trgm)
answers it from the index. Nothing on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claims_claim_url_trgm ON claims_claim "
        "USING gin (upper(url) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claims_claim_url_trgm")


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_verbose_names_translated")]

    operations = [migrations.RunPython(forwards, backwards)]
