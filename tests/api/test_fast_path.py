"""The fast path (incidents.api.plain, claims.api.plain) answers exactly what the serializers
would, byte for byte, in JSON, GeoJSON and CSV, over every kind of record: homes rounded and
unnamed (and one made public), protected sources withheld, translators withheld, relays
named only when visible, claims awaiting an editor and withdrawn claims left out, evidence
with and without derivatives, routes, links to published and unpublished incidents, merged
and withdrawn incidents, drafts."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer

from claims import services as claim_services
from claims.api.csv_columns import CLAIM_CSV_COLUMNS
from claims.api.serializers import ClaimWithIncidentSerializer
from claims.selectors import partner_claims
from incidents import services as incident_services
from incidents.api.csv_columns import INCIDENT_CSV_COLUMNS
from incidents.api.serializers import IncidentSerializer
from incidents.selectors import partner_incidents
from lootwatch.api.renderers import CSVRenderer, GeoJSONRenderer
from tests.api.conftest import make_evidence
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    link,
    set_route,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind(publish, journalist, editor):
    home = PlaceFactory(name="12 Lesi Ukrainky Street", precision="exact", admin2="Bucha")
    public_home = PlaceFactory(
        name="Farm of the Kovalenko family", precision="exact", exact_location_public=True
    )
    witness = SourceFactory(name="Olena K.", kind="witness")
    ministry = SourceFactory(name="Ministry of Defence", kind="military")
    main = publish(
        place=home,
        claims=[
            ("verified", {"source": ministry}),
            ("verified", {"source": witness, "url": "https://facebook.com/olena/posts/1"}),
            ("disputed", {}),
            (
                "unverified",
                {
                    "translation": "Cars were taken.",
                    "translated_by": "Anna, our translator",
                    "translator_kind": "staff",
                    "language": "uk",
                },
            ),
        ],
    )
    IncidentItemFactory(incident=main, description="cars", quantity_min=100, quantity_max=999)
    IncidentItemFactory(incident=main, description="")
    claims = list(main.claims.order_by("pk"))
    relayed, relay = claims[0], claims[2]
    relayed.reported_via = relay
    relayed.save(update_fields=["reported_via"])
    make_evidence(claims[0], uploader=journalist, n=1)
    make_evidence(claims[1], uploader=journalist, display=False, thumbnail=False, n=2)
    late = ClaimFactory(incident=main, submitted_by=editor)
    withdrawn = ClaimFactory(incident=main, submitted_by=editor)
    review(withdrawn, editor)
    claim_services.withdraw_claim(claim=withdrawn, editor=editor, reason="Deleted post.")
    market = publish(place=public_home, title="Market for stolen goods")
    IncidentFactory(created_by=journalist)
    submitted = IncidentFactory(created_by=journalist, status="submitted")
    set_route(main, (market.place, {"claims": [claims[0], late]}), (PlaceFactory(), {}))
    link(main, market)
    link(main, submitted)
    duplicate = publish(claims=[("verified", {})])
    incident_services.merge_incidents(survivor=market, duplicate=duplicate, editor=editor)
    IncidentFactory(status="withdrawn")
    return main


def review(claim, editor):
    claim_services.review_claim(
        claim=claim, reviewer=editor, to_status="verified", note="Checked the original post."
    )


def page(results):
    return {"next": None, "previous": None, "results": results}


class View:
    """What the CSV renderer reads of its view."""

    def __init__(self, columns):
        self.csv_columns = columns


def rendered(data, renderer, columns):
    return renderer.render(data, renderer.media_type, {"view": View(columns)})


RENDERERS = {"json": JSONRenderer(), "geojson": GeoJSONRenderer(), "csv": CSVRenderer()}


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_incident_pages_are_the_serializers_bytes(partner_client, every_kind, fmt):
    response = partner_client.get("/api/v1/incidents/", {"page_size": 500, "format": fmt})
    request = RequestFactory().get("/api/v1/incidents/", {"page_size": 500, "format": fmt})
    incidents = partner_incidents().order_by("-occurred_from", "-public_id")
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = IncidentSerializer(incidents, many=True, context=context).data

    assert response.status_code == 200
    assert len(expected) == 2
    assert response.content == rendered(page(expected), RENDERERS[fmt], INCIDENT_CSV_COLUMNS)


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
def test_one_incident_is_the_serializers_bytes(partner_client, every_kind, fmt):
    path = f"/api/v1/incidents/{every_kind.public_id}/"
    response = partner_client.get(path, {"format": fmt})
    request = RequestFactory().get(path, {"format": fmt})
    incident = partner_incidents().get(pk=every_kind.pk)
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = IncidentSerializer(incident, context=context).data

    assert response.status_code == 200
    assert response.content == rendered(expected, RENDERERS[fmt], INCIDENT_CSV_COLUMNS)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_claim_pages_are_the_serializers_bytes(partner_client, every_kind, fmt):
    response = partner_client.get("/api/v1/claims/", {"page_size": 500, "format": fmt})
    request = RequestFactory().get("/api/v1/claims/", {"page_size": 500, "format": fmt})
    claims = partner_claims().order_by("-created_at", "-public_id")
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = ClaimWithIncidentSerializer(claims, many=True, context=context).data

    assert response.status_code == 200
    assert len(expected) == 6
    assert response.content == rendered(page(expected), RENDERERS[fmt], CLAIM_CSV_COLUMNS)


def test_the_data_set_has_every_kind_of_record(partner_client, every_kind):
    """The comparison above would prove little over plain records: check they are there."""
    body = partner_client.get("/api/v1/incidents/", {"page_size": 500}).json()["results"]
    main = next(item for item in body if item["id"] == str(every_kind.public_id))
    market = next(item for item in body if item["id"] != str(every_kind.public_id))

    assert main["place"]["location_rounded"] and main["place"]["name"].startswith("Location")
    assert market["place"]["precision"] == "exact" and not market["place"]["location_rounded"]
    assert {claim["source"]["name"][:8] for claim in main["claims"]} >= {"Witness "}
    assert "" in {claim["url"] for claim in main["claims"]}
    assert "Lootwatch staff" in {claim["translated_by"] for claim in main["claims"]}
    assert any(claim["reported_via"] for claim in main["claims"])
    assert {len(claim["evidence"]) for claim in main["claims"]} == {0, 1}
    assert len(main["claims"]) == 4
    assert [len(point["claims"]) for point in main["route"]] == [1, 0]
    assert [link["role"] for link in main["linked_incidents"]] == ["destination"]
    assert market["verification"]["claims"] == 2
    assert {item["quantity_max"] for item in main["items"]} == {999, None}
