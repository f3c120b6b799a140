"""Building a release's files from what partners see: the incidents as JSON Lines and
GeoJSON (the partner API's representation), the claims as the API's CSV, a changelog
against the previous release, CITATION.cff and manifest.json. Written by
exchange.services.make_release, checked by verify_releases."""

import csv
import hashlib
import json
import tempfile

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder

from claims.api.csv_columns import CLAIM_CSV_COLUMNS
from claims.api.representation import claim_representation
from claims.selectors import partner_claims
from exchange.export import CHUNK, represented
from exchange.models import Release
from incidents.dossier import software_version
from lootwatch.api.renderers import GeoJSONRenderer, defuse_cell

# The methodology page's definitions (templates/methodology.html), carried in every
# manifest so that a release explains its own grades.
GRADE_DEFINITIONS = {
    "unverified": "No claim has been verified or disputed yet.",
    "single_source": "Verified claims, all from one independent source, and none disputed.",
    "corroborated": "Verified claims from two or more independent sources, and none disputed.",
    "contested": "Some claims verified and some disputed.",
    "disputed": "At least one claim disputed and none verified.",
}
FILES = ("incidents.jsonl", "claims.csv", "incidents.geojson", "changelog.json", "CITATION.cff")


def storage():
    return storages["default"]


def path(version, name):
    return f"releases/{version}/{name}"


def stored_release_files(cursor):
    """(storage alias, name) of every release's stored files, manifest.json included, read
    with a DB-API cursor (the backup's snapshot); see lootwatch.backups."""
    table = Release._meta.db_table
    cursor.execute(f"SELECT version, manifest FROM {table}")  # noqa: S608 (a model's table)
    for version, manifest in cursor.fetchall():
        if isinstance(manifest, str):
            manifest = json.loads(manifest)
        for entry in [*manifest.get("files", []), {"name": "manifest.json"}]:
            yield "default", path(version, entry["name"])


def _dumps(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


# A release file stays in memory up to this size, then moves to a temporary file: a
# release of 100,000 incidents is some 600 MB of JSON Lines and GeoJSON.
SPOOL_BYTES = 8 * 1024 * 1024
READ_BYTES = 1024 * 1024


class ReleaseFile:
    """A release file as it is written (UTF-8 text), with its size and SHA-256 counted as
    it goes, so that nothing is read twice or held whole in memory. ``write()`` below
    stores and closes it (its temporary file goes then)."""

    def __init__(self, text=""):
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.digest = hashlib.sha256()
        self.size = 0
        if text:
            self.write(text)

    def write(self, text):
        data = text.encode()
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    @property
    def sha256(self):
        return self.digest.hexdigest()


def incident_files():
    """(incidents.jsonl, incidents.geojson as ReleaseFiles, {id: updated_at}) of what
    partners see now."""
    jsonl, geojson, index = ReleaseFile(), ReleaseFile(), {}
    geojson.write('{"type": "FeatureCollection", "features": [')
    first = True
    for incident in represented(status="published"):
        index[incident["id"]] = incident["updated_at"]
        jsonl.write(_dumps(incident) + "\n")
        for feature in (GeoJSONRenderer.feature(incident), GeoJSONRenderer.route(incident)):
            if feature is not None:
                geojson.write(("" if first else ",\n") + _dumps(feature))
                first = False
    geojson.write("]}\n")
    return jsonl, geojson, index


def claims_csv():
    """(claims.csv as the API's CSV in a ReleaseFile, number of claims)."""
    buffer = ReleaseFile()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in CLAIM_CSV_COLUMNS])
    claims, last, count = partner_claims().order_by("pk"), 0, 0
    while chunk := list(claims.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        for row in claim_representation(chunk):
            writer.writerow([defuse_cell(value(row)) for _, value in CLAIM_CSV_COLUMNS])
            count += 1
    return buffer, count


def previous_index(previous):
    """{id: updated_at} of the incidents in release ``previous`` (None: none)."""
    if previous is None:
        return {}
    index = {}
    with storage().open(path(previous.version, "incidents.jsonl"), "rb") as stored:
        for line in stored:
            incident = json.loads(line)
            index[incident["id"]] = incident["updated_at"]
    return index


def changelog(index, before, previous):
    return {
        "previous": previous.version if previous else None,
        "added": sorted(set(index) - set(before)),
        "changed": sorted(i for i in set(index) & set(before) if index[i] != before[i]),
        "withdrawn": sorted(set(before) - set(index)),
    }


def citation(version, created_at, url):
    return (
        "cff-version: 1.2.0\n"
        'message: "If you use this dataset, please cite it as below."\n'
        "type: dataset\n"
        'title: "Lootwatch: alleged wartime looting, incidents and sourced claims"\n'
        "authors:\n"
        '  - name: "Lootwatch"\n'
        f'version: "{version}"\n'
        f"date-released: {created_at:%Y-%m-%d}\n"
        f'url: "{url}"\n'
    )


def release_url(version):
    return f"{settings.SITE_URL}/releases/#release-{version}"


def stored_sha256(name):
    """The SHA-256 of stored file ``name``, read a megabyte at a time."""
    digest = hashlib.sha256()
    with storage().open(name, "rb") as stored:
        while chunk := stored.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def write(version, name, content: ReleaseFile):
    """Store one file of a new release; refuse to overwrite anything."""
    name = path(version, name)
    if storage().exists(name):
        raise FileExistsError(name)
    content.file.seek(0)
    try:
        stored = storage().save(name, File(content.file))
    finally:
        content.file.close()
    if stored != name:  # written meanwhile by someone else: leave theirs, take ours back
        storage().delete(stored)
        raise FileExistsError(name)
    return stored


def manifest(*, version, created_at, notes, files, counts, log):
    return {
        "title": "Lootwatch dataset",
        "version": version,
        "created_at": created_at.isoformat(),
        "software": software_version(),
        "notes": notes,
        "url": release_url(version),
        "counts": counts,
        "grades": GRADE_DEFINITIONS,
        "changelog": {key: len(value) for key, value in log.items() if key != "previous"}
        | {"previous": log["previous"]},
        "files": files,
    }
