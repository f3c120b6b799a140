"""make_release, verify_releases, the releases API and page, and their immutability."""

import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, connection, transaction

from exchange import releases
from exchange.models import Release
from incidents import services as incident_services
from tests.factories import IncidentFactory


def make(version, notes=""):
    out = io.StringIO()
    call_command("make_release", version, "--notes", notes, stdout=out)
    return out.getvalue()


def stored(version, name):
    with releases.storage().open(releases.path(version, name), "rb") as file:
        return file.read()


def test_a_release_verifies_and_its_changelog_lists_a_withdrawal(published_incident, editor):
    kept = IncidentFactory(status="published", title="Kept")
    IncidentFactory(title="A draft, never released")
    make("2026.1", "First release")
    incident_services.withdraw_incident(incident=published_incident, editor=editor, reason="Wrong.")
    added = IncidentFactory(status="published", title="Added later")
    assert "1 added, 0 changed, 1 withdrawn" in make("2026.2")

    release = Release.objects.get(version="2026.2")
    manifest = json.loads(stored("2026.2", "manifest.json"))
    assert manifest == release.manifest
    assert hashlib.sha256(stored("2026.2", "manifest.json")).hexdigest() == release.manifest_sha256
    assert manifest["counts"] == {"incidents": 2, "claims": 2}
    assert set(manifest["grades"]) == {
        "unverified",
        "single_source",
        "corroborated",
        "contested",
        "disputed",
    }
    assert manifest["software"].startswith("Lootwatch")
    for entry in manifest["files"]:
        data = stored("2026.2", entry["name"])
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    log = json.loads(stored("2026.2", "changelog.json"))
    assert log["withdrawn"] == [str(published_incident.public_id)]
    assert log["added"] == [str(added.public_id)]
    lines = stored("2026.2", "incidents.jsonl").decode().splitlines()
    assert {json.loads(line)["id"] for line in lines} == {str(kept.public_id), str(added.public_id)}
    geojson = json.loads(stored("2026.2", "incidents.geojson"))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 2
    assert 'version: "2026.2"' in stored("2026.2", "CITATION.cff").decode()

    call_command("verify_releases", stdout=io.StringIO())
    with releases.storage().open(releases.path("2026.1", "claims.csv"), "wb") as file:
        file.write(b"tampered")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_releases", stdout=io.StringIO(), stderr=err)
    assert "2026.1/claims.csv: SHA-256 does not match" in err.getvalue()


def test_release_files_past_memory_go_to_disk_and_still_verify(published_incident, monkeypatch):
    """A release of a whole war is hundreds of megabytes: each file is spooled to a
    temporary file past SPOOL_BYTES, hashed as it is written, and re-hashed a piece at a
    time by verify_releases; the manifest still matches the stored bytes."""
    IncidentFactory.create_batch(4, status="published")
    monkeypatch.setattr(releases, "SPOOL_BYTES", 64)
    monkeypatch.setattr(releases, "READ_BYTES", 7)
    on_disk = []
    write = releases.ReleaseFile.write

    def noting_write(self, text):
        write(self, text)
        on_disk.append(self.file._rolled)

    monkeypatch.setattr(releases.ReleaseFile, "write", noting_write)
    make("big")

    assert any(on_disk) and not all(on_disk)
    release = Release.objects.get(version="big")
    assert release.manifest["counts"]["incidents"] == 5
    for entry in release.manifest["files"]:
        data = stored("big", entry["name"])
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    manifest = releases.path("big", "manifest.json")
    assert releases.stored_sha256(manifest) == release.manifest_sha256
    assert "1 release(s): every file matches its manifest." in verified()


def verified():
    out = io.StringIO()
    call_command("verify_releases", stdout=out)
    return out.getvalue()


def test_releases_are_never_changed(published_incident):
    make("1.0")
    release = Release.objects.get()
    with pytest.raises(CommandError):
        make("1.0")
    with pytest.raises(ValidationError):
        release.save()
    with pytest.raises(ValidationError):
        Release.objects.filter(pk=release.pk).update(notes="changed")
    with pytest.raises(ValidationError):
        release.delete()
    refused = pytest.raises((IntegrityError, InternalError))
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE exchange_release SET notes = 'x'")


def test_api_and_page_list_releases_with_citation(published_incident, editor_client, client):
    make("2026.1", "First release")
    answer = editor_client.get("/api/v1/releases/").json()
    [listed] = answer["results"]
    assert listed["version"] == "2026.1" and listed["notes"] == "First release"
    assert listed["counts"] == {"incidents": 1, "claims": 1}
    assert "version 2026.1" in listed["citation"]
    assert {f["name"] for f in listed["files"]} >= {"incidents.jsonl", "CITATION.cff"}
    assert editor_client.get("/api/v1/releases/2026.1/").json()["version"] == "2026.1"
    page = client.get("/releases/")
    assert page.status_code == 200
    assert "version 2026.1" in page.content.decode()
    download = client.get("/releases/2026.1/CITATION.cff")
    assert download.status_code == 200
    assert b"cff-version" in b"".join(download.streaming_content)
    assert client.get("/releases/2026.1/secret.txt").status_code == 404


def test_only_editors_and_superusers_make_releases_and_the_maker_is_recorded(
    published_incident, journalist, editor, superuser
):
    from django.core.exceptions import PermissionDenied

    from exchange.actors import SYSTEM_USERNAME
    from exchange.services import make_release

    with pytest.raises(PermissionDenied):
        make_release(version="0.1", made_by=journalist)
    with pytest.raises(CommandError, match="not allowed"):
        call_command("make_release", "0.1", "--as", journalist.username, stdout=io.StringIO())
    assert not Release.objects.exists()
    assert not releases.storage().exists(releases.path("0.1", "manifest.json"))

    call_command("make_release", "0.1", "--as", editor.username, stdout=io.StringIO())
    assert Release.objects.get(version="0.1").created_by == editor
    make_release(version="0.2", made_by=superuser)
    assert Release.objects.get(version="0.2").created_by == superuser
    make("0.3")  # a shell on the server, no --as: the system account, named as such
    assert Release.objects.get(version="0.3").created_by.username == SYSTEM_USERNAME


@pytest.mark.parametrize("failing", ["claims.csv", "manifest.json", "row"])
def test_a_release_failing_midway_leaves_no_file_and_no_row(
    published_incident, monkeypatch, failing
):
    real_write = releases.write

    def write(version, name, data):
        if name == failing:
            raise OSError("disk full")
        return real_write(version, name, data)

    monkeypatch.setattr(releases, "write", write)
    if failing == "row":
        monkeypatch.setattr(
            Release, "save", lambda self, *a, **k: (_ for _ in ()).throw(OSError("db gone"))
        )
    with pytest.raises(OSError):
        make("2026.1")
    assert not Release.objects.exists()
    for name in (*releases.FILES, "manifest.json"):
        assert not releases.storage().exists(releases.path("2026.1", name)), name
    monkeypatch.undo()
    make("2026.1")
    assert Release.objects.get().version == "2026.1"


def test_editors_see_the_releases_in_the_admin(
    published_incident, editor_client, journalist_client
):
    make("2026.1", "First release")
    page = editor_client.get("/admin/exchange/release/")
    assert page.status_code == 200 and "2026.1" in page.content.decode()
    assert 'href="/admin/exchange/release/"' in editor_client.get("/admin/").content.decode()
    # Journalists are not admin staff: sent to the admin's sign-in.
    assert journalist_client.get("/admin/exchange/release/").status_code == 302


@pytest.mark.parametrize("site_url", ["", "/", "lootwatch.example.org"])
def test_no_release_without_an_absolute_site_url(published_incident, settings, site_url):
    # A release's citation and links are fixed once made: relative ones would never work.
    settings.SITE_URL = site_url
    with pytest.raises(CommandError, match="SITE_URL"):
        make("2026.1")
    assert not Release.objects.exists()
    assert not releases.storage().exists(releases.path("2026.1", "manifest.json"))
