"""The import's floor: what PostgreSQL alone needs to store what an import wrote.

After scripts/import_benchmark.py has imported a file, every row the import wrote is read
out of its database (binary COPY, into temporary files, not timed) and written into an empty,
migrated database in one transaction: one COPY per table, then the search documents and the
listed counts (per place, week and cell) built from those rows in one statement each, their
triggers silenced as the import's batches silence them, and the commit (which checks the
deferred foreign keys). No Python touches a row. The import's time over this one's is the
import's ratio to its floor, measured in the same run; the floor's claims a second are the
most any importer writing these rows, their history and their search documents in one
transaction could reach on this machine.
"""

import contextlib
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

# Built from the copied rows, not copied (as the import builds them, from its rows).
BUILT = {
    "incidents_incidentsearchdocument",
    "incidents_place_listed",
    "incidents_week_listed",
    "incidents_cell_listed",
}
# Rows migrate writes, or the benchmark's own set-up: copied before the clock starts.
SET_UP = {"auth_user", "auth_user_groups"}


def floor_url(database_url):
    """The floor's database: the import's name with ``_floor``."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_floor"))


def recreate(database_url):
    """Drop and create the database of ``database_url`` (through the ``postgres`` one)."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _rows(connection, table):
    return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608


def _read(connection, table, files):
    """The table's rows (binary COPY) in a temporary file of ``files`` (an ExitStack): the
    benchmark's peak memory stays the import's own."""
    data = files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by ``files``)
    sql = f'COPY "{table}" TO STDOUT (FORMAT binary)'
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for block in copy:
            data.write(block)
    return data


def _write(connection, table, data, chunk=1 << 20):
    data.seek(0)
    sql = f'COPY "{table}" FROM STDIN (FORMAT binary)'
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        while block := data.read(chunk):
            copy.write(block)


def measure(import_url, empty_url, build_statements, silencing=()):
    """Copy what the import wrote from ``import_url`` into ``empty_url`` (migrated, empty),
    the triggers reading the settings ``silencing`` silenced (lootwatch.deferred_triggers),
    then run ``build_statements`` (SQL building the documents and counts) in the same
    transaction; return (seconds in all, seconds of the copies, {table: rows copied})."""
    with (
        psycopg.connect(import_url, autocommit=True) as source,
        psycopg.connect(empty_url, autocommit=True) as target,
        contextlib.ExitStack() as files,
    ):
        tables = [
            row[0]
            for row in source.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        written = [
            table
            for table in tables
            if table not in BUILT and _rows(source, table) and not _rows(target, table)
        ]
        data = {table: _read(source, table, files) for table in written}
        counts = {table: _rows(source, table) for table in written}
        for table in sorted(SET_UP & set(written)):  # auth_user before its groups
            _write(target, table, data.pop(table))
        started = time.perf_counter()
        with target.transaction():
            for setting in silencing:
                target.execute("SELECT set_config(%s, 'on', true)", [setting])
            for table, rows in data.items():
                _write(target, table, rows)
            copied = time.perf_counter() - started
            for statement in build_statements:
                target.execute(statement)
        return time.perf_counter() - started, copied, counts
