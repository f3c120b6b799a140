"""A list page costs the same number of queries whatever its size."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from claims.models import Claim, Evidence, Source
from incidents.models import (
    Actor,
    Incident,
    IncidentItem,
    IncidentLink,
    ItemCategory,
    Place,
    RoutePoint,
)

pytestmark = pytest.mark.django_db

# On PostgreSQL: authentication (1: the key) and the page, its actors, items, links, route
# and claims written as JSON in its own statement (1); CSV reads its claims' rows apart (1).
# On SQLite each kind of related row is a query of its own (incidents.api.related_rows).
# Nothing grows with the number of rows.
INCIDENT_PAGE_QUERIES = 3 if connection.vendor == "postgresql" else 9
CLAIM_PAGE_QUERIES = 3


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Pin the endpoints' own queries: the throttles' counts (requests per key, refused keys
    per address) live in the cache, which costs queries with the embedded database cache
    and none with Redis."""
    settings.API_PARTNER_RATE = None
    settings.API_INVALID_KEY_RATE = None


@pytest.fixture
def many_published(journalist):
    """510 published incidents with actors, items, claims and evidence, a route of two
    points citing a claim, and links between neighbours.

    Made in bulk, not through the services, so that the test stays fast: only their
    shape matters here, not how they got published.
    """
    now = timezone.now()
    places = Place.objects.bulk_create(
        Place(name=f"P{i}", country="UA", latitude=50 + i / 100, longitude=30, precision="exact")
        for i in range(20)
    )
    actor = Actor.objects.create(name="Army", kind="armed_forces")
    source = Source.objects.create(name="Outlet", kind="media_outlet")
    category = ItemCategory.objects.get(slug="cars")
    incidents = Incident.objects.bulk_create(
        Incident(
            title=f"Incident {i}",
            place=places[i % 20],
            occurred_from=datetime.date(2022, 3, 1),
            occurred_to=datetime.date(2022, 3, 2),
            status="published",
            published_at=now,
            created_by=journalist,
        )
        for i in range(510)
    )
    Incident.actors.through.objects.bulk_create(
        Incident.actors.through(incident=incident, actor=actor) for incident in incidents
    )
    IncidentItem.objects.bulk_create(
        IncidentItem(incident=incident, category=category) for incident in incidents
    )
    claims = Claim.objects.bulk_create(
        Claim(
            incident=incident,
            source=source,
            medium="tweet",
            url=f"https://example.org/{i}/{k}",
            language="en",
            original_text="Cars were taken.",
            status=("verified", "disputed")[k],
            submitted_by=journalist,
        )
        for i, incident in enumerate(incidents)
        for k in range(2)
    )
    Evidence.objects.bulk_create(
        Evidence(
            claim=claim,
            kind="image",
            original=f"originals/x/{i:064x}",
            sha256=f"{i:064x}",
            size_bytes=10,
            content_type="image/jpeg",
            display=f"evidence/x/{i}.jpg",
            thumbnail=f"evidence/x/{i}-t.jpg",
            uploaded_by=journalist,
        )
        for i, claim in enumerate(claims[::2])
    )
    points = RoutePoint.objects.bulk_create(
        RoutePoint(incident=incident, position=position, place=places[(i + position) % 20])
        for i, incident in enumerate(incidents)
        for position in (1, 2)
    )
    RoutePoint.supporting_claims.through.objects.bulk_create(
        RoutePoint.supporting_claims.through(routepoint=point, claim=claims[i // 2 * 2])
        for i, point in enumerate(points)
    )
    IncidentLink.objects.bulk_create(
        IncidentLink(origin=incidents[i], destination=incidents[i + 1], kind="sold_at")
        for i in range(len(incidents) - 1)
    )


@pytest.mark.parametrize("page_size", [1, 50, 500])
@pytest.mark.parametrize("output", ["json", "geojson", "csv"])
def test_incident_pages_cost_constant_queries(
    partner_client, many_published, django_assert_max_num_queries, page_size, output
):
    with django_assert_max_num_queries(INCIDENT_PAGE_QUERIES):
        response = partner_client.get(
            f"/api/v1/incidents/?page_size={page_size}&format={output}&country=UA"
        )
    assert response.status_code == 200
    if output == "json":
        assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50, 500])
def test_claim_pages_cost_constant_queries(
    partner_client, many_published, django_assert_max_num_queries, page_size
):
    with django_assert_max_num_queries(CLAIM_PAGE_QUERIES):
        response = partner_client.get(f"/api/v1/claims/?page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize(
    "path, queries",
    # The key, then the rows; deletions read incidents and claims, one query each.
    [("places", 2), ("actors", 2), ("sources", 2), ("categories", 2), ("deletions", 3)],
)
def test_reference_pages_cost_constant_queries(
    partner_client, many_published, django_assert_max_num_queries, path, queries
):
    with django_assert_max_num_queries(queries):
        response = partner_client.get(f"/api/v1/{path}/?page_size=500")
    assert response.status_code == 200
