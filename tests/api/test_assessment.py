"""Partners filter and order incidents by their assessment, read from the summary stored on
each incident."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(publish):
    """One published incident of each assessment."""
    return {
        "unverified": publish(claims=[("unverified", {})]),
        "single_source": publish(claims=[("verified", {})]),
        "corroborated": publish(claims=[("verified", {}), ("verified", {})]),
        "contested": publish(claims=[("verified", {}), ("disputed", {})]),
        "disputed": publish(claims=[("disputed", {})]),
    }


@pytest.mark.parametrize(
    "grade", ["unverified", "single_source", "corroborated", "contested", "disputed"]
)
def test_the_assessment_filter_finds_that_grade_only(partner_client, graded, grade):
    response = partner_client.get("/api/v1/incidents/", {"assessment": grade})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [incident["id"] for incident in results] == [str(graded[grade].public_id)]
    assert results[0]["assessment"] == grade


def test_an_unknown_assessment_is_refused(partner_client, graded):
    response = partner_client.get("/api/v1/incidents/", {"assessment": "probable"})

    assert response.status_code == 400
    assert "assessment" in response.json()["errors"]


@pytest.mark.parametrize("page_size", [1, 2, 5])
def test_ordering_by_assessment_goes_from_the_least_to_the_best_supported(
    partner_client, graded, page_size
):
    seen, url = [], "/api/v1/incidents/"
    params = {"ordering": "assessment", "page_size": page_size}
    while url:
        page = partner_client.get(url, params).json()
        seen += [incident["assessment"] for incident in page["results"]]
        url, params = page["next"], None

    assert seen == ["disputed", "contested", "unverified", "single_source", "corroborated"]
    descending = partner_client.get("/api/v1/incidents/", {"ordering": "-assessment"}).json()
    assert [incident["assessment"] for incident in descending["results"]] == seen[::-1]
