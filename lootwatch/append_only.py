"""Append-only tables: rows that are written once and never changed or deleted, enforced by
the database itself (triggers) as well as by the models and their querysets.

The record of who decided what (reviews), what happened to an evidence file (custody
events) and the change history of claims and incidents may one day be read out in court:
no code path, admin action, shell session or stray SQL statement may rewrite it.

The one exception is emptying the whole database, as ``flush`` does between tests: on
PostgreSQL it truncates, which row triggers do not see; on SQLite it deletes row by row,
so the triggers let a delete through while the flush's own transaction holds a row in
``PURGE_FLAG_TABLE`` (see ``purge_allowed``).
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models, transaction

PURGE_FLAG_TABLE = "lootwatch_purge_in_progress"
# Every append-only table, for ensure_triggers. The history of sources and places is not
# here on purpose: it holds witnesses' names and homes' coordinates, which an operator may
# have to erase from it at a person's request.
APPEND_ONLY_TABLES = (
    "claims_review",
    "claims_custodyevent",
    "claims_historicalclaim",
    "incidents_historicalincident",
    "incidents_historicalincidentitem",
    "incidents_historicalactor",
    "incidents_historicalitemcategory",
    "incidents_historicalroutepoint",
    "incidents_historicalroutepoint_supporting_claims",
    "incidents_historicalincidentlink",
    "exchange_release",
)
POSTGRESQL_FUNCTION = "lootwatch_refuse_change"


class AppendOnlyError(ValidationError):
    """Raised when code tries to change or delete rows of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose rows cannot be updated or deleted in bulk: ``update()``,
    ``delete()`` and ``bulk_update()`` raise AppendOnlyError before touching the database."""

    def update(self, **kwargs):
        raise AppendOnlyError(
            f"{self.model._meta.verbose_name_plural.capitalize()} are never changed once recorded."
        )

    def delete(self):
        raise AppendOnlyError(
            f"{self.model._meta.verbose_name_plural.capitalize()} are never deleted."
        )

    update.queryset_only = True
    delete.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        return self.update()


def _postgresql_install(table):
    return [
        f"""
        CREATE OR REPLACE FUNCTION {POSTGRESQL_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'Rows of % are append-only: % refused.', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END;
        $$;
        """,
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
        f"""
        CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}"
        FOR EACH ROW EXECUTE FUNCTION {POSTGRESQL_FUNCTION}();
        """,
    ]


def _sqlite_install(table):
    message = f"Rows of {table} are append-only"
    return [
        f"CREATE TABLE IF NOT EXISTS {PURGE_FLAG_TABLE} (since TEXT NOT NULL);",
        f'DROP TRIGGER IF EXISTS "{table}_no_update";',
        f"""
        CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}"
        BEGIN SELECT RAISE(ABORT, '{message}: UPDATE refused.'); END;
        """,
        f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
        f"""
        CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}"
        WHEN NOT EXISTS (SELECT 1 FROM {PURGE_FLAG_TABLE})
        BEGIN SELECT RAISE(ABORT, '{message}: DELETE refused.'); END;
        """,  # noqa: S608 (table names are constants of the migrations, never input)
    ]


def _uninstall(vendor, table):
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";']
    return [
        f'DROP TRIGGER IF EXISTS "{table}_no_update";',
        f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
    ]


def _install(vendor, tables):
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No append-only triggers for {vendor}.")
    install = _postgresql_install if vendor == "postgresql" else _sqlite_install
    return [statement for table in tables for statement in install(table)]


def install_triggers(*tables):
    """Return a pair of RunPython functions (forwards, backwards) that make ``tables``
    append-only on PostgreSQL and SQLite, for a migration."""

    def forwards(apps, schema_editor):
        for statement in _install(schema_editor.connection.vendor, tables):
            schema_editor.execute(statement, params=None)

    def backwards(apps, schema_editor):
        for table in tables:
            for statement in _uninstall(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    return forwards, backwards


def ensure_triggers(using="default", **kwargs):
    """Install the triggers again on every append-only table there is (a post_migrate
    handler). SQLite rebuilds a table to alter or add most columns, and the rebuilt table
    has no triggers: a later migration must not quietly make a table writable again."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    existing = set(connection.introspection.table_names())
    tables = [table for table in APPEND_ONLY_TABLES if table in existing]
    with connection.cursor() as cursor:
        for statement in _install(connection.vendor, tables):
            cursor.execute(statement)


@contextmanager
def purge_allowed(connection):
    """Let the enclosed code empty append-only tables on ``connection`` (SQLite), in one
    transaction: the flag row is seen by that transaction only and gone when it ends."""
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # Also before the first migration, when the table is not there yet.
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {PURGE_FLAG_TABLE} (since TEXT NOT NULL)"
                )
                cursor.execute(f"INSERT INTO {PURGE_FLAG_TABLE} (since) VALUES (datetime('now'))")  # noqa: S608
        yield
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {PURGE_FLAG_TABLE}")  # noqa: S608
