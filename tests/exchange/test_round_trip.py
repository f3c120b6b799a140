"""export -> import (with --keep-review-state) into an empty installation -> export again
gives the same records, driven through manage.py as an operator would, on the suite's
database server (PostgreSQL in CI)."""

import json

import pytest

from tests.lootwatch.support import manage, production_env, throwaway_database

pytestmark = pytest.mark.django_db


class Installation:
    def __init__(self, url, root):
        self.env = production_env(
            DATABASE_URL=url,
            MEDIA_ROOT=str(root / "public"),
            PRIVATE_MEDIA_ROOT=str(root / "private"),
            REDIS_URL="",
        )

    def run(self, *args):
        result = manage(*args, **self.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result


# What a new installation cannot keep: its own integer ids and times of the new writes,
# who logged (the importing editor), and what import leaves to editors (routes, links,
# evidence files, the incident's editorial status: imported incidents arrive submitted).
LOCAL = ("created_at", "updated_at", "route", "linked_incidents")


def comparable(path):
    records = {}
    for line in path.read_text().splitlines():
        incident = json.loads(line)
        for key in LOCAL:
            incident.pop(key)
        incident["place"].pop("id")
        for actor in incident["actors"]:
            actor.pop("id")
        for key in ("status", "created_by"):
            incident["staff"].pop(key)
        for claim in incident["claims"]:
            for key in ("created_at", "updated_at", "reviewed_at", "evidence"):
                claim.pop(key)
            claim["source"].pop("id")
            claim["staff"].pop("submitted_by")
            claim["staff"].pop("evidence")
        records[incident["id"]] = incident
    return records


def test_export_import_export_keeps_every_record(tmp_path):
    with (
        throwaway_database(tmp_path / "a") as first_url,
        throwaway_database(tmp_path / "b") as second_url,
    ):
        first = Installation(first_url, tmp_path / "a")
        first.run("migrate", "--no-input")
        first.run("load_demo", "--no-accounts")
        exported = tmp_path / "first.jsonl"
        first.run("export_incidents", "--status", "all", "--staff", "-o", str(exported))

        second = Installation(second_url, tmp_path / "b")
        second.run("migrate", "--no-input")
        second.run(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            "u = User.objects.create_user('migrator', is_staff=True); "
            "u.groups.add(Group.objects.get(name='editor'))",
        )
        result = second.run(
            "import_incidents", str(exported), "--as", "migrator", "--keep-review-state"
        )
        assert "0 refused" in result.stdout
        again = tmp_path / "second.jsonl"
        second.run("export_incidents", "--status", "all", "--staff", "-o", str(again))

        before, after = comparable(exported), comparable(again)
        assert len(before) >= 4
        assert after == before
        claims = [claim for incident in after.values() for claim in incident["claims"]]
        assert {claim["status"] for claim in claims} >= {"verified", "disputed"}
        assert any(claim["reported_via"] for claim in claims)

        # Importing the same file again is a no-op.
        result = second.run(
            "import_incidents", str(exported), "--as", "migrator", "--keep-review-state"
        )
        assert f"0 new, 0 updated, {len(before)} unchanged" in result.stdout
