"""Importing incidents and claims from a file (what export_incidents writes, or a CSV made
by hand), all or nothing, through the use-case services.

The whole file is applied in one transaction, each incident in a savepoint of its own, so
that every service's rules run on every line and every refusal is collected with its line
number; if any line was refused, or for a dry run, the transaction is rolled back and
nothing is written. ``run_import`` returns an ImportReport either way. New incidents are
checked line by line and written in batches (exchange.importing.batching).

A JSON Lines file is read twice, so that memory does not grow with the file: first for
the ids it names (exchange.importing.outline, without parsing its lines), which the database
is asked about at once, then one record at a time as it is applied. A CSV file is read
whole (the rows of one incident may be anywhere in it).
"""

import io
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction

from claims.models import Claim
from exchange.importing.applying import Importer, Outcome, RecordFailed, SkippedDuplicate
from exchange.importing.batching import BATCH, Batches
from exchange.importing.ids import canonical_uuid, is_uuid
from exchange.importing.names import look_up
from exchange.importing.outline import outline_jsonl
from exchange.importing.reading import (
    FORMATS,
    FileRefused,
    LineError,
    decode,
    detect_format,
    read_jsonl,
    read_records,
)
from exchange.importing.relays import claim_ids, held, link_later
from exchange.importing.resolving import References
from incidents.models import Incident

# Enough of a file to tell its format by.
HEAD = 64 * 1024

__all__ = ["FORMATS", "FileRefused", "ImportReport", "LineError", "run_import"]


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    counts: Counter = field(default_factory=Counter)
    claims: int = 0
    errors: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    created: dict = field(default_factory=dict)
    written: bool = False
    # Each incident of the file: {"line", "title", "id", "outcome"} (refused ones are errors).
    incidents: list = field(default_factory=list)

    def lines(self):
        """The summary, as the command prints it."""
        yield (
            f"{self.file_name}: {self.counts[Outcome.NEW]} new, "
            f"{self.counts[Outcome.UPDATED]} updated, {self.counts[Outcome.UNCHANGED]} unchanged, "
            f"{self.counts[Outcome.DUPLICATE]} skipped as duplicates, "
            f"{len({error.line for error in self.errors})} refused ({self.claims} claims read)."
        )
        for kind, names in self.created.items():
            if names:
                yield f"New {kind} ({len(names)}): {', '.join(sorted(names)[:20])}" + (
                    ", …" if len(names) > 20 else ""
                )
        for duplicate in self.duplicates:
            yield f"possible duplicate, {duplicate}"
        for error in self.errors:
            yield str(error)
        if self.errors:
            yield f"{len(self.errors)} problem(s): nothing was written. Fix them and import again."
        elif self.dry_run:
            yield "Dry run: nothing was written."
        else:
            yield "Imported."


def run_import(
    raw: bytes,
    *,
    file_name,
    user,
    format=None,
    dry_run=False,
    no_create=False,
    skip_duplicates=False,
    keep_review_state=False,
    progress=None,
) -> ImportReport:
    """Import the file ``raw`` (its bytes, or a binary file open for reading, which is read
    from where it is and must be seekable) as ``user``; see the module's docstring.

    Raise FileRefused if the file as a whole cannot be read. ``progress``, if given, is
    called with (records done, records in all)."""
    file = io.BytesIO(raw) if isinstance(raw, bytes | bytearray | memoryview) else raw
    start = file.tell()
    head = file.read(HEAD)
    file.seek(start)
    format = format or detect_format(file_name, head.decode("utf-8-sig", errors="ignore"))
    if format not in FORMATS:
        raise FileRefused(f"Unknown format {format!r}: use {' or '.join(FORMATS)}.")
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    if format == "jsonl":
        outline = outline_jsonl(file)
        file.seek(start)
        lines = io.TextIOWrapper(file, encoding="utf-8-sig", newline="\n")
        records = _storable(read_jsonl(lines, report.errors), report.errors)
        total = outline.lines
        ids = {canonical_uuid(i) for i in outline.ids if is_uuid(i)}
        relays = {canonical_uuid(i) for i in outline.relays if is_uuid(i)}
    else:
        records = read_records(decode(file.read()), format=format, errors=report.errors)
        records = list(_storable(records, report.errors))
        total = len(records)
        ids = {str(r.data.get("id")) for r in records} | claim_ids(records)
        relays = claim_ids(records, "reported_via")
    with transaction.atomic():
        references = References(user=user, no_create=no_create)
        importer = Importer(
            user=user,
            file_name=file_name,
            references=references,
            keep_review_state=keep_review_state,
            skip_duplicates=skip_duplicates,
            # Every id the file names (not only its claims'): see outline.IDS.
            file_claims=ids,
        )
        importer.held_incidents = held(Incident, ids)
        importer.held_claims = held(Claim, ids | relays)
        importer.relays = {relay.lower() for relay in relays}
        batches = importer.batches = Batches(importer)
        for done, record in enumerate(_looked_up(records, references, importer), start=1):
            report.claims += len(record.claim_lines)
            bulk = batches.takes(record)
            batches.note(record)
            if not bulk or batches.full:
                # Held records are written before a record applied alone: in file order.
                _written(report, batches)
            references.begin()
            references.defer = bulk
            importer.incident = None
            try:
                # A line held for a batch writes nothing until the batch (its new places,
                # sources and actors included): no savepoint to roll back to.
                with nullcontext() if bulk else transaction.atomic():
                    outcome = importer.apply(record, bulk=bulk)
            except RecordFailed as failure:
                report.errors += failure.errors
                references.forget_pending()
                continue
            except SkippedDuplicate:
                outcome = Outcome.DUPLICATE
                references.forget_pending()
            finally:
                if progress is not None:
                    progress(done, total)
            report.counts[outcome] += 1
            report.incidents.append(_listed(record, importer.incident, outcome))
        _written(report, batches)
        report.errors += link_later(importer)
        report.errors.sort(key=lambda error: error.line)
        report.duplicates = importer.duplicates
        report.created = references.created
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _storable(records, errors):
    """``records``, less those holding a NUL character (U+0000) anywhere, each refused
    with a LineError. PostgreSQL's text cannot hold one, and a line's names, URLs and
    files are asked about (looked up, checked for duplicates) before its fields are
    checked: the database refused the question, and the import failed with an unexpected
    error naming no line."""
    for record in records:
        if _holds_nul(record.data):
            errors.append(LineError(record.line, "", "holds a NUL character (U+0000)"))
        else:
            yield record


def _holds_nul(value):
    # A loop, not a recursion of generators: asked of every value of every line.
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            if "\0" in item:
                return True
        elif isinstance(item, dict):
            waiting += item
            waiting += item.values()
        elif isinstance(item, list):
            waiting += item
    return False


def _looked_up(records, references, importer):
    """``records``, a batch at a time, the places, sources and actors each batch names
    looked up at once (exchange.importing.names), and the claim URLs and evidence files
    it holds (its duplicate checks), before its records are applied."""
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= BATCH:
            look_up(references, chunk)
            importer.check.look_up(chunk)
            yield from chunk
            chunk = []
    look_up(references, chunk)
    importer.check.look_up(chunk)
    yield from chunk


def _written(report, batches):
    """Write the records ``batches`` holds; a record its services refused is an error (the
    batch was applied again one record at a time, to name every refused line)."""
    errors, refused = batches.write()
    report.errors += errors
    if refused:
        report.counts[Outcome.NEW] -= len(refused)
        report.incidents = [entry for entry in report.incidents if entry["line"] not in refused]


def _listed(record, incident, outcome):
    """An incident of the file as the admin lists it (by its title, a link once written)."""
    title = incident.title if incident is not None else record.data.get("title")
    public_id = incident.public_id if incident is not None else record.data.get("id")
    return {
        "line": record.line,
        "title": str(title or ""),
        "id": str(public_id or ""),
        "outcome": outcome.value,
    }
