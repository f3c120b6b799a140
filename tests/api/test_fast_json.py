"""The list's fast path writes exactly what the slow one would: orjson's bytes are
JSONRenderer's, and PostgreSQL writes times as Rendering.time() does."""

import datetime
import decimal
import uuid

import pytest
from django.db import connection
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from claims.api.plain import Rendering
from incidents.api.rows import UtcIsoTime
from incidents.models import Incident
from lootwatch.api.renderers import FastJSONRenderer
from tests.factories import IncidentFactory

UTC = datetime.UTC

TRICKY = [
    {"text": "".join(chr(n) for n in range(128)) + "\u2028\u2029é中😀\ufeff\u0085"},
    {"coordinates": [30.52, -0.5, 50.450001, 0.0001, 0.00012, 179.999999, -180.0, 0.0]},
    {"small": [0.00001, -9.164e-05, 1.5e-07], "large": [1e16, 1.2345678901234568e17]},
    {"big": 2**70, "negative": -(2**63), "nested": [[], {}, [None, True, False]]},
    {"time": datetime.datetime(2022, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)},
    {"day": datetime.date(2022, 3, 1), "id": uuid.UUID(int=7), "amount": decimal.Decimal("1.5")},
    {"lazy": gettext_lazy("Place"), 1: "a key that is not text"},
    {"text": "looks like 1e5 or 0.00001 in words"},
]


@pytest.mark.parametrize("data", TRICKY)
def test_fast_json_is_json_renderers_bytes(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_indented_json_is_left_to_json_renderer():
    data = {"a": [1, 2]}
    media = "application/json; indent=2"
    assert FastJSONRenderer().render(data, media) == JSONRenderer().render(data, media)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the times")
@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2022, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
        datetime.datetime(2022, 3, 1, 12, 0, 0, 120000, tzinfo=UTC),
        datetime.datetime(2022, 3, 1, 12, 0, 0, tzinfo=UTC),
        datetime.datetime(2022, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
        datetime.datetime(
            2024, 6, 1, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
        ),
        None,
    ],
)
def test_postgresql_writes_times_as_rendering_does(value):
    incident = IncidentFactory()
    Incident.objects.filter(pk=incident.pk).update(published_at=value)

    written = Incident.objects.filter(pk=incident.pk).values_list(
        UtcIsoTime("published_at"), flat=True
    )

    assert written.get() == Rendering().time(value)
