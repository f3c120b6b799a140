"""Fixtures for the partner API tests: a partner's key and client, and a small helper that
builds published incidents through the services, as editors do."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework_api_key.models import APIKey

from claims import services as claim_services
from claims.models import Evidence
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, PlaceFactory, SourceFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(django_db_blocker):
    """Throttling counts live in the cache: start every test from zero. Without Redis the
    cache is a table in the test database, so clearing it needs database access even in
    tests that do not otherwise use the database."""
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def partner_key(db):
    """The plain key of a valid partner API key (the APIKey row stores only its hash)."""
    _, key = APIKey.objects.create_key(name="Test newsroom")
    return key


@pytest.fixture
def partner_client(partner_key):
    return Client(HTTP_AUTHORIZATION=f"Api-Key {partner_key}")


@pytest.fixture
def publish(journalist, editor):
    """Return a function that makes a published incident with claims, via the services.

    ``publish(claims=[("verified", {...claim fields}), ...], **incident_fields)``.
    """

    def make(*, claims=(("verified", {}),), **fields):
        # Built, not saved: the services save them. Related rows are made first.
        if fields.get("place") is None:
            fields["place"] = PlaceFactory()
        actors = fields.pop("actors", ())
        incident = incident_services.log_incident(
            logged_by=journalist,
            incident=IncidentFactory.build(**fields),
            place=fields["place"],
            actors=actors,
        )
        for status, claim_fields in claims:
            if claim_fields.get("source") is None:
                claim_fields = {**claim_fields, "source": SourceFactory()}
            claim = claim_services.create_claim(
                claim=ClaimFactory.build(incident=incident, **claim_fields),
                submitted_by=journalist,
            )
            if status != "unverified":
                claim_services.review_claim(
                    claim=claim,
                    reviewer=editor,
                    to_status=status,
                    note="Checked the source.",
                    dispute_reason="contradicted" if status == "disputed" else None,
                )
        incident_services.submit_incident(incident=incident, user=journalist)
        incident_services.publish_incident(incident=incident, editor=editor)
        incident.refresh_from_db()
        return incident

    return make


def make_evidence(claim, *, uploader, display=True, thumbnail=True, n=1):
    """An evidence row as intake leaves it (the files themselves do not matter here)."""
    digest = f"{n:064x}"
    return Evidence.objects.create(
        claim=claim,
        kind="image",
        original=f"originals/{digest[:2]}/{digest}",
        original_filename="IMG_0001.jpg",
        sha256=digest,
        size_bytes=1234,
        content_type="image/jpeg",
        width=800,
        height=600,
        metadata={"gps": {"latitude": 50.45, "longitude": 30.52}, "device": "Phone"},
        display=f"evidence/abc/display-{n}.jpg" if display else "",
        thumbnail=f"evidence/abc/thumb-{n}.jpg" if thumbnail else "",
        uploaded_by=uploader,
        uploaded_at=datetime.datetime(2022, 4, 3, tzinfo=datetime.UTC),
    )
