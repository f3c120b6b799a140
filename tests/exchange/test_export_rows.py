"""The export built from rows (the API list's fast path for partners, exchange.staff_rows
for editors) writes exactly the bytes the prefetching path wrote (tests/exchange/
reference_export.py), in every mode, over every kind of record; and it reads each chunk
of incidents in the same number of queries whatever the chunk holds."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Source
from exchange import export
from tests.api import conftest, test_fast_path
from tests.exchange.reference_export import reference_export
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

# The API's fast path's data set, with every kind of record (and the fixture it uses).
every_kind = test_fast_path.every_kind
publish = conftest.publish

MODES = [
    ("jsonl", "published", False),
    ("jsonl", "published", True),
    ("jsonl", "all", False),
    ("jsonl", "all", True),
    ("csv", "published", False),
    ("csv", "all", True),
]


def exported(format, status, staff):
    return "".join(export.iter_export(format=format, status=status, staff=staff))


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 3)


@pytest.mark.parametrize(("format", "status", "staff"), MODES)
def test_every_kind_of_record_is_written_as_before(
    every_kind, editor, small_chunks, format, status, staff
):
    mode = {"format": format, "status": status, "staff": staff}
    organisation = SourceFactory(name="Ministry of Culture", kind="government")
    source = SourceFactory(name="Museum keeper", kind="witness", public_code="KEEPER-1")
    Source.objects.filter(pk=source.pk).update(organisation=organisation)
    ClaimFactory(
        incident=every_kind,
        source=Source.objects.get(pk=source.pk),
        submitted_by=editor,
        internal_notes="Called her twice.",
    )
    text = exported(**mode)
    assert text == reference_export(**mode)
    assert ("Museum keeper" in text) == staff


@pytest.mark.parametrize(("format", "status", "staff"), MODES)
def test_generated_incidents_are_written_as_before(small_chunks, format, status, staff):
    mode = {"format": format, "status": status, "staff": staff}
    call_command("generate_demo_data", "--incidents", "40", "--seed", "3", stdout=None)
    text = exported(**mode)
    assert text.count("\n") > 10
    assert text == reference_export(**mode)


@pytest.mark.parametrize(
    ("status", "staff", "per_chunk"),
    [("published", False, 2), ("published", True, 11), ("all", False, 10), ("all", True, 11)],
)
def test_each_chunk_costs_the_same_queries(monkeypatch, status, staff, per_chunk):
    """Exporting 40 incidents in chunks of 10 costs three chunks' queries more than
    exporting 10: the same few for each chunk, none for each incident. (The partner file
    is read by the prefetching representation, 9 a chunk, on SQLite: exchange.export.)"""
    if (status, staff) == ("published", False) and connection.vendor != "postgresql":
        per_chunk = 9
    call_command("generate_demo_data", "--incidents", "60", "--seed", "3", stdout=None)
    monkeypatch.setattr(export, "CHUNK", 10)

    def queries(count):
        with CaptureQueriesContext(connection) as context:
            lines = export.iter_export(format="jsonl", status=status, staff=staff)
            assert [next(lines) for _ in range(count)]
            lines.close()
        return len(context.captured_queries)

    assert queries(40) - queries(10) == 3 * per_chunk
