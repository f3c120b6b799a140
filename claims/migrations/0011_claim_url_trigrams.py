"""A claim URL already logged is found by the distinctive pieces of its address ("contains",
upper-cased: incidents.duplicates.claims_with_urls), in claims' URLs and in page captures'
canonical addresses, for the log form's warning and for every batch an import checks.
Without an index each check read every claim (161 ms at 100,000 incidents); trigram indexes
(PostgreSQL's pg_trgm) answer it from the index. Built CONCURRENTLY (so the migration is
not atomic): an installation's claims stay writable while they are built. Nothing on
SQLite."""

from django.db import migrations

INDEXES = {
    "claims_claim_url_trgm": ("claims_claim", "upper(url)"),
    "claims_evidence_canonical_url_trgm": (
        "claims_evidence",
        "upper(metadata ->> 'canonical_url')",
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("claims", "0010_verbose_names_translated")]

    operations = [migrations.RunPython(forwards, backwards)]
