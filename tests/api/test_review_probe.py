"""Review probe: the list's SQL-written claims against the serializers on visibility cases
(waiting, withdrawn, relays through hidden claims, protected non-witness sources, staff
translators) and with filters that join claims or incidents again."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer

from claims import services as claim_services
from claims.models import Claim
from incidents.api.serializers import IncidentSerializer
from incidents.models import IncidentLink
from incidents.selectors import partner_incidents
from lootwatch.api.renderers import GeoJSONRenderer
from tests.api.conftest import make_evidence
from tests.factories import ClaimFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(publish, journalist, editor):
    protected = SourceFactory(name="Secret Person", kind="media_outlet", identity_protected=True)
    incident = publish(
        title="Mixed",
        claims=[
            ("verified", {"source": protected, "url": "https://secret.example/p"}),
            (
                "verified",
                {"translated_by": "Ann Staff", "translator_kind": "staff", "translation": "x"},
            ),
            ("disputed", {}),
        ],
    )
    first, second, third = incident.claims.order_by("pk")
    # A claim added after publication, awaiting an editor, and one relayed through it.
    waiting = claim_services.create_claim(
        claim=ClaimFactory.build(incident=incident, source=SourceFactory(name="Waiting W")),
        submitted_by=journalist,
    )
    Claim.objects.filter(pk=second.pk).update(reported_via=waiting)
    # A withdrawn claim, and one relayed through it.
    claim_services.withdraw_claim(claim=third, editor=editor, reason="Wrong incident.")
    Claim.objects.filter(pk=first.pk).update(reported_via=third)
    make_evidence(waiting, uploader=journalist, n=7)
    make_evidence(third, uploader=journalist, n=8)
    make_evidence(first, uploader=journalist, display=False, thumbnail=False, n=9)
    other = publish(title="Other", claims=[("verified", {})])
    hidden = IncidentFactory(title="Hidden draft", status="submitted")
    IncidentLink.objects.create(origin=incident, destination=hidden, kind="sold_at")
    IncidentLink.objects.create(origin=hidden, destination=incident, kind="stored_at")
    IncidentLink.objects.create(origin=incident, destination=other, kind="stored_at")
    IncidentLink.objects.create(origin=other, destination=incident, kind="sold_at")
    return incident


@pytest.mark.parametrize("fmt", ["json", "geojson"])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "Mixed"},
        {"claim_status": "verified"},
        {"ordering": "assessment"},
        {"medium": "other"},
    ],
)
def test_sql_claims_are_the_serializers(partner_client, mixed, fmt, query):
    response = partner_client.get("/api/v1/incidents/", {"format": fmt, **query})
    assert response.status_code == 200, response.content
    body = response.content
    assert str(IncidentLink.objects.first().destination.public_id).encode() not in body
    for secret in (b"Secret Person", b"secret.example", b"Waiting W", b"Ann Staff"):
        assert secret not in body
    request = RequestFactory().get("/api/v1/incidents/", {"format": fmt, **query})
    ids = [
        r["id"]
        for r in (
            response.json().get("results")
            or [
                f["properties"]
                for f in response.json().get("features", [])
                if f["geometry"]["type"] == "Point"
            ]
        )
    ]
    incidents = {str(i.public_id): i for i in partner_incidents()}
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = IncidentSerializer([incidents[i] for i in ids], many=True, context=context).data
    renderer = {"json": JSONRenderer(), "geojson": GeoJSONRenderer()}[fmt]
    assert body == renderer.render(
        {"next": None, "previous": None, "results": expected}, renderer.media_type
    )
