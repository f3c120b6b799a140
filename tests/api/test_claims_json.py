"""PostgreSQL writes the list's claims (incidents.api.claims_json) as JSONRenderer would write
the serializers' data, byte for byte, on the text that escapes differently in careless
hands; and the renderer places that text in the body as it is, or reads it back when
JSONRenderer writes the body itself."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer

from claims.models import Claim
from incidents.api.csv_columns import INCIDENT_CSV_COLUMNS
from incidents.api.serializers import IncidentSerializer
from incidents.selectors import partner_incidents
from lootwatch.api.renderers import CSVRenderer, FastJSONRenderer, GeoJSONRenderer, RawJSON
from tests.api.conftest import make_evidence
from tests.factories import (
    ActorFactory,
    IncidentFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    link,
    set_route,
)

pytestmark = pytest.mark.django_db

HARD_TEXT = 'quote " backslash \\ slash / tab\t line\n\r\x01\x1f\x7f \u2028\u2029 é中😀 \ufeff'


@pytest.fixture
def hard_claims(publish, journalist):
    organisation = SourceFactory(name='Outlet "Kyiv" \\ News', kind="media_outlet")
    incident = publish(
        title=HARD_TEXT,
        claims=[
            ("verified", {"source": organisation, "original_text": HARD_TEXT}),
            (
                "verified",
                {
                    "translation": HARD_TEXT,
                    "translated_by": "Reuters\u2028desk",
                    "translator_kind": "organisation",
                },
            ),
            ("verified", {"translated_by": "Someone", "translator_kind": "individual"}),
            ("disputed", {"url": 'https://example.org/?a=1&b="2"'}),
            ("verified", {"source": SourceFactory(kind="witness", name="Olena K.")}),
        ],
    )
    claims = list(incident.claims.order_by("pk"))
    # Times with and without microseconds, and none.
    Claim.objects.filter(pk=claims[0].pk).update(
        published_at=datetime.datetime(2022, 3, 1, 12, 0, 0, 120000, tzinfo=datetime.UTC)
    )
    Claim.objects.filter(pk=claims[1].pk).update(published_at=None)
    make_evidence(claims[0], uploader=journalist, n=1)
    make_evidence(claims[0], uploader=journalist, thumbnail=False, n=2)
    make_evidence(claims[2], uploader=journalist, display=False, n=3)
    return incident


@pytest.fixture
def hard_related(hard_claims, publish, journalist):
    """Actors, items and links (incidents.api.related_json) on the same hard text: actors of
    the same name (ordered by id), an item of no quantity, links both ways and to an
    incident partners do not see."""
    actors = [ActorFactory(name=HARD_TEXT), ActorFactory(name=HARD_TEXT), ActorFactory(name="A")]
    incident = publish(title="Linked", actors=actors)
    IncidentItemFactory(incident=incident, description=HARD_TEXT, quantity_min=0, quantity_max=7)
    IncidentItemFactory(incident=incident, description="", quantity_min=None, quantity_max=None)
    link(incident, hard_claims, kind="sold_at")
    link(publish(title="Origin"), incident, kind="sold_at")
    link(incident, IncidentFactory(created_by=journalist, status="submitted"))
    return incident


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_hard_text_is_the_serializers_bytes(partner_client, hard_claims, hard_related, fmt):
    response = partner_client.get("/api/v1/incidents/", {"format": fmt})
    request = RequestFactory().get("/api/v1/incidents/", {"format": fmt})
    incidents = partner_incidents().order_by("-occurred_from", "-public_id")
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = IncidentSerializer(incidents, many=True, context=context).data
    renderer = {"json": JSONRenderer(), "geojson": GeoJSONRenderer()}[fmt]

    assert response.status_code == 200
    assert "\u2028".encode() not in response.content
    body = {"next": None, "previous": None, "results": expected}
    assert response.content == renderer.render(body, renderer.media_type)


def test_indented_json_reads_the_text_back(partner_client, hard_claims):
    indented = partner_client.get(
        "/api/v1/incidents/", HTTP_ACCEPT="application/json; indent=2"
    ).content
    compact = partner_client.get("/api/v1/incidents/").content

    assert b'\n  "results"' in indented
    assert JSONRenderer().render(json.loads(compact), "application/json; indent=2") == indented


RAW = RawJSON('[{"a":"é\u2028","b":null}]'.encode())


@pytest.mark.parametrize(
    "data",
    [
        {"claims": RAW, "latitude": 50.45},
        {"claims": RAW, "latitude": 0.00001},  # written by json.dumps, RawJSON read back
        {"claims": RAW, "when": datetime.date(2022, 3, 1)},
    ],
)
def test_raw_json_is_written_as_its_value_would_be(data):
    plain = {**data, "claims": [{"a": "é\u2028", "b": None}]}

    assert FastJSONRenderer().render(data) == JSONRenderer().render(plain)


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv"])
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite reads each kind of related row apart"
)
def test_a_page_is_two_statements_with_its_route_and_claims(
    partner_client, hard_claims, publish, django_assert_num_queries, fmt
):
    """The key and the page, with each incident's actors, items, links, route and (in JSON
    and GeoJSON) claims as JSON text; CSV, which reads no claim, reads the claims' rows
    apart. Neither the route points nor the claims cost a statement per kind of row."""
    other = publish(title="Second")
    home = PlaceFactory(name="12 Lesi Ukrainky Street", precision="exact", admin2="Bucha")
    claim = hard_claims.claims.order_by("pk").first()
    set_route(hard_claims, (home, {"claims": [claim], "note": HARD_TEXT}), PlaceFactory())
    set_route(other, PlaceFactory(latitude="50.000000", longitude="30.000000"))

    with django_assert_num_queries(3 if fmt == "csv" else 2):
        response = partner_client.get("/api/v1/incidents/", {"format": fmt})

    assert response.status_code == 200
    request = RequestFactory().get("/api/v1/incidents/", {"format": fmt})
    incidents = partner_incidents().order_by("-occurred_from", "-public_id")
    context = {"request": request, "base_url": settings.SITE_URL}
    expected = IncidentSerializer(incidents, many=True, context=context).data
    body = {"next": None, "previous": None, "results": expected}
    renderer = {"json": JSONRenderer(), "geojson": GeoJSONRenderer(), "csv": CSVRenderer()}[fmt]
    context = {"view": SimpleNamespace(csv_columns=INCIDENT_CSV_COLUMNS)}
    assert response.content == renderer.render(body, renderer.media_type, context)
    assert len(expected[0]["route"]) + len(expected[1]["route"]) == 3
