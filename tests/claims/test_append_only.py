"""Reviews, custody events and the change history of claims and incidents are written
once and never changed or deleted: not by the models, not by their querysets, and not by
SQL sent to the database behind Django's back (lootwatch.append_only)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from claims import services
from claims.models import CustodyEvent, Review
from lootwatch.append_only import AppendOnlyError, ensure_triggers
from tests.api.conftest import make_evidence
from tests.factories import ClaimFactory, IncidentFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL triggers (CI runs PostgreSQL)"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite triggers (the embedded default)"
)


@pytest.fixture
def review(editor):
    return services.review_claim(
        claim=ClaimFactory(), reviewer=editor, to_status="verified", note="Checked."
    )


@pytest.fixture
def custody_event(editor):
    evidence = make_evidence(ClaimFactory(), uploader=editor)
    return services.record_custody(evidence=evidence, action="uploaded", actor=editor)


def refused_sql(sql, params):
    """Run ``sql`` in a savepoint; return the database's error, or None if it was taken."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return error
    return None


def test_querysets_refuse_bulk_updates_and_deletes(review, custody_event):
    with pytest.raises(AppendOnlyError, match="never changed"):
        Review.objects.filter(pk=review.pk).update(note="Rewritten")
    with pytest.raises(AppendOnlyError, match="never deleted"):
        Review.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Review.objects.bulk_update([review], ["note"])
    with pytest.raises(AppendOnlyError, match="never changed"):
        CustodyEvent.objects.update(action="verified")
    with pytest.raises(AppendOnlyError, match="never deleted"):
        CustodyEvent.objects.filter(pk=custody_event.pk).delete()
    assert Review.objects.get().note == "Checked."
    assert CustodyEvent.objects.get(pk=custody_event.pk).action == "uploaded"


RAW_CHANGES = [
    ("claims_review", "review", "note = 'Rewritten'"),
    ("claims_custodyevent", "custody_event", "action = 'verified'"),
]


def assert_raw_sql_refused(request, table, row_fixture, update):
    row = request.getfixturevalue(row_fixture)

    update_error = refused_sql(f"UPDATE {table} SET {update} WHERE id = %s", [row.pk])  # noqa: S608
    delete_error = refused_sql(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608

    assert "append-only: UPDATE refused" in str(update_error)
    assert "append-only: DELETE refused" in str(delete_error)
    with connection.cursor() as cursor:
        unchanged = update.replace("=", "<>")
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s AND {unchanged}", [row.pk])  # noqa: S608
        assert cursor.fetchone() == (1,)


@on_postgresql
@pytest.mark.parametrize(("table", "row_fixture", "update"), RAW_CHANGES)
def test_postgresql_refuses_raw_update_and_delete(request, table, row_fixture, update):
    assert_raw_sql_refused(request, table, row_fixture, update)


@on_sqlite
@pytest.mark.parametrize(("table", "row_fixture", "update"), RAW_CHANGES)
def test_sqlite_refuses_raw_update_and_delete(request, table, row_fixture, update):
    assert_raw_sql_refused(request, table, row_fixture, update)


@pytest.mark.parametrize(
    "table",
    [
        "claims_historicalclaim",
        "incidents_historicalincident",
        "incidents_historicalincidentitem",
        "incidents_historicalactor",
        "incidents_historicalitemcategory",
        "incidents_historicalroutepoint",
        "incidents_historicalincidentlink",
    ],
)
def test_change_history_is_append_only_too(table, journalist):
    IncidentFactory(status="submitted", created_by=journalist)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        (rows,) = cursor.fetchone()

    update_error = refused_sql(f"UPDATE {table} SET history_change_reason = 'forged'", [])  # noqa: S608
    delete_error = refused_sql(f"DELETE FROM {table}", [])  # noqa: S608

    if rows:
        assert update_error is not None and delete_error is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE history_change_reason = 'forged'")  # noqa: S608
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone() == (rows,)


def test_history_of_sources_and_places_may_be_erased(journalist):
    """Witnesses' names and homes' coordinates may have to be erased from past history at
    a person's request, so their history tables stay writable for an operator."""
    IncidentFactory(status="submitted", created_by=journalist)
    for table in ("claims_historicalsource", "incidents_historicalplace"):
        assert refused_sql(f"UPDATE {table} SET history_change_reason = 'erased'", []) is None  # noqa: S608


# Like the browser tests: the flush leaves the migrated data (groups, categories) to be
# restored for the next test, rather than recreated by post_migrate.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_still_empties_the_database(editor):
    services.review_claim(
        claim=ClaimFactory(), reviewer=editor, to_status="verified", note="Checked."
    )
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not Review.objects.exists()
    # And outside the flush the triggers are back on.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM lootwatch_purge_in_progress")
            assert cursor.fetchone() == (0,)


def test_triggers_survive_a_table_rebuild(review):
    """SQLite rebuilds a table to alter most columns, dropping its triggers; every migrate
    puts them back (lootwatch.append_only.ensure_triggers)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute('DROP TRIGGER "claims_review_no_update"')
    else:
        with connection.cursor() as cursor:
            cursor.execute('DROP TRIGGER "claims_review_append_only" ON "claims_review"')
    assert refused_sql("UPDATE claims_review SET note = 'x'", []) is None or (
        connection.vendor == "postgresql"
    )

    ensure_triggers()

    assert "append-only" in str(refused_sql("UPDATE claims_review SET note = 'y'", []))
