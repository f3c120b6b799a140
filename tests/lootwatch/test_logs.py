"""The JSON access log: one line a request with its id, and no secret in any line."""

import io
import json
import logging

import pytest
from django.test import Client
from rest_framework_api_key.models import APIKey

from lootwatch.logs import JsonFormatter, RequestContextFilter
from tests.factories import UserFactory

PASSWORD = "Correct-Horse-Battery-Staple-9"
WITNESS = "Olena Kovalenko-Witness"
RESET_TOKEN = "cbmxyz-0123456789abcdef0123456789abcdef"


@pytest.fixture
def log_output():
    """The production handler's formatter and filter on the root logger, into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(saved_level)


def lines(buffer):
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


@pytest.mark.django_db
def test_secrets_never_reach_the_log(log_output):
    user = UserFactory(username="jo-journalist", role="journalist")
    user.set_password(PASSWORD)
    user.save()
    _, key = APIKey.objects.create_key(name="Log test desk")

    client = Client()
    # A sign-in (password in the body), a failed one naming a witness.
    client.post("/accounts/login/", {"username": "jo-journalist", "password": PASSWORD})
    Client().post("/accounts/login/", {"username": WITNESS, "password": PASSWORD + "x"})
    session_id = client.cookies["sessionid"].value
    # Pages with the session cookie, searching for a witness by name.
    client.get("/incidents/", {"q": WITNESS})
    # The API with a key, in the header and (wrongly) in the query string.
    Client(HTTP_AUTHORIZATION=f"Api-Key {key}").get("/api/v1/incidents/", {"q": WITNESS})
    Client().get("/api/v1/incidents/", {"api_key": key})
    # A password-reset link carries its token in the path.
    Client().get(f"/accounts/reset/MQ/{RESET_TOKEN}/")

    text = log_output.getvalue()
    for secret in (PASSWORD, key, key.partition(".")[2], session_id, WITNESS, RESET_TOKEN):
        assert secret not in text, f"{secret!r} was logged"

    access = [line for line in lines(log_output) if line["logger"] == "lootwatch.access"]
    assert len(access) == 6
    by_path = {(line["method"], line["path"]): line for line in access}
    assert by_path[("GET", "/incidents/")]["user_id"] == user.pk
    assert by_path[("GET", "/incidents/")]["query"] == ["q"]
    api = [line for line in access if line["path"] == "/api/v1/incidents/"]
    assert api[0]["api_key_prefix"] == key.partition(".")[0] and api[0]["status"] == 200
    assert "api_key_prefix" not in api[1] and api[1]["status"] == 401
    assert by_path[("GET", "/accounts/reset/<uidb64>/<token>/")]["status"] == 200
    for line in access:
        assert len(line["request_id"]) == 32
        assert line["duration_ms"] >= 0


@pytest.mark.django_db
def test_the_request_id_is_accepted_or_made_and_returned(log_output):
    given = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-7f3a9c")
    assert given["X-Request-ID"] == "proxy-7f3a9c"
    # A forged id (spaces, a line break, a fake JSON field) is replaced by a fresh one.
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert forged["X-Request-ID"] != 'x"\n{"level": "ERROR"}'
    assert len(forged["X-Request-ID"]) == 32
    ids = [line["request_id"] for line in lines(log_output) if line["logger"] == "lootwatch.access"]
    assert ids == ["proxy-7f3a9c", forged["X-Request-ID"]]
