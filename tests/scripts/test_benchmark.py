"""The benchmark's parts at a tiny size: the floor makes the same page as the API (same
incidents, same order, same counts), the peer answers, the plans are read, and a deep
cursor is one the API accepts. Timings are never asserted: they are the benchmark's job."""

import json

import pytest
from django.db import connection
from django.test import Client
from rest_framework_api_key.models import APIKey

from bench import cursors, explain, floor, peer
from incidents.demo.synthetic import Generator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="The benchmark runs on PostgreSQL only."
    ),
]


@pytest.fixture
def war(settings):
    settings.API_PARTNER_RATE = None
    Generator(incidents=60, seed=3).run()


@pytest.fixture
def partner_client(db):
    _, key = APIKey.objects.create_key(name="Benchmark")
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


def test_the_floor_makes_the_api_page(war, partner_client):
    api = partner_client.get("/api/v1/incidents/", {"page_size": 20}).json()["results"]
    page = json.loads(floor.floor_page(20))["results"]

    assert [row["id"] for row in page] == [row["id"] for row in api]
    assert [row["verification"] for row in page] == [row["verification"] for row in api]
    assert [len(row["claims"]) for row in page] == [len(row["claims"]) for row in api]
    assert [row["place"]["latitude"] for row in page] == [row["place"]["latitude"] for row in api]
    # Prepared once and executed, the same statement makes the same bytes, twice.
    assert floor.floor_page(20, prepared=True) == floor.floor_page(20)
    assert floor.floor_page(20, prepared=True) == floor.floor_page(20)


def test_the_peer_answers_the_same_incidents(war, partner_client):
    api = partner_client.get("/api/v1/incidents/", {"page_size": 20}).json()["results"]
    naive = json.loads(peer.PeerClient().get("/peer/?page_size=20").content)["results"]

    assert [row["public_id"] for row in naive] == [row["id"] for row in api]


def test_plans_are_read_and_a_deep_cursor_is_accepted(war, partner_client):
    cursor = cursors.deep_incident_cursor(30)
    url = f"/api/v1/incidents/?page_size=5&cursor={cursor}"
    plans = explain.request_plans(partner_client, url)

    assert partner_client.get(url).status_code == 200
    # At this size the planner rightly scans whole tables: only that plans are read here.
    assert plans and all("Execution Time" in plan for _, plan in plans)


def test_a_prepared_first_page_is_explained_as_the_statement_it_runs(war, partner_client):
    url = "/api/v1/incidents/?page_size=5"
    partner_client.get(url)  # compiled and prepared (incidents.api.stored_page)
    captured = explain.captured_sql(partner_client, url)
    plans = explain.request_plans(partner_client, url)

    assert not any(sql.startswith("EXECUTE") for sql in captured)
    assert len(plans) == 1 and "incidents_incident" in plans[0][0]
    assert "Execution Time" in plans[0][1]
