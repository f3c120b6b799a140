"""export_incidents: exactly the partner API's representation, staff fields only when
asked, CSV safe against formula injection."""

import csv
import io
import json

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
