"""export_incidents: exactly the partner API's representation, staff fields only when
asked, CSV safe against formula injection."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework_api_key.models import APIKey

from claims import services as claim_services
from incidents import services as incident_services
from tests.factories import ClaimFactory, IncidentFactory, SourceFactory


def export(*args):
    out = io.StringIO()
    call_command("export_incidents", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_jsonl_is_what_the_api_answers(published_incident):
    IncidentFactory(title="A draft")
    lines = export().splitlines()
    assert len(lines) == 1
    _, key = APIKey.objects.create_key(name="Test newsroom")
    partner_client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    answer = partner_client.get(f"/api/v1/incidents/{published_incident.public_id}/").json()
    assert json.loads(lines[0]) == answer


def test_staff_fields_only_with_staff(published_incident, journalist):
    witness = SourceFactory(name="Halyna Petrenko", kind="witness")
    claim = ClaimFactory(incident=published_incident, source=witness, submitted_by=journalist)
    [line] = export("--status", "all").splitlines()
    assert "Halyna Petrenko" not in line and "internal_notes" not in line
    assert '"staff"' not in line
    [line] = export("--status", "all", "--staff").splitlines()
    data = json.loads(line)
    assert data["staff"]["created_by"] == journalist.username
    names = {c["staff"]["source"]["name"] for c in data["claims"]}
    assert "Halyna Petrenko" in names
    assert str(claim.public_id) in line


def test_status_all_includes_drafts_and_since_filters(published_incident):
    draft = IncidentFactory(title="A draft")
    ids = {json.loads(line)["id"] for line in export("--status", "all").splitlines()}
    assert ids == {str(published_incident.public_id), str(draft.public_id)}
    assert export("--status", "all", "--since", "2999-01-01T00:00:00").strip() == ""


def test_csv_has_a_row_per_claim_and_defuses_formulas(journalist, editor):
    incident = IncidentFactory(
        created_by=journalist, title='=HYPERLINK("http://evil")', status="submitted"
    )
    second = ClaimFactory(incident=incident, submitted_by=journalist)
    claim_services.review_claim(claim=second, reviewer=editor, to_status="verified", note="Ok.")
    claim_services.review_claim(
        claim=incident.claims.exclude(pk=second.pk).get(),
        reviewer=editor,
        to_status="verified",
        note="Ok.",
    )
    incident_services.publish_incident(incident=incident, editor=editor)
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert len(rows) == 2
    assert {row["claim_id"] for row in rows} == {str(c.public_id) for c in incident.claims.all()}
    assert rows[0]["title"].startswith("'=")
    assert "staff_source" not in rows[0]


def test_export_to_a_file(published_incident, tmp_path):
    target = tmp_path / "out.jsonl"
    call_command("export_incidents", "-o", str(target), stderr=io.StringIO())
    assert json.loads(target.read_text())["id"] == str(published_incident.public_id)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_committed_during_an_export_does_not_reach_it(monkeypatch):
    """The export reads every chunk in one snapshot: an incident changed (and committed by
    another connection) after the first chunk was read is exported as it was."""
    import threading

    from django.db import DatabaseError, connection, connections

    from exchange import export
    from incidents.models import Incident

    first = IncidentFactory(status="published", title="First")
    second = IncidentFactory(status="published", title="Second")
    monkeypatch.setattr(export, "CHUNK", 1)
    lines = export.iter_export(format="jsonl")
    assert json.loads(next(lines))["id"] == str(first.public_id)

    edited = []

    def edit():
        try:
            Incident.objects.filter(pk=second.pk).update(title="Changed meanwhile")
            edited.append(True)
        except DatabaseError:  # SQLite: the export's read lock keeps writers out
            edited.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=edit)
    thread.start()
    thread.join()
    rest = [json.loads(line) for line in lines]
    assert [line["title"] for line in rest] == ["Second"]
    if connection.vendor == "postgresql":
        assert edited == [True]
        assert Incident.objects.get(pk=second.pk).title == "Changed meanwhile"
