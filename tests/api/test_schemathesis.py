"""Property-based run of the whole API against its own OpenAPI schema (bounded examples).

Every generated request, valid or not, must get a documented status code and content type,
a body matching the schema, and never a server error.
"""

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import make_evidence
from tests.factories import ActorFactory, IncidentItemFactory, PlaceFactory, link, set_route

PATHS = [
    "/api/v1/incidents/",
    "/api/v1/incidents/{public_id}/",
    "/api/v1/claims/",
    "/api/v1/claims/{public_id}/",
    "/api/v1/places/",
    "/api/v1/actors/",
    "/api/v1/categories/",
    "/api/v1/sources/",
    "/api/v1/deletions/",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings, publish, editor):
    """The live schema, loaded through the WSGI app, with some published data to find."""
    settings.API_PARTNER_RATE = "1000000/minute"
    incident = publish(
        place=PlaceFactory(precision="exact"),
        claims=[
            ("verified", {}),
            (
                "disputed",
                {"translation": "x", "translated_by": "y", "translator_kind": "organisation"},
            ),
        ],
    )
    incident.actors.add(ActorFactory())
    IncidentItemFactory(incident=incident, quantity_min=1, quantity_max=3)
    make_evidence(incident.claims.first(), uploader=editor)
    # Where the goods went: a route through a home (rounded) to a market, linked both ways.
    market = publish(place=PlaceFactory(country="BY"))
    set_route(
        incident,
        (PlaceFactory(precision="exact"), {"claims": [incident.claims.first()], "note": "GPS"}),
        market.place,
    )
    link(incident, market)
    # Requests go through the WSGI handler in this thread and this test's transaction; like
    # Django's test client, keep the request signals from closing that connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# schemathesis.pytest.from_fixture() does not run under pytest 9 (it reads a private node
# attribute), so each operation's strategy is driven by Hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", PATHS)
def test_api_conforms_to_its_schema(api_schema, partner_key, path, mode):
    operation = api_schema[path]["GET"]
    headers = {"Authorization": f"Api-Key {partner_key}"}

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
