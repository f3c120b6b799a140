"""Partners see why a claim is disputed, in every format, and never who decided."""

import csv
import io

import pytest
import yaml
from django.test import Client

from claims.models import DisputeReason
from tests.api.test_incidents import results

pytestmark = pytest.mark.django_db


@pytest.fixture
def contested(publish):
    return publish(title="Contested", claims=[("verified", {}), ("disputed", {})])


def test_json_and_geojson_carry_the_dispute_reason_and_no_reviewer(
    partner_client, contested, editor
):
    disputed = contested.claims.get(status="disputed")
    for url in (
        "/api/v1/incidents/",
        "/api/v1/incidents/?format=geojson",
        f"/api/v1/claims/{disputed.public_id}/",
        "/api/v1/claims/",
    ):
        response = partner_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert editor.username not in text, url
        assert "Checked the source." not in text, url
    (incident,) = results(partner_client.get("/api/v1/incidents/"))
    reasons = {claim["status"]: claim["dispute_reason"] for claim in incident["claims"]}
    assert reasons == {"verified": None, "disputed": "contradicted"}
    geojson = partner_client.get("/api/v1/incidents/?format=geojson").json()
    properties = geojson["features"][0]["properties"]
    assert {c["dispute_reason"] for c in properties["claims"]} == {None, "contradicted"}
    claim = partner_client.get(f"/api/v1/claims/{disputed.public_id}/").json()
    assert claim["dispute_reason"] == "contradicted"


def test_csv_carries_the_dispute_reason(partner_client, contested, editor):
    disputed = contested.claims.get(status="disputed")

    claims_csv = partner_client.get("/api/v1/claims/?format=csv").content.decode()
    incidents_csv = partner_client.get("/api/v1/incidents/?format=csv").content.decode()

    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(claims_csv))}
    assert rows[str(disputed.public_id)]["dispute_reason"] == "contradicted"
    assert {row["dispute_reason"] for row in rows.values()} == {"", "contradicted"}
    (incident,) = csv.DictReader(io.StringIO(incidents_csv))
    assert incident["claim_dispute_reasons"] == f"{disputed.public_id}: contradicted"
    for text in (claims_csv, incidents_csv):
        assert editor.username not in text


def test_the_schema_documents_the_reasons():
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)
    field = schema["components"]["schemas"]["Claim"]["properties"]["dispute_reason"]

    refs = [option["$ref"].rsplit("/", 1)[-1] for option in field["oneOf"]]
    enums = [schema["components"]["schemas"][name]["enum"] for name in refs]
    assert enums == [DisputeReason.values, [None]]
    assert field["nullable"] is True
    for value in DisputeReason.values:
        assert f"`{value}`" in field["description"]
