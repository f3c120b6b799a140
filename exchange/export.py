"""Writing incidents out as JSON Lines or CSV, in constant memory: the incidents are read in
chunks of CHUNK by primary key (keyset, in one snapshot), each chunk built from rows in a
constant number of queries by the partner API list's own fast path
(incidents.api.representation), so an export says exactly what the API says; editors'
exports by exchange.staff_rows, which adds staff-only fields, under ``staff``, only when
asked for."""

import contextlib
import csv
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from claims.api.plain import Rendering
from exchange.formats import csv_header, csv_rows
from exchange.selectors import incidents_for_export
from exchange.staff_rows import staff_page_data
from incidents.api.related_rows import with_related_rows
from incidents.api.representation import incident_page_representation, incident_representation
from incidents.selectors import partner_incidents
from lootwatch.api.renderers import defuse_cell

# Incidents read and written per chunk: enough that each chunk's few queries cost little
# against its rows, few enough that memory stays small (some 10 MB of data a chunk).
CHUNK = 1000
FORMATS = ("jsonl", "csv")


def represented(*, status="published", staff=False, since=None):
    """Yield the representation of each incident the export writes, in ``pk`` order,
    reading CHUNK incidents at a time after the last one read (never an OFFSET), each
    chunk in a constant number of queries: the API list's fast path
    (incidents.api.representation.incident_page_representation) for what partners see,
    exchange.staff_rows for editors' exports. Inside a transaction (the export's snapshot,
    a release's), PostgreSQL compiles none of them (_without_jit)."""
    incidents = incidents_for_export(status=status, staff=staff, since=since)
    partner = status == "published" and not staff
    page = incident_page_representation
    if partner and connection.vendor == "postgresql":
        incidents = with_related_rows(incidents)
    elif partner:
        # Elsewhere (SQLite, in development) each chunk is read through the prefetching
        # representation the API's detail uses, which gives the same data
        # (tests/api/test_fast_path.py): the list's row path fails there as it stands.
        incidents = partner_incidents().filter(pk__in=incidents.values("pk")).order_by("pk")
        page = incident_representation
    rendering = Rendering(None, settings.SITE_URL)
    _without_jit()
    last = 0
    while chunk := list(incidents.filter(pk__gt=last)[:CHUNK]):
        first, last = last, chunk[-1].pk
        if partner:
            yield from page(chunk)
            continue
        # The chunk's keys as a subquery rather than a thousand parameters a query,
        # which cost Django more to bind than PostgreSQL to read.
        ids = incidents.filter(pk__gt=first, pk__lte=last).values("pk")
        yield from staff_page_data(
            chunk, rendering, ids=ids, published=status == "published", staff=staff
        )


class _Line:
    """A file-like object holding the last line csv.writer wrote."""

    def write(self, text):
        self.text = text


@contextlib.contextmanager
def snapshot():
    """One transaction whose reads all see the database as it was at its first read
    (REPEATABLE READ, read-only, on PostgreSQL; SQLite's transactions read one state
    anyway), so that an edit committed while a long export runs cannot give it half an old
    and half a new record set. Inside a caller's transaction, that transaction is used."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _without_jit():
    """Turn PostgreSQL's JIT compilation off for the rest of the current transaction: a
    chunk's statements are planned for the whole table before their LIMIT, which costs
    more than jit_above_cost, and compiling them took some 0.7 s a statement at 100,000
    incidents (EXPLAIN ANALYZE) to read 1,000 rows in 0.1 s."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def iter_export(*, format="jsonl", status="published", staff=False, since=None):
    """Yield the export as text, one incident (its line, or its rows) at a time, every
    chunk read in one snapshot of the database."""
    if format not in FORMATS:
        raise ValueError(f"Unknown format {format!r}: use {' or '.join(FORMATS)}.")
    with snapshot():
        yield from _iter_export(format=format, status=status, staff=staff, since=since)


def _iter_export(*, format, status, staff, since):
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    if format == "csv":
        writer.writerow(csv_header(staff=staff))
        yield line.text
    for data in represented(status=status, staff=staff, since=since):
        if format == "jsonl":
            yield json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
            continue
        rows = []
        for row in csv_rows(data, staff=staff, cell=defuse_cell):
            writer.writerow(row)
            rows.append(line.text)
        yield "".join(rows)


def write_export(out, *, progress=None, **options):
    """Write the export (see iter_export) to the text stream ``out``; return the number of
    incidents. ``progress``, if given, is called with the number written so far."""
    count = 0
    for index, text in enumerate(iter_export(**options)):
        out.write(text)
        if index or options.get("format") != "csv":
            count += 1
            if progress is not None:
                progress(count)
    return count


def count_for_export(*, status="published", staff=False, since=None):
    return incidents_for_export(status=status, staff=staff, since=since).count()
