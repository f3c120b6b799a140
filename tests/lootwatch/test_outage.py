"""An unreachable database or Redis answers 503 with Retry-After, logs one line, and the next
request after it returns is answered normally.

The outage is real: the connection is pointed at a closed loopback port (PostgreSQL) or at a
file in a directory that does not exist (SQLite), so the driver itself fails to connect.
"""

import contextlib
import logging

import pytest
from django.db import connections
from django.test import Client, override_settings
from rest_framework_api_key.models import APIKey

from tests.factories import UserFactory
from tests.lootwatch.support import free_port

# Not inside a test transaction: a failed connect resets the connection's transaction state.
# serialized_rollback brings back the migrated groups after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextlib.contextmanager
def database_unreachable():
    """Make the default connection's next connect fail; put everything back afterwards.

    The open connection is set aside rather than closed: an in-memory SQLite test database
    would vanish with it.
    """
    connection = connections["default"]
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    else:
        connection.settings_dict["NAME"] = "/nonexistent-lootwatch-dir/db.sqlite3"
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


@pytest.fixture
def partner_key():
    _, key = APIKey.objects.create_key(name="Outage desk")
    return key


def outage_records(caplog):
    return [r for r in caplog.records if r.name == "lootwatch.outage"]


def test_the_api_answers_json_503_with_retry_after(partner_key, caplog, settings):
    settings.SERVICE_UNAVAILABLE_RETRY_AFTER = 12
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}")
    caplog.set_level(logging.INFO)
    with database_unreachable():
        response = client.get("/api/v1/incidents/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "12"
    assert "database unreachable" in response.json()["detail"]
    # One concise warning, no traceback, and Django does not log the 503 a second time.
    [warning] = outage_records(caplog)
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert "OperationalError" in warning.getMessage()
    assert not [r for r in caplog.records if r.name == "django.request"]

    # The database is back: the next request is answered, by the same process.
    assert client.get("/api/v1/incidents/").status_code == 200


def test_pages_answer_a_plain_503_page(caplog):
    client = Client()
    client.force_login(UserFactory(role="journalist"))
    caplog.set_level(logging.INFO)
    with database_unreachable():
        response = client.get("/incidents/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"].isdigit()
    assert "briefly unavailable" in response.content.decode()
    assert len(outage_records(caplog)) == 1
    assert client.get("/incidents/").status_code == 200


def test_readyz_says_the_database_is_unreachable():
    with database_unreachable():
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert "database unreachable" in response.json()["detail"]


REDIS_DOWN = {
    "default": {
        "BACKEND": "lootwatch.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:{port}/0",
        "KEY_PREFIX": "lwtest-outage",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def redis_down():
    caches = {"default": {**REDIS_DOWN["default"]}}
    caches["default"]["LOCATION"] = caches["default"]["LOCATION"].format(port=free_port())
    return override_settings(CACHES=caches)


def test_an_unreachable_redis_answers_503_for_the_throttled_api(partner_key, caplog):
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}")
    caplog.set_level(logging.INFO)
    with redis_down():
        response = client.get("/api/v1/incidents/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "cache unreachable" in response.json()["detail"]
    [warning] = outage_records(caplog)
    assert "ConnectionError" in warning.getMessage() and warning.exc_info is None


def test_readyz_checks_redis_when_it_is_configured():
    with redis_down():
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["detail"] == "cache unreachable: ConnectionError"
    assert Client().get("/readyz").status_code == 200
