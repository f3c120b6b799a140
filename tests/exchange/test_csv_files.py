"""CSV files read back what the export wrote (items whose descriptions hold brackets or
semicolons, sources' public codes and organisations), a spreadsheet's blank trailing
column is ignored, and a file without the needed columns is refused at once, in one error."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims.models import Source
from exchange import imports
from exchange.export import iter_export
from exchange.importing.reading import read_records
from exchange.models import ImportRun
from incidents.models import Incident
from tests.exchange.test_import import HAND_MADE, run
from tests.factories import ClaimFactory, IncidentFactory, IncidentItemFactory, SourceFactory

pytestmark = pytest.mark.django_db

DESCRIPTIONS = [
    "Ford Focus (blue)",
    "rings; necklaces; a watch",
    "paintings (oil, 19th century) and frames (3)",
    r"a C:\ path\; odd",
]


def test_a_staff_csv_export_reads_back_as_its_json_lines(tmp_path, editor):
    incident = IncidentFactory(status="submitted")
    for description in DESCRIPTIONS:
        IncidentItemFactory(incident=incident, description=description)
    IncidentItemFactory(incident=incident, description="jeeps (2)", quantity_min=2, quantity_max=5)
    organisation = SourceFactory(name="Ministry of Culture", kind="government")
    source = SourceFactory(name="Museum staff", public_code="MUSEUM-7")
    Source.objects.filter(pk=source.pk).update(organisation=organisation)
    ClaimFactory(incident=incident, source=Source.objects.get(pk=source.pk))

    options = {"status": "all", "staff": True}
    csv_text = "".join(iter_export(format="csv", **options))
    errors = []
    [from_csv] = read_records(csv_text, format="csv", errors=errors)
    assert errors == []
    from_json = json.loads("".join(iter_export(format="jsonl", **options)))
    items = [
        (i["category"], i["description"], i["quantity_min"], i["quantity_max"])
        for i in from_json["items"]
    ]
    assert [
        (i["category"], i["description"], _int(i["quantity_min"]), _int(i["quantity_max"]))
        for i in from_csv.data["items"]
    ] == items
    assert {i[1] for i in items} >= set(DESCRIPTIONS)
    staff_sources = {
        c["staff"]["source"]["name"]: c["staff"]["source"] for c in from_csv.data["claims"]
    }
    assert staff_sources["Museum staff"]["public_code"] == "MUSEUM-7"
    assert staff_sources["Museum staff"]["organisation"] == "Ministry of Culture"

    # And the whole file re-imports as unchanged: nothing was mangled on the way.
    path = tmp_path / "backup.csv"
    path.write_text(csv_text, encoding="utf-8")
    output = run(path, "--as", editor.username)
    assert "0 new, 0 updated, 1 unchanged" in output, output
    assert Incident.objects.count() == 1


def _int(value):
    return None if value in (None, "") else int(value)


def test_a_blank_trailing_header_column_is_ignored(tmp_path, editor):
    lines = HAND_MADE.split("\r\n")
    sheet = "\r\n".join(line + ";" if line else line for line in lines)
    path = tmp_path / "sheet.csv"
    path.write_bytes(sheet.encode("utf-8"))
    assert "1 new" in run(path, "--as", editor.username)


def test_missing_columns_are_refused_up_front_in_one_error(tmp_path, editor):
    sheet = "title;place;country;colour\r\nCars;Bucha;UA;red\r\n"
    path = tmp_path / "sheet.csv"
    path.write_text(sheet, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_incidents", str(path), "--as", editor.username, stdout=io.StringIO())
    message = str(refused.value)
    assert "occurred_from" in message and "text" in message and "colour" in message
    upload = SimpleUploadedFile("sheet.csv", sheet.encode("utf-8"))
    with pytest.raises(ValidationError) as refused:
        imports.queue_import(file=upload, uploaded_by=editor)
    assert "occurred_from" in str(refused.value) and "colour" in str(refused.value)
    assert not ImportRun.objects.exists()
