"""Writing incidents out as JSON Lines or CSV, in constant memory: the incidents are read in
chunks of CHUNK by primary key, each chunk serialized by the partner API's representation
(incidents.api.representation), so an export says exactly what the API says. Staff-only
fields are added, under ``staff``, only when asked for."""

import contextlib
import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from exchange.formats import csv_header, csv_rows
from exchange.selectors import incidents_for_export
from incidents.api.representation import incident_representation
from lootwatch.api.renderers import defuse_cell

CHUNK = 500
FORMATS = ("jsonl", "csv")


def staff_incident(incident):
    """What partners never see of ``incident``: its editorial status and notes, who logged
    it, and its place as it is (unrounded, named)."""
    place = incident.place
    return {
        "status": incident.status,
        "internal_notes": incident.internal_notes,
        "created_by": incident.created_by.get_username(),
        "place": {
            "name": place.name,
            "alternative_names": place.alternative_names,
            "admin2": place.admin2,
            "latitude": str(place.latitude),
            "longitude": str(place.longitude),
            "exact_location_public": place.exact_location_public,
        },
    }


def staff_claim(claim):
    """What partners never see of ``claim``: its source's identity, its links when that is
    protected, its translator, notes, who logged it and its files' SHA-256."""
    source = claim.source
    return {
        "source": {
            "name": source.name,
            "country": source.country,
            "url": source.url,
            "identity_protected": source.identity_protected,
            "public_code": source.public_code,
            "organisation": source.organisation.name if source.organisation_id else "",
        },
        "url": claim.url,
        "archived_url": claim.archived_url,
        "translated_by": claim.translated_by,
        "translator_kind": claim.translator_kind,
        "internal_notes": claim.internal_notes,
        "submitted_by": claim.submitted_by.get_username(),
        "evidence": [
            {"id": str(evidence.public_id), "sha256": evidence.sha256}
            for evidence in claim.all_evidence
        ],
    }


def represented(incidents, *, staff=False):
    """Yield the representation of each incident of ``incidents`` (ordered by ``pk``),
    reading CHUNK at a time."""
    last = 0
    while True:
        chunk = list(incidents.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        for incident, data in zip(chunk, incident_representation(chunk), strict=True):
            if staff:
                data["staff"] = staff_incident(incident)
                extra = {
                    str(claim.public_id): staff_claim(claim) for claim in incident.partner_claims
                }
                for claim in data["claims"]:
                    claim["staff"] = extra[str(claim["id"])]
            yield data


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


def iter_export(*, format="jsonl", status="published", staff=False, since=None):
    """Yield the export as text, one incident (its line, or its rows) at a time, every
    chunk read in one snapshot of the database."""
    if format not in FORMATS:
        raise ValueError(f"Unknown format {format!r}: use {' or '.join(FORMATS)}.")
    with snapshot():
        yield from _iter_export(format=format, status=status, staff=staff, since=since)


def _iter_export(*, format, status, staff, since):
    incidents = incidents_for_export(status=status, staff=staff, since=since)
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    if format == "csv":
        writer.writerow(csv_header(staff=staff))
        yield line.text
    for data in represented(incidents, staff=staff):
        if format == "jsonl":
            yield json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
            continue
        rows = []
        for row in csv_rows(data, staff=staff):
            writer.writerow([defuse_cell(value) for value in row])
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
