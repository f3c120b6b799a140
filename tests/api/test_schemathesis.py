"""Property-based run of the whole API against its own OpenAPI schema (bounded examples),
with every check schemathesis has (as `--checks all`).

Every generated request, valid or not, must get a documented status code, content type and
headers, a body matching the schema, and never a server error; valid requests must be
taken and invalid ones refused. Valid requests go out in every output format the endpoint
offers in turn, and each is also sent as OPTIONS (which the schema does not describe: it
must answer JSON, never a server error).
"""

import itertools
from urllib.parse import urlencode

import hypothesis
import pytest
import schemathesis
import werkzeug.test
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from tests.api.conftest import make_evidence
from tests.factories import (
    ActorFactory,
    IncidentItemFactory,
    PlaceFactory,
    SourceFactory,
    link,
    set_route,
)

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
    "/api/v1/releases/",
    "/api/v1/releases/{version}/",
]
# Every check schemathesis has, as `--checks all` runs them.
load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture
def api_schema(db, settings, publish, editor):
    """The live schema, loaded through the WSGI app, with some published data to find."""
    settings.API_PARTNER_RATE = "1000000/minute"
    incident = publish(
        place=PlaceFactory(precision="exact"),
        claims=[
            ("verified", {}),
            # A witness: protected, named by its label, its links withheld.
            (
                "verified",
                {
                    "source": SourceFactory(name="Olena K.", kind="witness"),
                    "translation": "x",
                    "translated_by": "jo",
                    "translator_kind": "staff",
                },
            ),
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
    app = WSGIHandler()
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", app), app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# schemathesis.pytest.from_fixture() does not run under pytest 9 (it reads a private node
# attribute), so each operation's strategy is driven by Hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", PATHS)
def test_api_conforms_to_its_schema(api_schema, partner_key, path, mode):
    api_schema, app = api_schema
    operation = api_schema[path]["GET"]
    headers = {"Authorization": f"Api-Key {partner_key}"}
    format_parameter = next(p for p in operation.query if p.name == "format")
    formats = itertools.cycle(format_parameter.definition["schema"]["enum"])
    # Through the same WSGI app as schemathesis (Django's test client would reconnect the
    # request signals that close this test's database connection).
    options_client = werkzeug.test.Client(app)

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def check(case):
        if mode == GenerationMode.POSITIVE:
            # Valid by the schema, but not every such string is valid: a cursor is opaque
            # (only the server's own next/previous links hold one), and a box's corners
            # must be in order. tests/api/test_pagination.py and test_filters.py try those.
            case.query = {
                name: value
                for name, value in (case.query or {}).items()
                if name != "bbox" and not (name == "cursor" and value)
            }
            case.query["format"] = next(formats)
        case.call_and_validate(headers=headers, checks=ALL_CHECKS)

        query = urlencode(case.query or {}, doseq=True) if isinstance(case.query, dict) else ""
        options = options_client.options(
            f"{case.formatted_path}?{query}", headers=headers, base_url="http://testserver"
        )
        assert options.status_code < 500, (case.formatted_path, query, options.data[:300])
        assert options.headers["Content-Type"] == "application/json", (query, options.headers)

    check()
