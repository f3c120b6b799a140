"""Dataset releases are public citations: anyone reads their list and details without a key
(as /releases/ shows them), throttled per address; the schema says no key is needed there,
and every other endpoint still answers 401 without one."""

import pytest
import yaml
from django.test import Client

from tests.exchange.test_releases import make

pytestmark = pytest.mark.django_db


def test_anonymous_clients_read_releases_but_nothing_else(published_incident):
    make("2026.1", "First release")
    anonymous = Client()
    listed = anonymous.get("/api/v1/releases/")
    assert listed.status_code == 200
    assert [r["version"] for r in listed.json()["results"]] == ["2026.1"]
    detail = anonymous.get("/api/v1/releases/2026.1/")
    assert detail.status_code == 200 and "version 2026.1" in detail.json()["citation"]
    assert anonymous.get("/api/v1/incidents/").status_code == 401
    assert anonymous.get("/api/v1/").status_code == 401
    # A bad key is still refused, not read as anonymous.
    refused = anonymous.get("/api/v1/releases/", HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert refused.status_code == 401


def test_anonymous_reads_are_throttled_per_address(settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    statuses = [
        Client(REMOTE_ADDR="203.0.113.9").get("/api/v1/releases/").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").get("/api/v1/releases/").status_code == 200


def test_the_schema_says_releases_need_no_key():
    openapi = yaml.safe_load(Client().get("/api/v1/schema/").content)
    for path in ("/api/v1/releases/", "/api/v1/releases/{version}/"):
        operation = openapi["paths"][path]["get"]
        assert {} in operation["security"], path
        assert "without a key" in operation["description"], path
    assert {} not in openapi["paths"]["/api/v1/incidents/"]["get"]["security"]
