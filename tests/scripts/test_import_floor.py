"""The import benchmark's floor (scripts/import_floor.py) copies every row an import wrote
into an empty database and builds from them the same search documents and listed counts
the import built. Its time is the benchmark's to print, never asserted here."""

import psycopg
import pytest
from django.db import connection

from scripts import import_benchmark, import_floor
from tests.exchange.test_import import run
from tests.exchange.test_import_batches import records
from tests.exchange.test_import_duplicates import write

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="The benchmark runs on PostgreSQL only."
    ),
]

BUILT = {
    "incidents_incidentsearchdocument": "incident_id, staff::text, partners::text",
    "incidents_place_listed": "place_id, n",
    "incidents_week_listed": "week, n",
    "incidents_cell_listed": "cx, cy, n, lat_sum, lon_sum",
}


def url_of(database):
    user, host, port = database["USER"], database["HOST"], database["PORT"] or 5432
    return f"postgresql://{user}@{host}:{port}/{database['NAME']}"


def rows(url, table, columns):
    with psycopg.connect(url) as source:
        return source.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()  # noqa: S608


def test_the_floor_holds_what_the_import_wrote(tmp_path, editor):
    assert "6 new" in run(write(tmp_path, *records(6)), "--as", editor.username,
                          "--keep-review-state")  # fmt: skip
    url = url_of(connection.settings_dict)
    try:
        __, __, copied = import_benchmark.measure_floor(url)
        assert copied["incidents_incident"] == 6
        assert copied["claims_claim"] == 18 and copied["claims_review"] == 12
        assert not set(BUILT) & set(copied)  # built there, not copied
        for table, columns in BUILT.items():
            imported = rows(url, table, columns)
            assert imported and rows(import_floor.floor_url(url), table, columns) == imported
    finally:
        with psycopg.connect(url_of({**connection.settings_dict, "NAME": "postgres"}),
                             autocommit=True) as admin:  # fmt: skip
            admin.execute(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}_floor"')
