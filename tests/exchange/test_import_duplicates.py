"""Duplicate checks on import: claims added to incidents already held, and lines of one
file duplicating each other, are listed in the summary and left out with
--skip-duplicates."""

import json

import pytest
from django.core.management import CommandError

from claims.models import Claim
from incidents.models import Incident
from tests.exchange.test_import import run
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def claim(url="", digest=None, text="Cars were taken."):
    data = {
        "source": {"name": "Kyiv Independent", "kind": "media_outlet"},
        "medium": "press_report",
        "url": url,
        "language": "en",
        "text": text,
    }
    if digest:
        data["staff"] = {"url": url, "evidence": [{"sha256": digest}]}
    return data


def incident(title, *claims, place="Bucha", day="2022-03-20", latitude="50.54"):
    return {
        "title": title,
        "occurred_from": day,
        "occurred_to": day,
        "place": {
            "name": place,
            "country": "UA",
            "latitude": latitude,
            "longitude": "30.21",
            "precision": "settlement",
        },
        "claims": list(claims),
    }


def write(tmp_path, *records):
    path = tmp_path / "file.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def test_a_claim_added_to_a_held_incident_is_checked(tmp_path, editor):
    held = IncidentFactory(status="submitted")
    url = held.claims.get().url
    target = IncidentFactory(status="submitted")
    record = {"id": str(target.public_id), "claims": [claim(url=url)]}
    path = write(tmp_path, record)

    output = run(path, "--as", editor.username, "--dry-run")
    assert (
        f"claim URL {url} already logged on incident “{held.title}” ({held.public_id})" in output
    ), output

    output = run(path, "--as", editor.username, "--skip-duplicates")
    assert "line 1" in output and "left out" in output, output
    assert target.claims.count() == 1

    output = run(path, "--as", editor.username)
    assert target.claims.count() == 2


def test_lines_of_one_file_duplicating_each_other_are_listed_and_skipped(tmp_path, editor):
    digest = "ab" * 32
    path = write(
        tmp_path,
        incident("First", claim(url="https://example.org/a", digest=digest)),
        incident("Same URL", claim(url="https://example.org/a"), place="Irpin", latitude="50.52"),
        incident("Same file", claim(digest=digest), place="Hostomel", latitude="50.57"),
        incident("Same place and date", claim(url="https://example.org/b"), day="2022-03-21"),
        incident("Elsewhere", claim(url="https://example.org/c"), place="Lviv", latitude="49.8"),
    )
    output = run(path, "--as", editor.username, "--dry-run")
    assert (
        "possible duplicate, line 2: claim URL https://example.org/a already on line 1 of this file"
        in output
    )
    assert (
        "possible duplicate, line 3: evidence file abababababab… already on line 1 of this file"
        in output
    )
    assert (
        "possible duplicate, line 4: incident at the same place within a few days "
        "on line 1 of this file" in output
    )
    assert "line 5" not in output
    assert Incident.objects.count() == 0

    output = run(path, "--as", editor.username, "--skip-duplicates")
    assert "2 new" in output and "3 skipped as duplicates" in output, output
    assert set(Incident.objects.values_list("title", flat=True)) == {"First", "Elsewhere"}
    assert Claim.objects.count() == 2


def test_reported_via_may_name_a_claim_on_a_later_line(tmp_path, editor):
    relayed = {
        **claim(url="https://example.org/relayed"),
        "id": "6f1a3c2e-0000-4000-8000-000000000001",
    }
    relay = {**claim(url="https://example.org/relay"), "id": "6f1a3c2e-0000-4000-8000-000000000002"}
    relayed["reported_via"] = relay["id"]
    first = {**incident("Reported via a later line", relayed), "id": relay["id"][:-1] + "a"}
    second = {**incident("The relay", relay, place="Lviv", latitude="49.8")}
    second["id"] = relay["id"][:-1] + "b"
    path = write(tmp_path, first, second)
    output = run(path, "--as", editor.username)
    assert "2 new" in output, output
    stored = Claim.objects.get(public_id=relayed["id"])
    assert str(stored.reported_via.public_id) == relay["id"]
    # Re-importing is still a no-op.
    assert "0 new, 0 updated, 2 unchanged" in run(path, "--as", editor.username)


def test_reported_via_a_later_line_that_is_refused_is_a_line_error(tmp_path, editor):
    relayed = {
        **claim(url="https://example.org/relayed"),
        "id": "6f1a3c2e-0000-4000-8000-000000000003",
    }
    bad = {**claim(url="https://example.org/relay"), "id": "6f1a3c2e-0000-4000-8000-000000000004"}
    relayed["reported_via"] = bad["id"]
    path = write(
        tmp_path,
        incident("Reported via a bad line", relayed),
        {**incident("Bad", bad, place="Lviv", latitude="49.8"), "occurred_from": "someday"},
    )
    with pytest.raises(CommandError):
        run(path, "--as", editor.username)
    assert Incident.objects.count() == 0


def test_without_as_the_import_is_recorded_as_the_system_account(tmp_path, editor):
    from exchange.actors import SYSTEM_USERNAME

    path = write(tmp_path, incident("From a shell", claim(url="https://example.org/shell")))
    with pytest.raises(CommandError, match="--keep-review-state"):
        run(path, "--keep-review-state")
    assert "1 new" in run(path)
    logged = Incident.objects.get()
    assert logged.created_by.username == SYSTEM_USERNAME and logged.status == "submitted"
    assert logged.history.get().history_user.username == SYSTEM_USERNAME
    assert not logged.created_by.has_usable_password()


def test_import_queries_per_claim_stay_bounded(tmp_path, editor):
    """Import reads held ids once per file and validates a model's check constraints in
    one query: 20 new claims over 10 incidents stay within a measured budget."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    records = [
        incident(
            f"Incident {n}",
            claim(url=f"https://example.org/{n}/a"),
            claim(url=f"https://example.org/{n}/b"),
            place=f"Village {n}",
            latitude=f"50.{n:02d}",
        )
        for n in range(10)
    ]
    path = write(tmp_path, *records)
    with CaptureQueriesContext(connection) as queries:
        assert "10 new" in run(path, "--as", editor.username)
    # Measured 32.4 a claim (86.7 when each check constraint was its own query).
    assert len(queries) / 20 <= 35, len(queries) / 20


def test_a_post_of_a_channel_is_found_among_the_channels_posts(tmp_path, editor):
    """Claims are looked for by every segment of their path (a trigram index answers each),
    not by the longest alone, which here is the channel's name, shared by every post."""
    held = [
        incident(f"Held {n}", claim(url=f"https://t.me/ukrainenowchannel/{9000 + n}"),
                 day=f"2022-0{1 + n % 9}-{1 + n:02d}")
        for n in range(12)
    ]  # fmt: skip
    assert "12 new" in run(write(tmp_path, *held), "--as", editor.username)
    again = incident(
        "Again", claim(url="https://t.me/ukrainenowchannel/9007/?utm_source=x"), day="2023-01-01"
    )
    output = run(write(tmp_path, again), "--as", editor.username, "--dry-run")
    assert output.count("already logged on incident") == 1, output
    assert "“Held 7”" in output
