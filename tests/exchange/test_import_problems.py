"""A new user's problems with a hand-made file: a row whose cell holds the separator unquoted
is named as such (not as whatever its shifted cells happen to break), and every problem of
a line is reported in one run, each with its line and field."""

import io

import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident
from tests.exchange.test_import import HAND_MADE, run
from tests.exchange.test_import_duplicates import claim, incident, write
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def refused(path, *args):
    """The import's output, refused as a whole."""
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_incidents", str(path), *args, stdout=out, stderr=io.StringIO())
    assert not Incident.objects.exists()
    return out.getvalue()


def test_a_row_with_an_unquoted_separator_is_named_with_its_field_count(tmp_path, editor):
    header, first, second = HAND_MADE.rstrip("\r\n").split("\r\n")
    items = "cars: cars (100–999); jewellery-and-valuables: rings"
    shifted = first.replace("cars: cars (100–999)", items)
    path = tmp_path / "sheet.csv"
    path.write_bytes("\r\n".join([header, shifted, second, ""]).encode("utf-8"))
    output = refused(path, "--as", editor.username)
    assert (
        "line 2: 17 fields where the header has 16 — a cell holding the separator (;) "
        "must be in double quotes" in output
    )
    assert "source.kind" not in output and "Kyiv Independent" not in output
    assert "nothing was written" in output
    # Quoted, as a spreadsheet saves it, the same cell imports.
    quoted = first.replace("cars: cars (100–999)", f'"{items}"')
    path.write_bytes("\r\n".join([header, quoted, second, ""]).encode("utf-8"))
    assert "1 new" in run(path, "--as", editor.username)


def test_a_row_with_too_few_fields_is_named(tmp_path, editor):
    header, first, second = HAND_MADE.rstrip("\r\n").split("\r\n")
    short = first.rsplit(";", 2)[0]
    path = tmp_path / "sheet.csv"
    path.write_bytes("\r\n".join([header, second, short, ""]).encode("utf-8"))
    output = refused(path, "--as", editor.username)
    assert "line 3: 14 fields where the header has 16" in output


def test_every_problem_of_a_line_is_reported_with_its_field(tmp_path, editor):
    header = (
        "title;occurred_from;occurred_to;place;country;items;source;source_kind;medium;url;"
        "language;text"
    )
    bad = (
        "Grain taken;2022-05-03;2022-05-01;Nowhereville;UA;grain: wheat (lots);"
        "A farmer;farmer;witness_statement;not a link;uk;Забрали зерно."
    )
    path = tmp_path / "sheet.csv"
    path.write_bytes(f"{header}\n{bad}\n".encode())
    output = refused(path, "--as", editor.username)
    problems = [line for line in output.splitlines() if line.startswith("line 2: ")]
    fields = {line.split(": ")[1] for line in problems}
    assert {"occurred_to", "latitude", "items", "source.kind", "url"} <= fields, output
    assert "'farmer'" in output  # the source kind
    assert "'grain'" in output  # the unknown category
    assert "'lots'" in output  # the quantity


@pytest.mark.parametrize("where", ["title", "source", "url", "evidence", "csv"])
def test_a_nul_character_is_named_on_its_line_not_a_database_error(tmp_path, editor, where):
    """PostgreSQL's text cannot hold U+0000: a line holding one (in any field, as the
    duplicate checks ask the database about its URLs and files before its fields are
    checked) is refused with its line, not by the database in the middle of the import."""
    IncidentFactory(status="submitted")  # the duplicate checks ask the database
    url = "https://example.org/a\0b" if where == "url" else "https://example.org/a"
    record = incident(
        "Cars\0" if where == "title" else "Cars taken",
        claim(url=url, digest="ab\0" if where == "evidence" else None),
    )
    if where == "source":
        record["claims"][0]["source"]["name"] = "Kyiv\0Independent"
    path = write(tmp_path, record)
    if where == "csv":
        path = tmp_path / "sheet.csv"
        path.write_bytes(HAND_MADE.replace("Cars taken in Bucha", "Cars\0taken").encode())
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command(
            "import_incidents", str(path), "--as", editor.username, stdout=out, stderr=io.StringIO()
        )
    assert "line 1" in out.getvalue() or "line 2" in out.getvalue()
    assert "NUL" in out.getvalue()
    assert Incident.objects.count() == 1
