"""The API's first page of incidents read through its statement compiled once per shape
(incidents.api.stored_page): the same bytes as compiled for the request, for every format,
size and address; data that changes is read afresh; what a reader may see is never kept."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.api import stored_page
from incidents.api.views import IncidentViewSet
from incidents.models import Incident
from tests.api.conftest import make_evidence
from tests.factories import IncidentFactory, UserFactory, link, set_route

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/incidents/",
    "/api/v1/incidents/?page_size=2",
    "/api/v1/incidents/?page_size=3&format=geojson",
    "/api/v1/incidents/?page_size=2&format=csv",
    "/api/v1/incidents/?format=json&page_size=500",
]


@pytest.fixture(autouse=True)
def _nothing_kept():
    stored_page.forget()
    yield
    stored_page.forget()


@pytest.fixture
def incidents(publish, journalist, editor):
    made = [
        publish(title=f"Incident {n}", claims=[("verified", {}), ("disputed", {})])
        for n in range(4)
    ]
    claim = made[0].claims.order_by("pk").first()
    make_evidence(claim, uploader=journalist)
    set_route(made[1], made[2].place, by=editor)
    link(made[1], made[2], by=editor)
    IncidentFactory(status="draft", title="A draft")
    IncidentFactory(status="submitted", title="Awaiting an editor")
    return made


def compiled(client, url, monkeypatch, **extra):
    """The answer as every request was made before: compiled for the request."""
    with monkeypatch.context() as patched:
        patched.setattr(IncidentViewSet, "_stored_first_page", lambda *args, **kwargs: None)
        return client.get(url, **extra)


def test_the_kept_statement_answers_byte_for_byte(incidents, partner_client, monkeypatch, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    for url in URLS:
        for host in ("testserver", "mirror.example.org"):
            expected = compiled(partner_client, url, monkeypatch, HTTP_HOST=host)
            first = partner_client.get(url, HTTP_HOST=host)  # compiles and keeps
            again = partner_client.get(url, HTTP_HOST=host)  # the kept statement
            assert expected.status_code == first.status_code == again.status_code == 200
            assert first.content == expected.content == again.content, (url, host)
            assert first["ETag"] == again["ETag"] == expected["ETag"]
            assert first.get("Link") == again.get("Link") == expected.get("Link")
    # Evidence links name the address asked: a statement per address.
    assert (
        b"mirror.example.org/evidence/"
        in partner_client.get(URLS[0], HTTP_HOST="mirror.example.org").content
    )


def test_changes_are_read_afresh_and_drafts_never_shown(
    incidents, partner_client, editor_client, monkeypatch
):
    from incidents.services import withdraw_incident

    url = "/api/v1/incidents/?page_size=10"
    titles = [row["title"] for row in partner_client.get(url).json()["results"]]
    assert sorted(titles) == [f"Incident {n}" for n in range(4)]

    withdraw_incident(incident=incidents[0], editor=UserFactory(role="editor"), reason="Doubts.")
    Incident.objects.filter(title="A draft").update(updated_at=timezone.now())
    for client in (partner_client, editor_client):
        body = client.get(url)
        assert body.content == compiled(client, url, monkeypatch).content
        titles = [row["title"] for row in body.json()["results"]]
        assert sorted(titles) == [f"Incident {n}" for n in range(1, 4)]
    # Staff read the published incidents only, as partners do, through the same statement.
    assert editor_client.get(url).content == partner_client.get(url).content


def test_filters_and_cursors_are_compiled_for_the_request(incidents, partner_client):
    first = partner_client.get("/api/v1/incidents/?page_size=2").json()
    following = partner_client.get(first["next"]).json()
    back = partner_client.get(following["previous"]).json()
    assert back["results"] == first["results"]
    filtered = partner_client.get("/api/v1/incidents/?page_size=2&assessment=contested").json()
    assert [row["assessment"] for row in filtered["results"]] == ["contested", "contested"]
    ordered = partner_client.get("/api/v1/incidents/?page_size=4&ordering=created_at").json()
    assert [row["title"] for row in ordered["results"]] == [f"Incident {n}" for n in range(4)]
    # One statement kept: the unfiltered first page of 2 (the others are the request's own).
    assert len(stored_page._STORED) == 1


def test_the_kept_statement_reads_no_more_queries(incidents, partner_client, monkeypatch):
    url = "/api/v1/incidents/?page_size=3"
    with CaptureQueriesContext(connection) as before:
        compiled(partner_client, url, monkeypatch)
    partner_client.get(url)
    with CaptureQueriesContext(connection) as after:
        partner_client.get(url)
    assert len(after) == len(before)


def test_a_bad_page_size_is_refused_as_before(partner_client):
    answer = partner_client.get("/api/v1/incidents/?page_size=501")
    assert answer.status_code == 400
    assert "page_size" in answer.json()["errors"]
    assert stored_page._STORED == {}


def test_a_session_reads_the_same_page(incidents, partner_client, journalist):
    client = Client()
    client.force_login(journalist)
    url = "/api/v1/incidents/?page_size=4&format=geojson"
    assert client.get(url).content == partner_client.get(url).content


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Prepared statements: PostgreSQL"
)


@postgresql
def test_postgresql_executes_the_statement_prepared_once(incidents, partner_client):
    url = "/api/v1/incidents/?page_size=3"
    expected = partner_client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        assert partner_client.get(url).content == expected
    assert [q["sql"] for q in queries if "lootwatch_page_" in q["sql"]] == [
        f"EXECUTE {next(iter(stored_page._STORED.values())).name}"
    ]


@postgresql
def test_behind_a_pooler_the_statement_is_sent_whole(incidents, partner_client, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    url = "/api/v1/incidents/?page_size=3"
    expected = partner_client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        assert partner_client.get(url).content == expected
    assert not [q for q in queries if "lootwatch_page_" in q["sql"]]


def _first_page_read_once(publish):
    """(a partner's client, the first page's URL, its body) after one incident is published
    and the page read once: its statement is kept and prepared."""
    from rest_framework_api_key.models import APIKey

    publish(title="Kept")
    _, key = APIKey.objects.create_key(name="Prepared")
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    url = "/api/v1/incidents/?page_size=3"
    return client, url, client.get(url).content


@postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_that_lost_its_prepared_statements_prepares_again(publish):
    client, url, expected = _first_page_read_once(publish)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as DISCARD ALL, or another server connection
    assert client.get(url).content == expected
    assert client.get(url).content == expected


def _prepared_pages():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'lootwatch_page_%'"
        )
        return cursor.fetchone()[0]


@postgresql
def test_a_connection_keeps_a_bounded_number_of_prepared_statements(incidents, partner_client):
    # Each prepared page holds its parsed text in the server's memory (~600 KB): a reader
    # walking through page sizes must not grow one connection's by a statement per size.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    stored_page._forget_prepared(connection)
    for size in range(1, stored_page.MAX_PREPARED + 6):
        assert partner_client.get(f"/api/v1/incidents/?page_size={size}").status_code == 200
    assert _prepared_pages() <= stored_page.MAX_PREPARED
    # And the page still reads through its statement, byte for byte.
    url = "/api/v1/incidents/?page_size=2"
    assert partner_client.get(url).content == partner_client.get(url).content


@postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_migration_changing_a_column_type_does_not_break_the_prepared_page(publish):
    # PostgreSQL refuses to run a prepared statement whose columns changed type ("cached
    # plan must not change result type"), as a migration widening a CharField makes them.
    client, url, expected = _first_page_read_once(publish)
    assert client.get(url).content == expected  # through the prepared statement
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE incidents_place ALTER COLUMN admin2 TYPE varchar(201)")
    try:
        assert client.get(url).status_code == 200
        assert client.get(url).content == expected
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE incidents_place ALTER COLUMN admin2 TYPE varchar(200)")
