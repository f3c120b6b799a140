"""Import throughput (issue 12: "at least 5,000 claims per second on PostgreSQL in the
benchmark"): `make bench-import`.

Generates N synthetic incidents in a source database (``generate_demo_data --incidents N
--seed 1``) and exports them as an editor's backup (``export_incidents --status all --staff
--format jsonl``), unless ``--file`` names an export already made; then imports the file
into an empty database (DATABASE_URL, migrated here) with ``--keep-review-state`` as an
editor, through ``exchange.importing.run_import``, the command's own function, timed with
a statement counter. Prints claims and incidents a second, statements a claim and the
load average; then the floor (scripts/import_floor.py): the same rows copied into an empty
database (DATABASE_URL's name with ``_floor``, dropped and created here) and their search
documents and counts built, in one transaction, and the import's ratio to it. Nothing is
asserted: figures go in README.md ("Throughput").

    createdb lw_src; createdb lw_import
    SOURCE_DATABASE_URL=postgres://…/lw_src DATABASE_URL=postgres://…/lw_import \\
        .venv/bin/python scripts/import_benchmark.py --incidents 10000
    DATABASE_URL=postgres://…/lw_import .venv/bin/python scripts/import_benchmark.py \\
        --file export.jsonl [--limit 1000]

Run it under ``flock /work/bench.lock`` on a shared machine.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")
os.environ.setdefault("DEBUG", "1")


class Counter:
    """Counts the statements sent to the database (cheaper than capturing them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)  # noqa: S603


def make_export(incidents, source_url, target):
    """Generate ``incidents`` incidents in the source database and export them to
    ``target``; return the seconds each step took."""
    manage("migrate", "--no-input", "-v", "0", database_url=source_url)
    started = time.perf_counter()
    manage("generate_demo_data", "--incidents", str(incidents), "--seed", "1",
           database_url=source_url)  # fmt: skip
    generated = time.perf_counter() - started
    started = time.perf_counter()
    manage("export_incidents", "--status", "all", "--staff", "--format", "jsonl",
           "-o", str(target), database_url=source_url)  # fmt: skip
    return generated, time.perf_counter() - started


def with_dispute_reasons(path, target, limit=None):
    """Write to ``target`` the first ``limit`` lines of the file at ``path``, each disputed
    claim given a dispute reason: the generator predates dispute reasons, and
    --keep-review-state refuses a dispute without one (as review_claim does). Line by
    line, so that the import's peak memory is its own."""
    with path.open("rb") as source, target.open("wb") as out:
        for number, line in enumerate(source):
            if limit is not None and number >= limit:
                break
            if b'"disputed"' in line:
                incident = json.loads(line)
                for claim in incident.get("claims") or ():
                    if claim.get("status") == "disputed" and not claim.get("dispute_reason"):
                        claim["dispute_reason"] = "other"
                line = json.dumps(incident, ensure_ascii=False).encode() + b"\n"
            out.write(line)


def editor():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(
        username="import-benchmark", defaults={"is_staff": True}
    )
    if created:
        user.groups.add(Group.objects.get(name="editor"))
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--file", help="An export to import (skips generating and exporting).")
    parser.add_argument("--limit", type=int, help="Import only the file's first N lines.")
    parser.add_argument("--profile", help="Write cProfile statistics of the import here.")
    parser.add_argument("--no-floor", action="store_true", help="Do not measure the floor.")
    options = parser.parse_args()

    path = Path(options.file) if options.file else None
    if path is None:
        source_url = os.environ.get("SOURCE_DATABASE_URL")
        if not source_url:
            parser.error("set SOURCE_DATABASE_URL (or give --file)")
        path = Path(tempfile.mkdtemp()) / f"export-{options.incidents}.jsonl"
        generated, exported = make_export(options.incidents, source_url, path)
        print(f"generated in {generated:.1f} s, exported in {exported:.1f} s: {path}")
    fixed = Path(tempfile.mkdtemp()) / path.name
    with_dispute_reasons(path, fixed, options.limit)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from exchange.importing import run_import
    from incidents.models import Incident

    if connection.vendor != "postgresql":
        parser.error("DATABASE_URL must name a PostgreSQL database")
    call_command("migrate", "--no-input", verbosity=0)
    if Incident.objects.exists():
        parser.error("the import's database (DATABASE_URL) must be empty: drop and create it")
    user = editor()

    counter = Counter()
    profiler = None
    if options.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    load_before = os.getloadavg()
    started = time.perf_counter()
    with connection.execute_wrapper(counter), fixed.open("rb") as raw:
        report = run_import(raw, file_name=path.name, user=user, keep_review_state=True)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(options.profile)

    for line in list(report.lines())[:6]:
        print(line)
    incidents = sum(report.counts.values())
    print(
        f"imported {incidents:,} incidents, {report.claims:,} claims in {elapsed:.1f} s: "
        f"{report.claims / elapsed:,.0f} claims/s, {incidents / elapsed:,.0f} incidents/s, "
        f"{counter.count / max(report.claims, 1):.2f} statements a claim "
        f"({counter.count:,} in all); load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f} (1 min)"
    )
    if report.written and not options.no_floor:
        floor(report, elapsed)
    return 0 if report.written else 1


def measure_floor(url):
    """scripts/import_floor.py for the import's database at ``url``, into a database of
    its own (dropped, created and migrated here): (seconds, seconds copying, {table: rows})."""
    from incidents import fulltext, listed_counts, map_cells, map_grid, week_counts
    from scripts import import_floor

    empty = import_floor.floor_url(url)
    import_floor.recreate(empty)
    manage("migrate", "--no-input", "-v", "0", database_url=empty)
    build = [
        # As fulltext.deferred builds every document at once (statistics first).
        "ANALYZE claims_claim, incidents_incident, incidents_place",
        fulltext.UPSERT.format(where="true"),
        map_grid.RECOUNT,
        map_cells.RECOUNT,
        week_counts.RECOUNT,
    ]
    silencing = [fulltext.SETTING, listed_counts.SETTING]
    return import_floor.measure(url, empty, build, silencing)


def floor(report, elapsed):
    """Measure the floor (scripts/import_floor.py) and print it beside the import."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    seconds, copying, copied = measure_floor(os.environ["DATABASE_URL"])
    rows = sum(copied.values())
    print(
        f"floor ({database['NAME']}_floor): {rows:,} rows of {len(copied)} tables copied "
        f"({copying:.1f} s) and their search documents and counts built, in {seconds:.1f} s: "
        f"{report.claims / seconds:,.0f} claims/s; the import took {elapsed / seconds:.2f}× "
        f"the floor; load average {os.getloadavg()[0]:.2f} (1 min)"
    )


if __name__ == "__main__":
    sys.exit(main())
