"""The OpenAPI description and the docs page."""

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

INCIDENT_FILTERS = {
    "occurred_after",
    "occurred_before",
    "country",
    "place",
    "category",
    "actor",
    "claim_status",
    "medium",
    "bbox",
    "taken_to_country",
    "taken_to_place",
    "q",
    "assessment",
    "updated_since",
    "ordering",
    "cursor",
    "page_size",
    "format",
}


@pytest.fixture
def openapi():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.")
    validate_schema(openapi)


def test_every_endpoint_is_described(openapi):
    assert set(openapi["paths"]) == {
        "/api/v1/incidents/",
        "/api/v1/incidents/{public_id}/",
        "/api/v1/claims/",
        "/api/v1/claims/{public_id}/",
        "/api/v1/places/",
        "/api/v1/actors/",
        "/api/v1/categories/",
        "/api/v1/sources/",
        "/api/v1/deletions/",
        "/api/v1/releases/",
        "/api/v1/releases/{version}/",
    }
    for path, operations in openapi["paths"].items():
        assert set(operations) == {"get"}, path


def test_every_incident_filter_is_documented(openapi):
    parameters = openapi["paths"]["/api/v1/incidents/"]["get"]["parameters"]

    assert {p["name"] for p in parameters} == INCIDENT_FILTERS
    for parameter in parameters:
        if parameter["name"] not in ("cursor", "page_size", "format", "ordering"):
            assert parameter.get("description"), parameter["name"]


def test_the_key_scheme_and_errors_are_documented(openapi):
    assert openapi["components"]["securitySchemes"]["partnerKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": openapi["components"]["securitySchemes"]["partnerKey"]["description"],
    }
    for path, operations in openapi["paths"].items():
        operation = operations["get"]
        assert {"partnerKey": []} in operation["security"], path
        assert {"200", "400", "401", "429"} <= set(operation["responses"]), path
    detail = openapi["paths"]["/api/v1/incidents/{public_id}/"]["get"]["responses"]
    assert "404" in detail
    formats = openapi["paths"]["/api/v1/incidents/"]["get"]["responses"]["200"]["content"]
    assert set(formats) == {"application/json", "application/geo+json", "text/csv"}


def test_docs_render_from_local_assets_only():
    response = Client().get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html
    asset = html.split('src="', 1)[1].split('"', 1)[0]
    assert asset.startswith("/static/")


def test_deletions_are_described_with_their_type(openapi):
    schemas = openapi["components"]["schemas"]
    deletion = schemas["Deletion"]["properties"]

    assert set(deletion) == {"id", "type", "withdrawn_at", "incident", "merged_into"}
    enum_ref = deletion["type"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert schemas[enum_ref]["enum"] == ["incident", "claim"]
