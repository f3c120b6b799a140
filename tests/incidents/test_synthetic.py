"""generate_demo_data: synthetic incidents for benchmarks, deterministic and kept apart from
real records."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from claims.models import Claim, Evidence, Review
from incidents.demo.synthetic import SYNTHETIC_USERNAME
from incidents.demo.vocabulary import RARE_WORD
from incidents.models import Incident, IncidentLink, RoutePoint
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def fingerprint():
    """What the data says, without the database's own row ids."""
    return (
        sorted(Incident.objects.values_list("public_id", "title", "status", "place__name")),
        sorted(Claim.objects.values_list("public_id", "original_text", "status", "created_at")),
        sorted(RoutePoint.objects.values_list("incident__public_id", "position", "place__name")),
    )


class Discard(Exception):
    """Raised to roll a generated set back, keeping what was read from it."""


def generated(seed):
    try:
        with transaction.atomic():
            call_command("generate_demo_data", "--incidents", "60", "--seed", str(seed))
            raise Discard(fingerprint())
    except Discard as discarded:
        return discarded.args[0]


def test_it_generates_every_state_the_app_knows(db):
    call_command("generate_demo_data", "--incidents", "300", "--seed", "7")

    assert Incident.objects.count() == 300
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "published", "withdrawn"}
    assert Incident.objects.filter(merged_into__isnull=False).exists()
    assert set(Claim.objects.values_list("status", flat=True)) == {
        "unverified",
        "verified",
        "disputed",
    }
    # Every decision has its review row, as the services would have written.
    assert Review.objects.count() == Claim.objects.exclude(status="unverified").count()
    assert Evidence.objects.exists()
    # Where the goods went: routes in order, citing their own incident's claims; links.
    assert RoutePoint.objects.filter(position=2).exists()
    assert RoutePoint.objects.filter(place__country__in=["RU", "BY"]).exists()
    cited = RoutePoint.supporting_claims.through.objects.select_related("routepoint", "claim")
    assert cited.exists()
    assert all(row.claim.incident_id == row.routepoint.incident_id for row in cited)
    assert IncidentLink.objects.exists()
    assert Incident.objects.exclude(created_by__username=SYNTHETIC_USERNAME).count() == 0


def test_the_same_seed_gives_the_same_data(db):
    first, again, other = generated(3), generated(3), generated(4)
    assert len(first[0]) == 60
    assert first == again
    assert first != other


def test_it_refuses_a_database_with_real_records(journalist):
    IncidentFactory(created_by=journalist)
    with pytest.raises(CommandError, match="not made by generate_demo_data"):
        call_command("generate_demo_data", "--incidents", "10")
    assert Incident.objects.count() == 1


def test_it_refuses_to_generate_twice(db):
    call_command("generate_demo_data", "--incidents", "10")
    with pytest.raises(CommandError, match="already holds synthetic data"):
        call_command("generate_demo_data", "--incidents", "10")


def test_partners_read_the_generated_data_through_the_api(partner_key_client):
    call_command("generate_demo_data", "--incidents", "200", "--seed", "2")
    response = partner_key_client.get("/api/v1/incidents/?page_size=500")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    published = Incident.objects.filter(status="published")
    assert ids == {str(public_id) for public_id in published.values_list("public_id", flat=True)}
    # A claim added after publication and not reviewed waits for an editor, unseen.
    late = Claim.objects.filter(status="unverified", incident__status="published")
    late = [claim for claim in late if claim.created_at > claim.incident.published_at]
    shown = {claim["id"] for row in response.json()["results"] for claim in row["claims"]}
    assert late and not {str(claim.public_id) for claim in late} & shown
    assert partner_key_client.get(f"/api/v1/incidents/?q={RARE_WORD}").status_code == 200


@pytest.fixture
def partner_key_client(db):
    from rest_framework_api_key.models import APIKey

    _, key = APIKey.objects.create_key(name="Synthetic test")
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
