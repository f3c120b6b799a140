"""ETag / If-None-Match, and throttling per key."""

import pytest
from django.test import Client
from rest_framework_api_key.models import APIKey

from claims import services as claim_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("suffix", ["", "?format=geojson", "?format=csv"])
def test_list_answers_304_while_nothing_changed(partner_client, published_incident, suffix):
    url = f"/api/v1/incidents/{suffix}"
    first = partner_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = partner_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_detail_etag_changes_when_the_incident_does(partner_client, published_incident, editor):
    url = f"/api/v1/incidents/{published_incident.public_id}/"
    etag = partner_client.get(url)["ETag"]
    assert partner_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    claim_services.review_claim(
        claim=published_incident.claims.get(),
        reviewer=editor,
        to_status="disputed",
        dispute_reason="contradicted",
        note="Geolocated elsewhere.",
    )

    changed = partner_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_formats_have_different_etags(partner_client, published_incident):
    json_tag = partner_client.get("/api/v1/incidents/")["ETag"]
    csv_tag = partner_client.get("/api/v1/incidents/?format=csv")["ETag"]

    assert json_tag != csv_tag
    assert "Accept" in partner_client.get("/api/v1/incidents/")["Vary"]


def test_errors_have_no_etag(partner_client):
    assert not partner_client.get("/api/v1/incidents/?country=x").has_header("ETag")


def test_throttling_per_key_answers_429_with_retry_after(settings, partner_key, published_incident):
    settings.API_PARTNER_RATE = "3/minute"
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}")

    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/places/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()

    # Another partner's key has its own allowance.
    _, other_key = APIKey.objects.create_key(name="Other newsroom")
    assert (
        Client(HTTP_AUTHORIZATION=f"Api-Key {other_key}").get("/api/v1/incidents/").status_code
        == 200
    )


def test_staff_sessions_are_throttled_per_user(settings, journalist_client, editor_client):
    settings.API_PARTNER_RATE = "1/minute"

    assert journalist_client.get("/api/v1/categories/").status_code == 200
    assert journalist_client.get("/api/v1/categories/").status_code == 429
    assert editor_client.get("/api/v1/categories/").status_code == 200


def test_refused_requests_do_not_use_up_the_allowance(settings, partner_key):
    settings.API_PARTNER_RATE = "1/minute"

    assert Client().get("/api/v1/incidents/").status_code == 401
    assert (
        Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}").get("/api/v1/incidents/").status_code
        == 200
    )
