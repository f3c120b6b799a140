"""backup -> restore round trips, with every hash verified, on SQLite and on PostgreSQL.

Each installation (the one backed up, the one restored into) is a database of its own with its
own media directories, driven through manage.py in subprocesses exactly as an operator would.
"""

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.lootwatch.support import manage, on_postgresql, production_env, throwaway_database


class Installation:
    def __init__(self, database_url, root):
        self.database_url = database_url
        self.public, self.private = root / "public", root / "private"
        self.env = production_env(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(self.public),
            PRIVATE_MEDIA_ROOT=str(self.private),
            REDIS_URL="",
        )

    def manage(self, *args):
        return manage(*args, **self.env)

    def run(self, *args):
        result = self.manage(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def files(self):
        """{(storage, name): sha256} of every file in this installation's storages."""
        found = {}
        for alias, root in (("default", self.public), ("evidence_originals", self.private)):
            for path in root.rglob("*"):
                if path.is_file():
                    found[(alias, path.relative_to(root).as_posix())] = sha256(path)
        return found

    def query(self, sql):
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return db.execute(sql).fetchall()


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


VENDORS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not on_postgresql(), reason="the suite runs on SQLite; CI runs it on PostgreSQL"
        ),
    ),
]


@pytest.fixture(scope="module", params=VENDORS)
def source(request, tmp_path_factory):
    """An installation with the demo data: claims with evidence, derivatives, reviews. Made
    once per database kind; tests that change it put it back."""
    root = tmp_path_factory.mktemp(f"source-{request.param}")
    if request.param == "sqlite":
        yield prepared(Installation(f"sqlite:///{root / 'source.sqlite3'}", root))
        return
    with throwaway_database(root) as url:
        yield prepared(Installation(url, root))


def prepared(installation):
    installation.run("migrate", "--no-input")
    installation.run("load_demo", "--no-accounts")
    # A dataset release: its files are named by its manifest, not by a FileField.
    installation.run("make_release", "2026.1")
    return installation


@pytest.fixture
def target(source, tmp_path):
    """An empty installation of the same kind: a blank database and empty storage."""
    if source.database_url.startswith("sqlite"):
        yield Installation(f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "target")
        return
    with throwaway_database(tmp_path) as url:
        yield Installation(url, tmp_path / "target")


def test_backup_and_restore_round_trip_with_every_hash_verified(source, target, tmp_path):
    backup = tmp_path / "backup"
    source.run("backup", str(backup))

    manifest = json.loads((backup / "manifest.json").read_text())
    assert oct(backup.stat().st_mode & 0o777) == "0o700"
    assert (backup / manifest["database"]["file"]).is_file()
    # The manifest names every stored file with its real hash, and the rows per model.
    assert {(f["storage"], f["name"]): f["sha256"] for f in manifest["files"]} == source.files()
    assert {f["storage"] for f in manifest["files"]} == {"default", "evidence_originals"}
    assert ("default", "releases/2026.1/manifest.json") in source.files()
    [(evidence_rows,)] = source.query("SELECT COUNT(*) FROM claims_evidence")
    assert evidence_rows >= 2  # one photo, attached to two claims, stored once
    assert manifest["counts"]["claims.evidence"] == evidence_rows
    assert (
        manifest["counts"]["incidents.incident"]
        == source.query("SELECT COUNT(*) FROM incidents_incident")[0][0]
    )

    restored = target.run("restore", str(backup))
    assert "every SHA-256 matches" in restored.stdout

    assert target.files() == source.files()
    for table in ("incidents_incident", "claims_claim", "claims_evidence", "claims_review"):
        sql = f"SELECT COUNT(*) FROM {table}"  # noqa: S608
        assert target.query(sql) == source.query(sql), table
    rows = "SELECT public_id, sha256, original, display, thumbnail FROM claims_evidence ORDER BY 1"
    assert target.query(rows) == source.query(rows)
    for _, digest, original, _, _ in target.query(rows):
        assert sha256(target.private / original) == digest

    # Restoring again into what is now a working installation is refused...
    again = target.manage("restore", str(backup))
    assert again.returncode != 0 and "not empty" in again.stderr
    # ...unless the operator asks for it.
    target.run("restore", "--replace", str(backup))


def test_a_tampered_file_makes_restore_fail_and_restore_nothing(source, target, tmp_path):
    backup = tmp_path / "backup"
    source.run("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    original = next(f for f in manifest["files"] if f["storage"] == "evidence_originals")
    tampered = backup / "files" / "evidence_originals" / original["name"]
    tampered.write_bytes(tampered.read_bytes() + b"\x00")

    refused = target.manage("restore", str(backup))
    assert refused.returncode != 0
    assert f"evidence_originals:{original['name']} was altered" in refused.stderr
    assert target.files() == {}  # nothing restored

    damaged = target.manage("restore", "--accept-damaged", str(backup))
    assert damaged.returncode != 0
    assert "mismatch: evidence" in damaged.stderr  # the restored row and file disagree
    assert target.query("SELECT COUNT(*) FROM claims_evidence")[0][0] > 0


def test_backup_reports_an_original_altered_in_storage(source, tmp_path):
    [(name,)] = source.query("SELECT DISTINCT original FROM claims_evidence")[:1]
    stored = source.private / name
    kept = stored.read_bytes()
    stored.write_bytes(b"not the original any more")
    try:
        result = source.manage("backup", str(tmp_path / "backup"))
    finally:
        stored.write_bytes(kept)
    assert result.returncode != 0
    assert f"altered: evidence_originals:{name}" in result.stderr
    # The backup is still written, faithfully, with the file as it now is.
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["name"] == name)
    assert entry["sha256"] == hashlib.sha256(b"not the original any more").hexdigest()
