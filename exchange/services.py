"""Making a dataset release: the one writer of Release rows and their files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange import releases
from exchange.models import Release, StaffExport
from incidents.rules import require
from lootwatch.checks import site_url_problem

RELEASE_PERMISSION = "exchange.make_release"


def make_release(*, version, notes="", made_by):
    """Snapshot what partners see now as release ``version``, made by ``made_by`` (an
    editor or a superuser: the permission exchange.make_release), and return the Release.

    Every file is read in one snapshot of the database (REPEATABLE READ on PostgreSQL).
    The files are written first, under releases/<version>/, then the row, in one
    transaction: if anything fails midway the files written so far are deleted, so there
    is never half a release. Raise PermissionDenied for anyone else, ValidationError for
    a version already used or malformed."""
    require(made_by, RELEASE_PERMISSION, _("You are not allowed to make dataset releases."))
    if problem := site_url_problem(settings.SITE_URL):
        raise ValidationError({"version": problem})
    outermost = not connection.in_atomic_block
    written = []
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return _make_release(version=version, notes=notes, made_by=made_by, written=written)
    except BaseException:
        for name in written:
            releases.storage().delete(name)
        raise


def _make_release(*, version, notes, made_by, written):
    release = Release(version=version, notes=notes or "", created_by=made_by, manifest={})
    release.full_clean(exclude=["manifest", "manifest_sha256"])
    storage = releases.storage()
    if any(
        storage.exists(releases.path(version, name)) for name in (*releases.FILES, "manifest.json")
    ):
        raise ValidationError({"version": "Files of this version are already stored."})
    created_at = timezone.now()
    previous = Release.objects.order_by("-created_at", "-pk").first()
    jsonl, geojson, index = releases.incident_files()
    claims_csv, claims = releases.claims_csv()
    log = releases.changelog(index, releases.previous_index(previous), previous)
    contents = {
        "incidents.jsonl": jsonl,
        "claims.csv": claims_csv,
        "incidents.geojson": geojson,
        "changelog.json": releases.ReleaseFile(releases._dumps(log)),
        "CITATION.cff": releases.ReleaseFile(
            releases.citation(version, created_at, releases.release_url(version))
        ),
    }
    files = []
    for name, content in contents.items():
        written.append(releases.write(version, name, content))
        files.append({"name": name, "size": content.size, "sha256": content.sha256})
    manifest = releases.manifest(
        version=version,
        created_at=created_at,
        notes=release.notes,
        files=files,
        counts={"incidents": len(index), "claims": claims},
        log=log,
    )
    manifest_file = releases.ReleaseFile(releases._dumps(manifest))
    written.append(releases.write(version, "manifest.json", manifest_file))
    release.manifest = manifest
    release.manifest_sha256 = manifest_file.sha256
    release.created_at = created_at
    release.save()
    return release


def verify_release(release):
    """Return the problems found re-hashing ``release``'s stored files (empty: none)."""
    problems = []
    expected = [
        *release.files,
        {"name": "manifest.json", "sha256": release.manifest_sha256, "size": None},
    ]
    for entry in expected:
        name = releases.path(release.version, entry["name"])
        if not releases.storage().exists(name):
            problems.append(f"{release.version}/{entry['name']}: missing")
            continue
        if releases.stored_sha256(name) != entry["sha256"]:
            problems.append(f"{release.version}/{entry['name']}: SHA-256 does not match")
    return problems


STAFF_EXPORT_PERMISSION = "exchange.export_staff_data"


@transaction.atomic
def record_staff_export(*, exported_by, via, format, status, since=None, incidents=0):
    """Check that ``exported_by`` may export staff-only fields and write the audit row of
    that export (before its first byte leaves). ``exported_by`` None is a shell on the
    server (export_incidents without --as): recorded as such, no account to check."""
    if via == "admin" or exported_by is not None:
        require(
            exported_by,
            STAFF_EXPORT_PERMISSION,
            _("You are not allowed to export staff-only data."),
        )
    return StaffExport.objects.create(
        exported_by=exported_by,
        via=via,
        detail={
            "format": format,
            "status": status,
            "since": since.isoformat() if since else None,
            "incidents": incidents,
        },
    )
