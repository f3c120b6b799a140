"""New incidents of an import are written in batches (log_incidents, review_each): the
same records, history, reviews, summaries and search documents as one record at a time, a
number of statements that does not grow with the claims, and still nothing written when
one line of a batch is refused."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from claims.models import Claim, Review
from exchange.importing.batching import Batches
from incidents.models import Incident, IncidentItem, IncidentSearchDocument, Place
from lootwatch.batches import BatchRefusal
from tests.exchange.test_import import run
from tests.exchange.test_import_duplicates import claim, incident, write
from tests.exchange.test_import_problems import refused
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def uuid(n, kind="a"):
    return f"6f1a3c2e-0000-4000-8000-{kind * 4}{n:08d}"


def records(count, *, place="Bucha", relays_down=True):
    """``count`` new incidents at one place (their references resolved once), three claims
    each: verified, disputed (reported via the first) and unverified; every fifth relayed
    by a claim of the next line."""
    lines = []
    for n in range(count):
        day = f"2022-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
        first = {
            **claim(url=f"https://example.org/{n}/a"),
            "id": uuid(n, "a"),
            "status": "verified",
        }
        second = {
            **claim(url=f"https://example.org/{n}/b", text="Seen by a neighbour."),
            "id": uuid(n, "b"),
            "status": "disputed",
            "dispute_reason": "recycled_content",
            "reported_via": first["id"],
        }
        third = {**claim(url=f"https://example.org/{n}/c"), "id": uuid(n, "c")}
        if relays_down and n % 5 == 0 and n + 1 < count:
            third["reported_via"] = uuid(n + 1, "a")  # a claim further down the file
        record = incident(f"Cars taken, {n}", first, second, third, place=place, day=day)
        record["id"] = uuid(n, "d")
        record["items"] = [
            {"category": "vehicles", "description": "cars", "quantity_min": 10, "quantity_max": 99}
        ]
        record["actors"] = [{"name": "Russian army", "kind": "armed_forces"}]
        lines.append(record)
    return lines


def stored():
    """Everything an import writes, without its database ids and times."""

    def history(rows):
        return [
            (h.history_type, h.history_change_reason, h.history_user.username, h.version)
            for h in rows.order_by("history_date", "history_id")
        ]

    incidents = {}
    for item in Incident.objects.order_by("public_id"):
        incidents[str(item.public_id)] = {
            "fields": (item.title, item.place.name, item.occurred_from, item.status),
            "summary": (
                item.summary_claims,
                item.summary_verified,
                item.summary_disputed,
                item.summary_sources,
                item.summary_assessment,
            ),
            "version": item.version,
            "actors": sorted(a.name for a in item.actors.all()),
            "items": [
                (i.category.slug, i.description, i.quantity_min, i.quantity_max)
                for i in item.items.all()
            ],
            "item history": [
                (h.history_type, h.history_change_reason)
                for h in IncidentItem.history.filter(incident_id=item.pk)
            ],
            "history": history(item.history.all()),
        }
        if connection.vendor == "postgresql":
            document = IncidentSearchDocument.objects.get(incident=item)
            incidents[str(item.public_id)]["search"] = (str(document.staff), str(document.partners))
    claims = {
        str(c.public_id): {
            "fields": (c.incident.title, c.source.name, c.url, c.original_text, c.status),
            "dispute_reason": c.dispute_reason,
            "version": c.version,
            "reported_via": str(c.reported_via.public_id) if c.reported_via else None,
            "history": history(c.history.all()),
            "reviews": [
                (r.from_status, r.to_status, r.note, r.reviewer.username, r.dispute_reason)
                for r in c.reviews.all()
            ],
        }
        for c in Claim.objects.select_related("incident", "source", "reported_via")
    }
    return incidents, claims


def test_batches_write_what_one_record_at_a_time_writes(tmp_path, editor, monkeypatch):
    path = write(tmp_path, *records(7))
    with transaction.atomic():
        assert "7 new" in run(path, "--as", editor.username, "--keep-review-state")
        batched = stored()
        transaction.set_rollback(True)
    monkeypatch.setattr(Batches, "takes", lambda self, record: False)
    assert "7 new" in run(path, "--as", editor.username, "--keep-review-state")
    alone = stored()
    assert batched == alone
    incidents, claims = batched
    assert len(incidents) == 7 and len(claims) == 21
    relayed = claims[uuid(0, "c")]
    assert relayed["reported_via"] == uuid(1, "a")
    assert relayed["history"][-1][1] == "imported from file.jsonl, line 1"
    assert claims[uuid(3, "b")]["reviews"] == [
        ("unverified", "disputed", "imported from file.jsonl, line 4", editor.username,
         "recycled_content")
    ]  # fmt: skip


def statements(tmp_path, editor, count):
    path = write(tmp_path, *records(count, relays_down=False))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert f"{count} new" in run(path, "--as", editor.username, "--keep-review-state")
        transaction.set_rollback(True)
    return len(queries)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite caps the values of one statement, so its bulk inserts split as rows grow",
)
def test_statements_do_not_grow_with_the_claims(tmp_path, editor):
    """10 and 40 new incidents (30 and 120 claims, 20 and 80 reviews) in one batch: no
    statement grows with the lines (68 and 69 statements; a line held for a batch writes
    nothing, so it is read without the savepoint, SAVEPOINT and RELEASE, that each line
    cost before; its new references are created with the batch)."""
    few, many = statements(tmp_path, editor, 10), statements(tmp_path, editor, 40)
    assert many - few <= 2, (few, many)


def test_a_bad_line_in_a_batch_is_named_and_nothing_is_written(tmp_path, editor):
    lines = records(6)
    # Passes the line's own checks; log_incidents refuses it (one URL twice in an
    # incident), and the batch, applied again one line at a time, names the line.
    lines[3]["claims"][2]["url"] = lines[3]["claims"][0]["url"]
    path = write(tmp_path, *lines)
    places = Place.objects.count()
    output = refused(path, "--as", editor.username, "--keep-review-state")
    assert "5 new" in output and "1 refused" in output, output
    assert "line 4: This URL is already a claim of this incident." in output, output
    assert not Incident.objects.exists() and not Review.objects.exists()
    assert Place.objects.count() == places


def test_a_bad_claim_field_in_a_batch_is_named(tmp_path, editor):
    lines = records(3, relays_down=False)
    lines[1]["claims"][1]["medium"] = "carrier_pigeon"
    path = write(tmp_path, *lines)
    output = refused(path, "--as", editor.username, "--keep-review-state")
    assert "line 2: medium: Value 'carrier_pigeon' is not a valid choice." in output, output
    assert "2 new" in output and "1 refused" in output, output


def test_review_each_is_for_editors_and_checks_each_decision(journalist, editor, tmp_path):
    path = write(tmp_path, json.loads(json.dumps(records(1)[0])))
    run(path, "--as", editor.username)
    claims = list(Claim.objects.order_by("pk"))
    decision = claim_services.Decision(claim=claims[0], to_status="verified", note="Checked.")
    with pytest.raises(PermissionDenied):
        claim_services.review_each(reviewer=journalist, decisions=[decision])
    with pytest.raises(BatchRefusal) as refused:
        claim_services.review_each(
            reviewer=editor,
            decisions=[
                decision,
                claim_services.Decision(claim=claims[1], to_status="disputed", note="No."),
            ],
        )
    assert refused.value.index == 1 and "dispute_reason" in refused.value.message_dict
    assert not Review.objects.exists()
    reviews = claim_services.review_each(reviewer=editor, decisions=[decision])
    claims[0].refresh_from_db()
    assert (claims[0].status, claims[0].version, reviews[0].note) == ("verified", 2, "Checked.")
    assert claims[0].history.first().history_change_reason == "reviewed: unverified → verified"


def test_a_duplicate_of_an_incident_of_an_earlier_batch_is_named_once(
    tmp_path, editor, monkeypatch
):
    """A line repeating a claim URL of an incident an earlier batch of the same file wrote
    is reported as one record at a time reports it: once, as a line of this file (the
    incident written is this import's, not one stored before)."""
    stored_line, first, again = records(3, relays_down=False)
    run(write(tmp_path, stored_line), "--as", editor.username)
    again["claims"][0]["url"] = first["claims"][0]["url"]
    # The stored incident's line, unchanged, is applied alone: the batch above is written.
    path = write(tmp_path, first, stored_line, again)

    def output():
        with transaction.atomic():
            text = run(path, "--as", editor.username)
            transaction.set_rollback(True)
        return text

    batched = output()
    monkeypatch.setattr(Batches, "takes", lambda self, record: False)
    alone = output()
    assert batched == alone


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite caps the values of one statement: its bulk inserts, and the URLs asked "
    "at once, split as the lines grow",
)
def test_into_a_populated_database_a_line_asks_only_for_its_place_and_dates(tmp_path, editor):
    """The claim URLs and evidence files of a batch of lines are looked for in one query
    each (DuplicateCheck.look_up), not once a line: each line still asks for incidents at
    its place and dates (one query), and nothing else grows with the lines."""
    IncidentFactory(status="submitted")  # the database holds incidents: it is asked
    few, many = statements(tmp_path, editor, 10), statements(tmp_path, editor, 40)
    assert many - few <= 30 + 2, (few, many)
