"""import_incidents: all or nothing with every bad line reported, idempotent by id,
audited with the file and line, through the services."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Review
from incidents import services as incident_services
from incidents.models import Actor, Incident, IncidentItem, ItemCategory, Place
from tests.factories import IncidentFactory

# A new place as a file names it.
MELITOPOL = {
    "name": "Melitopol",
    "country": "UA",
    "latitude": 46.84,
    "longitude": 35.36,
    "precision": "settlement",
}

HAND_MADE = (
    "\ufefftitle;occurred_from;occurred_to;place;country;latitude;longitude;location_precision;"
    "items;actors;"
    "source;source_kind;medium;url;language;text\r\n"
    "Cars taken in Bucha;2022-03-20;2022-03-25;Bucha;UA;50.5432;30.2120;settlement;"
    "cars: cars (100–999);Russian army;Kyiv Independent;media_outlet;press_report;"
    "https://kyivindependent.com/bucha-cars;en;Residents say cars were taken.\r\n"
    "Cars taken in Bucha;2022-03-20;2022-03-25;Bucha;UA;50.5432;30.2120;settlement;"
    "cars: cars (100–999);Russian army;Witness in Bucha;witness;witness_statement;"
    ";uk;Забрали машини.\r\n"
)


def run(path, *args):
    out = io.StringIO()
    call_command("import_incidents", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def exported(tmp_path, *args):
    target = tmp_path / "export.jsonl"
    call_command("export_incidents", "-o", str(target), *args, stderr=io.StringIO())
    return target


def test_hand_made_csv_with_bom_and_semicolons_imports_submitted(tmp_path, editor):
    path = tmp_path / "sheet.csv"
    path.write_bytes(HAND_MADE.encode("utf-8"))
    output = run(path, "--as", editor.username)
    assert "1 new" in output
    incident = Incident.objects.get(title="Cars taken in Bucha")
    assert incident.status == "submitted"
    assert [c.status for c in incident.claims.all()] == ["unverified", "unverified"]
    assert incident.items.get().quantity == "100–999"
    assert incident.actors.get().name == "Russian army"
    assert incident.claims.get(medium="witness_statement").source.identity_protected
    history = incident.history.get()
    assert history.history_change_reason == "imported from sheet.csv, line 2"
    # Once more: the rows have no ids, so the same incident is found as a duplicate.
    output = run(path, "--as", editor.username, "--skip-duplicates")
    assert "1 skipped as duplicates" in output and "already logged" in output
    assert Incident.objects.filter(title="Cars taken in Bucha").count() == 1


def test_every_bad_line_is_reported_and_nothing_written(tmp_path, editor):
    good = json.loads(
        json.dumps(
            {
                "title": "Grain taken",
                "occurred_from": "2022-05-01",
                "occurred_to": "2022-05-03",
                "place": MELITOPOL,
                "items": [{"category": "grain-and-agricultural-produce"}],
                "claims": [
                    {
                        "source": {"name": "Ministry of Defence of Ukraine", "kind": "military"},
                        "medium": "tweet",
                        "language": "en",
                        "text": "Grain was taken.",
                    }
                ],
            }
        )
    )
    reversed_dates = {**good, "occurred_to": "2022-04-01"}
    bad_category = {**good, "items": [{"category": "spaceships"}]}
    no_text = {**good, "claims": [{**good["claims"][0], "text": ""}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                json.dumps(reversed_dates),
                "{not json",
                json.dumps(bad_category),
                json.dumps(no_text),
            ]
        )
    )
    places = Place.objects.count()
    with pytest.raises(CommandError) as refused:
        out = io.StringIO()
        call_command("import_incidents", str(path), "--as", editor.username, stdout=out)
    output = out.getvalue()
    assert "nothing written" in str(refused.value)
    assert "line 2: occurred_to: before occurred_from." in output
    assert "line 3: not valid JSON" in output
    assert "line 4: items: unknown category 'spaceships'" in output
    assert "line 5:" in output and "original_text" in output
    assert "line 1:" not in output
    assert not Incident.objects.exists() and Place.objects.count() == places


def test_dry_run_writes_nothing(tmp_path, editor):
    path = tmp_path / "sheet.csv"
    path.write_bytes(HAND_MADE.encode())
    assert "1 new" in run(path, "--as", editor.username, "--dry-run")
    assert not Incident.objects.exists()


def test_no_create_refuses_unknown_places(tmp_path, editor):
    path = tmp_path / "sheet.csv"
    path.write_bytes(HAND_MADE.encode())
    with pytest.raises(CommandError):
        run(path, "--as", editor.username, "--no-create")
    assert not Incident.objects.exists()


def test_reimport_is_a_no_op_and_an_update_writes_one_history_row(
    tmp_path, published_incident, editor
):
    path = exported(tmp_path, "--staff")
    histories = (published_incident.history.count(), Claim.history.count(), Review.objects.count())
    assert "0 new, 0 updated, 1 unchanged" in run(path, "--as", editor.username)
    assert (
        published_incident.history.count(),
        Claim.history.count(),
        Review.objects.count(),
    ) == histories

    data = json.loads(path.read_text())
    data["title"] = "Renamed by the partner"
    data["claims"][0]["text"] = "A corrected quote."
    path.write_text(json.dumps(data) + "\n")
    assert "1 updated" in run(path, "--as", editor.username)
    published_incident.refresh_from_db()
    assert published_incident.title == "Renamed by the partner"
    latest = published_incident.history.order_by("-history_id").first()
    assert latest.history_change_reason.startswith("imported from export.jsonl, line 1")
    assert published_incident.history.count() == histories[0] + 1
    claim = published_incident.claims.get()
    assert claim.original_text == "A corrected quote."
    assert claim.history.order_by("-history_id").first().history_change_reason == (
        "imported from export.jsonl, line 1"
    )
    assert claim.status == "verified"  # no review without --keep-review-state


def test_ids_in_capitals_update_the_stored_records(tmp_path, published_incident, editor):
    """A spreadsheet may write the ids in capitals: they still name the stored incident
    and claim, which are updated, not refused or copied."""
    path = exported(tmp_path, "--staff")
    data = json.loads(path.read_text())
    data["id"] = data["id"].upper()
    data["claims"][0]["id"] = data["claims"][0]["id"].upper()
    data["title"] = "Renamed in a spreadsheet"
    path.write_text(json.dumps(data) + "\n")

    assert "0 new, 1 updated" in run(path, "--as", editor.username)
    assert Incident.objects.count() == 1 and Claim.objects.count() == 1
    published_incident.refresh_from_db()
    assert published_incident.title == "Renamed in a spreadsheet"


def test_keep_review_state_reviews_through_the_service(tmp_path, editor, journalist):
    incident = IncidentFactory(created_by=journalist, status="published")
    path = exported(tmp_path, "--staff")
    data = json.loads(path.read_text())
    data["id"] = "5b8f0a3e-7c1d-4e4b-9a52-2f6d8e9b1c00"
    data["claims"][0]["id"] = "6c9f0a3e-7c1d-4e4b-9a52-2f6d8e9b1c00"
    data["claims"][0]["url"] = data["claims"][0]["staff"]["url"] = "https://example.org/other"
    data["claims"][0]["status"] = "disputed"
    data["claims"][0]["dispute_reason"] = "recycled_content"
    path.write_text(json.dumps(data) + "\n")
    with pytest.raises(CommandError):
        run(path, "--as", journalist.username, "--keep-review-state")
    run(path, "--as", editor.username, "--keep-review-state")
    claim = Claim.objects.get(public_id=data["claims"][0]["id"])
    assert claim.incident.status == "submitted" and claim.incident.pk != incident.pk
    review = Review.objects.get(claim=claim)
    assert (review.to_status, review.dispute_reason) == ("disputed", "recycled_content")
    assert review.note == "imported from export.jsonl, line 1"


def test_a_partial_csv_changes_only_its_columns(tmp_path, published_incident, editor):
    """Absent columns leave the stored values alone: no summary, item, actor or claim field
    is wiped by a spreadsheet that carries only some columns."""
    incident = published_incident
    IncidentItem.objects.create(incident=incident, category=ItemCategory.objects.first())
    incident.actors.add(Actor.objects.create(name="Russian army", kind="armed_forces"))
    incident.summary = "A long summary."
    incident.save()
    claim = incident.claims.get()
    claim.translation, claim.translated_by = "A translation.", "Lootwatch staff"
    claim.translator_kind = "organisation"
    claim.save()
    before = (list(incident.items.values_list("pk", flat=True)), list(incident.actors.all()))
    path = tmp_path / "partial.csv"
    path.write_text(
        "id,title,occurred_from,place,country,claim_id,source,medium,text\n"
        f"{incident.public_id},Renamed,{incident.occurred_from},{incident.place.name},"
        f"{incident.place.country},{claim.public_id},{claim.source.name},{claim.medium},"
        f'"{claim.original_text}"\n'
    )
    assert "1 updated" in run(path, "--as", editor.username)
    incident.refresh_from_db()
    claim.refresh_from_db()
    assert incident.title == "Renamed"
    assert incident.summary == "A long summary."
    assert (list(incident.items.values_list("pk", flat=True)), list(incident.actors.all())) == (
        before
    )
    assert incident.occurred_to is not None and claim.translation == "A translation."
    assert claim.url and claim.status == "verified"


def test_a_journalists_file_cannot_publish_an_exact_location(tmp_path, journalist, editor):
    """staff.place.exact_location_public from a journalist's file is refused for the line;
    a new place without a precision is refused too, never published as a settlement."""
    record = {
        "title": "Flat emptied",
        "occurred_from": "2022-05-01",
        "place": {"name": "Vul. Shevchenka 4", "country": "UA", "precision": "exact"},
        "staff": {
            "place": {
                "name": "Vul. Shevchenka 4",
                "latitude": "50.5432",
                "longitude": "30.2120",
                "exact_location_public": True,
            }
        },
        "claims": [
            {
                "source": {"name": "A neighbour", "kind": "witness"},
                "medium": "witness_statement",
                "language": "uk",
                "text": "They took everything.",
            }
        ],
    }
    path = tmp_path / "homes.jsonl"
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(CommandError):
        run(path, "--as", journalist.username)
    assert not Place.objects.filter(name="Vul. Shevchenka 4").exists()
    del record["place"]["precision"]
    record["staff"]["place"]["exact_location_public"] = False
    path.write_text(json.dumps(record) + "\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_incidents", str(path), "--as", editor.username, stdout=out)
    assert "line 1: place.precision:" in out.getvalue()
    assert not Place.objects.filter(name="Vul. Shevchenka 4").exists()


def _record(**changes):
    record = {
        "title": "Grain taken",
        "occurred_from": "2022-05-01",
        "place": dict(MELITOPOL),
        "claims": [
            {
                "source": {"name": "Ministry of Defence of Ukraine", "kind": "military"},
                "medium": "tweet",
                "language": "en",
                "text": "Grain was taken.",
            }
        ],
    }
    record.update(changes)
    return record


def test_wrong_types_are_line_errors_never_exceptions(tmp_path, editor):
    claim = _record()["claims"][0]
    records = [
        _record(actors=["Russian army"]),
        _record(items=["grain"]),
        _record(title=7),
        _record(claims=["Grain was taken."]),
        _record(claims=[{**claim, "source": "a ministry"}]),
        _record(place={**_record()["place"], "latitude": "NaN", "name": "Elsewhere"}),
        _record(claims=[{**claim, "status": "disputed"}]),
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_incidents",
            str(path),
            "--as",
            editor.username,
            "--keep-review-state",
            stdout=out,
        )
    text = out.getvalue()
    for expected in (
        "line 1: actors:",
        "line 2: items:",
        "line 3: title:",
        "line 4: claims:",
        "line 5: source:",
        "line 6: latitude:",
        "line 7: dispute_reason: A disputed claim needs",
    ):
        assert expected in text
    assert not Incident.objects.exists()


def test_every_bad_claim_of_one_incident_is_reported(tmp_path, editor):
    claim = _record()["claims"][0]
    path = tmp_path / "claims.csv"
    path.write_text(
        "title,occurred_from,place,country,latitude,longitude,location_precision,"
        "source,medium,language,text\n"
        "Grain taken,2022-05-01,Melitopol,UA,46.84,35.36,settlement,"
        f"{claim['source']['name']},tweet,en,Good.\n"
        "Grain taken,2022-05-01,Melitopol,UA,46.84,35.36,settlement,"
        f"{claim['source']['name']},no-such-medium,en,Bad one.\n"
        "Grain taken,2022-05-01,Melitopol,UA,46.84,35.36,settlement,"
        f"{claim['source']['name']},another-bad-medium,en,Bad two.\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_incidents", str(path), "--as", editor.username, stdout=out)
    assert "line 3: medium" in out.getvalue() and "line 4: medium" in out.getvalue()


def test_reimport_is_a_no_op_for_withdrawn_and_for_journalists(
    tmp_path, published_incident, editor, journalist
):
    """Unchanged lines are compared before any service's permission check: a partner file
    re-imported by a journalist, and a --status all file holding a withdrawn incident
    re-imported by an editor, are both unchanged (not refused)."""
    partner_file = exported(tmp_path)
    assert "0 new, 0 updated, 1 unchanged" in run(partner_file, "--as", journalist.username)
    incident_services.withdraw_incident(
        incident=published_incident, editor=editor, reason="Duplicate of another record."
    )
    target = tmp_path / "all.jsonl"
    call_command(
        "export_incidents", "--status", "all", "--staff", "-o", str(target), stderr=io.StringIO()
    )
    histories = published_incident.history.count()
    assert "0 new, 0 updated, 1 unchanged" in run(target, "--as", editor.username)
    assert published_incident.history.count() == histories


def test_a_missing_start_date_is_named_once_and_a_missing_end_is_the_start(tmp_path, editor):
    without_start = _record()
    del without_start["occurred_from"]
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps(without_start) + "\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_incidents", str(path), "--as", editor.username, stdout=out)
    text = out.getvalue()
    assert "line 1: occurred_from: Give a date (YYYY-MM-DD)." in text
    assert "occurred_to" not in text and "None" not in text

    path.write_text(json.dumps(_record(occurred_to=None)) + "\n")
    run(path, "--as", editor.username)
    incident = Incident.objects.get()
    assert incident.occurred_to == incident.occurred_from


def test_the_summary_names_a_new_witness_the_same_in_a_dry_run_and_the_import(tmp_path, editor):
    # Its label is drawn when it is written: the dry run must not show one the import
    # will not give, and neither shows the witness's name.
    path = tmp_path / "sheet.csv"
    path.write_bytes(HAND_MADE.encode("utf-8"))
    preview = run(path, "--as", editor.username, "--dry-run")
    imported = run(path, "--as", editor.username)
    for output in (preview, imported):
        [sources] = [line for line in output.splitlines() if line.startswith("New sources")]
        assert "Witness W-…" in sources and "Kyiv Independent" in sources
        assert "Witness in Bucha" not in output
