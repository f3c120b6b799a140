"""Bring a backup made by ``backup`` into an empty installation and prove it is whole."""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from claims.models import Evidence
from lootwatch import backups
from lootwatch.management.commands.backup import libpq_environment

# Rows in any of these mean the installation is in use (migrations alone create none).
USER_DATA = ("auth.user", "incidents.incident", "claims.claim", "claims.evidence", "claims.source")


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `backup` into an empty installation, then verify "
        "every file's SHA-256 against the manifest and every original against its evidence "
        "row. Exits non-zero on any mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="A backup directory (with manifest.json).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Restore even though this installation has data: it is replaced.",
        )
        parser.add_argument(
            "--accept-damaged",
            action="store_true",
            help=(
                "Restore even if files in the backup do not match the manifest (the command "
                "still exits non-zero and lists them)."
            ),
        )

    def handle(self, *args, src, replace, accept_damaged, **options):
        src = Path(src)
        try:
            manifest = json.loads((src / backups.MANIFEST).read_text())
        except FileNotFoundError:
            raise CommandError(f"{src} has no {backups.MANIFEST}: not a complete backup.") from None
        if manifest.get("format") != backups.FORMAT:
            raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
        database = manifest["database"]
        if database["vendor"] != connection.vendor:
            raise CommandError(
                f"This backup holds a {database['vendor']} database; this installation uses "
                f"{connection.vendor}."
            )

        # Check the backup before touching anything.
        damaged = self.check_backup(src, manifest)
        if damaged and not accept_damaged:
            for problem in damaged:
                self.stderr.write(problem)
            raise CommandError(
                f"The backup is damaged ({len(damaged)} problem(s) above); nothing was restored. "
                "Use another backup, or --accept-damaged to restore what is there."
            )
        if not replace and (reason := self.in_use(manifest)):
            raise CommandError(
                f"This installation is not empty ({reason}). Restore into a new database and "
                "empty storage, or pass --replace to overwrite it."
            )

        self.restore_database(src / database["file"], database["vendor"])
        self.stdout.write("Database restored.")
        self.restore_files(src, manifest, replace=replace)

        problems = damaged + self.verify(manifest)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Restored, but {len(problems)} check(s) failed (see above).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {sum(manifest['counts'].values())} rows, "
                f"{len(manifest['files'])} files, every SHA-256 matches."
            )
        )

    def check_backup(self, src, manifest):
        problems = []
        database = manifest["database"]
        path = src / database["file"]
        if not path.is_file() or backups.sha256_of_path(path) != database["sha256"]:
            problems.append(f"damaged: the database file {database['file']} does not match")
        for entry in tqdm(manifest["files"], desc="Checking backup", unit="file", disable=None):
            path = backups.local_path(src, entry["storage"], entry["name"])
            if not path.is_file():
                problems.append(f"damaged: {entry['storage']}:{entry['name']} is not in the backup")
            elif backups.sha256_of_path(path) != entry["sha256"]:
                problems.append(f"damaged: {entry['storage']}:{entry['name']} was altered")
        return problems

    def in_use(self, manifest):
        """Return why this installation is not empty, or None."""
        existing = set(connection.introspection.table_names())
        models = backups.counted_models()
        for label in USER_DATA:
            model = models[label]
            if model._meta.db_table in existing and model._base_manager.exists():
                return f"it has {model._meta.verbose_name_plural}"
        for entry in manifest["files"]:
            if storages[entry["storage"]].exists(entry["name"]):
                return f"{entry['storage']} already holds {entry['name']}"
        return None

    def restore_database(self, path, vendor):
        if vendor == "postgresql":
            pg_restore = shutil.which("pg_restore")
            if not pg_restore:
                raise CommandError(
                    "pg_restore is not installed (Debian: apt-get install postgresql-client)."
                )
            # pg_restore drops and recreates the tables: no session of ours may hold them.
            connection.close()
            result = subprocess.run(  # noqa: S603 (fixed program, arguments not from a shell)
                [
                    pg_restore,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(path),
                ],
                env=libpq_environment(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            source = sqlite3.connect(path)
            try:
                # Replaces the whole database, schema included, in one step.
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()

    def restore_files(self, src, manifest, *, replace):
        for entry in tqdm(manifest["files"], desc="Restoring files", unit="file", disable=None):
            storage, name = storages[entry["storage"]], entry["name"]
            if storage.exists(name):
                if not replace:
                    raise CommandError(f"{entry['storage']} already holds {name}")
                storage.delete(name)
            with open(backups.local_path(src, entry["storage"], name), "rb") as file:
                saved = storage.save(name, File(file))
            if saved != name:
                raise CommandError(f"{entry['storage']} stored {name} as {saved}")

    def verify(self, manifest):
        """Compare the restored rows and files with the manifest and the evidence rows."""
        problems = []
        models = backups.counted_models()
        for label, expected in manifest["counts"].items():
            model = models.get(label)
            actual = model._base_manager.count() if model else None
            if actual != expected:
                problems.append(f"count: {label} has {actual} rows, the backup {expected}")

        stored = {}
        for entry in tqdm(manifest["files"], desc="Verifying files", unit="file", disable=None):
            storage = storages[entry["storage"]]
            with storage.open(entry["name"], "rb") as file:
                digest = backups.sha256_of(file)
            stored[(entry["storage"], entry["name"])] = digest
            if digest != entry["sha256"]:
                problems.append(f"mismatch: {entry['storage']}:{entry['name']} (manifest)")
        for evidence in Evidence.objects.only("pk", "original", "sha256"):
            digest = stored.get(("evidence_originals", evidence.original.name))
            if digest != evidence.sha256:
                problems.append(
                    f"mismatch: evidence {evidence.pk} expects {evidence.sha256}, "
                    f"its original {evidence.original.name} is {digest or 'missing'}"
                )
        return problems
