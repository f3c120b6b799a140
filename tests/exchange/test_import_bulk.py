"""What makes a large import fast keeps its rules: each field's checks asked once a value
(FieldChecks, as full_clean), new places, sources and actors created with their batch
(one history row each, a few statements whatever their number), and a JSON Lines file
read one record at a time."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Source
from claims.services import create_sources
from claims.services.bulk import RELATIONS
from exchange import importing
from exchange.importing import Outcome, run_import
from exchange.importing.outline import outline_jsonl
from exchange.importing.reading import FileRefused
from incidents.models import Actor, Place
from lootwatch.batches import BatchRefusal, FieldChecks
from tests.exchange.test_import import run
from tests.exchange.test_import_batches import records, uuid
from tests.exchange.test_import_duplicates import claim, incident, write

pytestmark = pytest.mark.django_db


def full_clean_errors(check, claim):
    try:
        check(claim)
    except ValidationError as error:
        return error.message_dict
    return None


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"medium": "carrier_pigeon"},
        {"url": "not a url", "language": "x" * 40},
        {"original_text": ""},
    ],
)
def test_field_checks_refuse_what_full_clean_refuses(fields):
    def made():
        given = {
            "original_text": "Cars were taken.",
            "medium": "press_report",
            "language": "en",
            "url": "https://example.org/a",
        }
        return Claim(**{**given, **fields})

    expected = full_clean_errors(
        lambda c: c.full_clean(
            exclude=RELATIONS, validate_unique=False, validate_constraints=False
        ),
        made(),
    )
    checks = FieldChecks(Claim, exclude=RELATIONS)
    # Asked twice: the second answer comes from what the first kept.
    assert full_clean_errors(checks.full_clean, made()) == expected
    assert full_clean_errors(checks.full_clean, made()) == expected


def many_new_references(count):
    """``count`` new incidents, each at a place, by a source and alleging an actor of its
    own (none held yet)."""
    lines = records(count, relays_down=False)
    for n, line in enumerate(lines):
        line["place"]["name"] = f"Village {n}"
        line["actors"] = [{"name": f"Unit {n}", "kind": "armed_forces"}]
        for claim_data in line["claims"]:
            claim_data["source"] = {"name": f"Outlet {n}", "kind": "media_outlet"}
    return lines


def test_new_references_are_created_with_their_batch(tmp_path, editor):
    path = write(tmp_path, *many_new_references(12))
    output = run(path, "--as", editor.username, "--keep-review-state")
    assert "12 new" in output, output
    assert "New places (12)" in output and "New sources (12)" in output, output
    for model, name in ((Place, "Village 3"), (Source, "Outlet 3"), (Actor, "Unit 3")):
        record = model.objects.get(name=name)
        assert [(h.history_type, h.history_change_reason, h.history_user) for h in
                record.history.all()] == [("+", "added", editor)]  # fmt: skip
    place = Place.objects.get(name="Village 3")
    assert place.admin1_code == Place.objects.get(name="Village 4").admin1_code
    assert Claim.objects.filter(source__name="Outlet 3").count() == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite caps the values of one statement, so its bulk inserts split as rows grow",
)
def test_new_references_cost_statements_a_batch_not_a_reference(tmp_path, editor):
    def statements(count):
        path = write(tmp_path, *many_new_references(count))
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert f"{count} new" in run(path, "--as", editor.username, "--keep-review-state")
            transaction.set_rollback(True)
        return len(queries)

    few, many = statements(10), statements(40)
    # Each new name is looked up (one query each: a place, a source, an actor), and ids
    # are drawn 200 at a time; nothing else grows with them.
    assert many - few <= 3 * 30 + 3, (few, many)


def test_create_sources_refuses_a_source_known_or_named_twice(editor):
    Source.objects.create(name="Kyiv Independent", kind="media_outlet", public_code="AAAAAA")
    with pytest.raises(BatchRefusal) as refused:
        create_sources(
            sources=[Source(name="Outlet  One", kind="media_outlet"),
                     Source(name="outlet one", kind="media_outlet")],
            created_by=editor,
        )  # fmt: skip
    assert refused.value.index == 1 and "already a source" in str(refused.value)
    with pytest.raises(BatchRefusal) as refused:
        create_sources(
            sources=[Source(name="Kyiv  Independent", kind="media_outlet")], created_by=editor
        )
    assert refused.value.index == 0
    made = create_sources(
        sources=[
            Source(name="Outlet One", kind="media_outlet", public_code="AAAAAA"),
            Source(name="A witness", kind="witness"),
        ],
        created_by=editor,
    )
    assert made[0].public_code != "AAAAAA"  # taken: drawn again, as create_source does
    assert Source.objects.get(name="A witness").identity_protected
    assert Source.objects.get(name="Outlet One").history.get().history_user == editor


def test_a_json_lines_file_is_read_one_record_at_a_time(tmp_path, editor, monkeypatch):
    lines = records(3)
    path = write(tmp_path, *lines)

    def whole(*args, **kwargs):
        raise AssertionError("a JSON Lines file was read whole")

    monkeypatch.setattr(importing, "read_records", whole)
    with path.open("rb") as file:
        report = run_import(file, file_name=path.name, user=editor, keep_review_state=True)
    assert report.written and report.counts[Outcome.NEW] == 3 and report.claims == 9
    relayed = Claim.objects.get(public_id=uuid(0, "c"))
    assert str(relayed.reported_via.public_id) == uuid(1, "a")


def test_the_outline_finds_the_ids_without_reading_the_lines(tmp_path):
    lines = records(2)
    lines[0]["title"] = 'He said "id": "not-a-key" here'
    path = write(tmp_path, *lines)
    with path.open("rb") as file:
        outline = outline_jsonl(file)
    assert outline.lines == 2
    assert {uuid(0, "d"), uuid(0, "a"), uuid(1, "c")} <= outline.ids
    assert "not-a-key" not in outline.ids
    assert outline.relays == {uuid(0, "a"), uuid(1, "a")}


def test_a_relay_to_an_id_that_is_no_claim_is_named(tmp_path, editor):
    record = incident("Cars taken", {**claim(), "reported_via": uuid(7, "d")})
    record["id"] = uuid(7, "d")  # an incident's id, not a claim's
    path = write(tmp_path, record)
    with path.open("rb") as file:
        report = run_import(file, file_name=path.name, user=editor)
    assert [str(error) for error in report.errors] == [
        "line 1: reported_via: No claim has this id."
    ]
    assert not report.written


def test_a_file_not_utf8_further_down_is_refused_before_anything_is_read(tmp_path, editor):
    path = tmp_path / "file.jsonl"
    path.write_bytes(write(tmp_path, *records(2)).read_bytes() + b'{"title": "\xff"}\n')
    with pytest.raises(FileRefused, match="not UTF-8"):
        run_import(io.BytesIO(path.read_bytes()), file_name="file.jsonl", user=editor)
    assert not Place.objects.filter(name="Bucha").exists()
