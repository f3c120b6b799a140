"""Errors that tell a partner how to fix the request, and an index at /api/v1/ itself."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("path", "valid"),
    [
        (
            "/api/v1/incidents/",
            "occurred_from, -occurred_from, updated_at, -updated_at, created_at, -created_at, "
            "assessment, -assessment",
        ),
        ("/api/v1/claims/", "created_at, -created_at, updated_at, -updated_at"),
    ],
)
def test_an_unknown_ordering_lists_the_valid_values(partner_client, path, valid):
    response = partner_client.get(path, {"ordering": "-title"})

    assert response.status_code == 400
    assert response.json()["errors"]["ordering"] == [
        f"Unknown ordering -title; use one of: {valid}."
    ]


@pytest.mark.parametrize("value", ["2022-13-01", "2022-04-31", "yesterday"])
def test_a_bad_date_names_the_format(partner_client, value):
    response = partner_client.get("/api/v1/incidents/", {"occurred_after": value})

    assert response.status_code == 400
    assert response.json()["errors"]["occurred_after"] == [
        "Give a date as YYYY-MM-DD, e.g. 2022-04-02."
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/incidents/", "updated_since"),
        ("/api/v1/claims/", "published_after"),
        ("/api/v1/deletions/", "since"),
    ],
)
def test_a_bad_datetime_names_both_formats(partner_client, path, name):
    response = partner_client.get(path, {name: "last tuesday"})

    assert response.status_code == 400
    (message,) = response.json()["errors"][name]
    assert "YYYY-MM-DD" in message
    assert "ISO 8601" in message
    # Both formats named are accepted.
    for good in ("2022-04-02", "2022-04-02T12:00:00Z"):
        assert partner_client.get(path, {name: good}).status_code == 200, good


def test_the_root_lists_the_endpoints_and_docs(partner_client):
    response = partner_client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert set(body["endpoints"]) == {
        "incidents",
        "claims",
        "sources",
        "places",
        "actors",
        "categories",
        "deletions",
        "releases",
    }
    for url in body["endpoints"].values():
        assert partner_client.get(url).status_code == 200, url


def test_the_root_refuses_callers_without_a_key():
    response = Client().get("/api/v1/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "credentials were not provided" in response.json()["detail"]


def test_the_root_refuses_unknown_parameters(partner_client):
    response = partner_client.get("/api/v1/", {"pagesize": "10"})

    assert response.status_code == 400
    assert "pagesize" in response.json()["errors"]
