"""Write a consistent snapshot of Lootwatch: database, evidence files and a manifest."""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from claims.models import Evidence
from lootwatch import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's online backup), every "
        "evidence original and derivative, and a manifest of SHA-256 hashes and row counts "
        "into the new directory DEST."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="A directory that does not exist yet (or is empty).")

    def handle(self, *args, dest, **options):
        dest = Path(dest)
        if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
            raise CommandError(f"{dest} exists and is not empty: give a new directory.")
        # It holds original evidence and password hashes: only its owner may read it.
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(dest, 0o700)

        if connection.vendor == "postgresql":
            database, counts, references, expected = self.snapshot_postgresql(dest)
        elif connection.vendor == "sqlite":
            database, counts, references, expected = self.snapshot_sqlite(dest)
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        self.stdout.write(
            f"Database: {sum(counts.values())} rows in {len(counts)} tables -> {database['file']}"
        )

        files, missing, altered = self.copy_files(dest, references, expected)
        manifest = {
            "format": backups.FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": database,
            "counts": counts,
            "files": files,
            "missing": missing,
        }
        # Written last: a directory without a manifest is an interrupted backup.
        (dest / backups.MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        total = sum(entry["size"] for entry in files)
        self.stdout.write(f"Files: {len(files)} ({total} bytes)")
        problems = [f"missing: {m['storage']}:{m['name']}" for m in missing] + altered
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"Backup written to {dest}, but {len(problems)} stored file(s) are missing or "
                "do not match their recorded SHA-256 (see above; run verify_evidence)."
            )
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {dest}"))

    def snapshot_postgresql(self, dest):
        """Dump the database and read counts and file names from one and the same snapshot,
        so that the manifest describes exactly what the dump holds."""
        pg_dump = shutil.which("pg_dump")
        if not pg_dump:
            raise CommandError(
                "pg_dump is not installed (Debian: apt-get install postgresql-client)."
            )
        target = dest / "database.dump"
        if connection.in_atomic_block:
            raise CommandError("Run backup outside a transaction.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            result = subprocess.run(  # noqa: S603 (fixed program, arguments not from a shell)
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(target)],
                env=libpq_environment(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            counts, references, expected = read_snapshot(cursor)
        return describe(target, "postgresql"), counts, references, expected

    def snapshot_sqlite(self, dest):
        """Copy the database with SQLite's online backup API (consistent even while the
        server writes), then read counts and file names from the copy."""
        target = dest / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            counts, references, expected = read_snapshot(copy.cursor())
        finally:
            copy.close()
        return describe(target, "sqlite"), counts, references, expected

    def copy_files(self, dest, references, expected):
        """Copy every referenced file through its storage, hashing as it goes."""
        files, missing, altered = [], [], []
        for alias, name in tqdm(
            sorted(references), desc="Copying files", unit="file", disable=None
        ):
            storage = storages[alias]
            path = backups.local_path(dest, alias, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                source = storage.open(name, "rb")
            except FileNotFoundError:
                missing.append({"storage": alias, "name": name})
                continue
            with source, open(path, "wb") as copy:
                shutil.copyfileobj(source, copy, backups.CHUNK)
            digest = backups.sha256_of_path(path)
            files.append(
                {"storage": alias, "name": name, "size": path.stat().st_size, "sha256": digest}
            )
            if alias == "evidence_originals" and expected.get(name, digest) != digest:
                altered.append(
                    f"altered: {alias}:{name} is {digest}, the database expects {expected[name]}"
                )
        return files, missing, altered


def read_snapshot(cursor):
    """Return (row counts by model, {(storage, name)}, {original name: sha256}) read with a
    DB-API cursor on the snapshot (a Django cursor in the exported-snapshot transaction, or
    sqlite3 on the copy)."""
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    counts = {}
    for label, model in sorted(backups.counted_models().items()):
        if model._meta.db_table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608
            counts[label] = cursor.fetchone()[0]
    references = set()
    for model, field, alias in backups.file_fields():
        cursor.execute(
            f"SELECT DISTINCT {quote(field.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(field.column)} IS NOT NULL AND {quote(field.column)} <> ''"
        )
        references.update((alias, name) for (name,) in cursor.fetchall())
    references.update(backups.listed_files(cursor))
    table = Evidence._meta.db_table
    cursor.execute(
        f"SELECT {quote(Evidence._meta.get_field('original').column)}, "  # noqa: S608
        f"{quote(Evidence._meta.get_field('sha256').column)} FROM {quote(table)}"
    )
    expected = dict(cursor.fetchall())
    return counts, references, expected


def describe(path, vendor):
    return {
        "vendor": vendor,
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": backups.sha256_of_path(path),
    }


def libpq_environment(settings_dict):
    """The environment that points pg_dump/pg_restore at Django's database. The password goes
    through the environment, never the command line (where `ps` would show it)."""
    environment = dict(os.environ)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    environment.update({key: value for key, value in values.items() if value})
    return environment
