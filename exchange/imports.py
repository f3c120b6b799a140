"""Imports uploaded in the admin: the file is checked by a dry run on a Celery worker, the
editor reads the preview and confirms, and a worker imports it; progress is kept in the
shared cache, so the admin shows it while the worker's transaction is still open. No
request waits for an import. The service functions here are the only writers of ImportRun.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from claims.rules import can_review
from exchange.importing import FileRefused, run_import
from exchange.importing.reading import FORMATS, csv_header_of, decode, detect_format
from exchange.models import ImportRun, ImportState
from lootwatch.celery import app as celery_app

logger = logging.getLogger(__name__)

CHECK_TASK = "exchange.check_import"
APPLY_TASK = "exchange.apply_import"
OPTIONS = ("no_create", "skip_duplicates", "keep_review_state")


def progress_key(run):
    return f"exchange:import-progress:{run.public_id}"


def progress(run):
    """(done, total) records of the step running now, or None."""
    return cache.get(progress_key(run))


def _enqueue(task, run):
    if settings.IMPORTS_IN_PROCESS:
        (check_run if task == CHECK_TASK else apply_run)(run_id=run.pk)
    else:
        celery_app.send_task(task, args=[run.pk])


def _require_editor(user):
    if not can_review(user):
        raise PermissionDenied("Only editors may import files.")


@transaction.atomic
def queue_import(*, file, uploaded_by, options=None):
    """Keep an uploaded file and have it checked (a dry run) by a worker; return the
    ImportRun. Raise ValidationError for a file too large, not UTF-8, of an unknown kind or
    without the columns an import needs: nothing is kept then."""
    _require_editor(uploaded_by)
    if file.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; at most "
            f"{filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)} can be imported here "
            "(larger files: python manage.py import_incidents)."
        )
    raw = file.read()
    name = file.name.rsplit("/", 1)[-1]
    if not name.lower().endswith((".jsonl", ".ndjson", ".json", ".csv")):
        raise ValidationError("Upload a .jsonl or .csv file, as export_incidents writes.")
    try:
        text = decode(raw)
        format = detect_format(name, text)
        if format not in FORMATS or not text.strip():
            raise FileRefused("The file is empty.")
        if format == "csv":
            csv_header_of(text)
    except FileRefused as error:
        raise ValidationError(str(error)) from error
    options = {key: bool((options or {}).get(key)) for key in OPTIONS}
    run = ImportRun.objects.create(
        file_name=name, content=raw, options=options, uploaded_by=uploaded_by
    )
    transaction.on_commit(lambda: _enqueue(CHECK_TASK, run), robust=True)
    return run


@transaction.atomic
def confirm_import(*, run, editor):
    """Have a checked run imported for real by a worker. Only the editor who uploaded the
    file confirms it: the import and its reviews are recorded as theirs."""
    _require_editor(editor)
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.state != ImportState.CHECKED:
        raise ValidationError("Only a file checked without problems can be imported.")
    if run.uploaded_by_id != editor.pk:
        raise PermissionDenied(
            "Only the editor who uploaded this file may confirm it: the import is recorded "
            "as theirs. Upload it yourself to import it as you."
        )
    run.state = ImportState.QUEUED
    run.save(update_fields=["state"])
    transaction.on_commit(lambda: _enqueue(APPLY_TASK, run), robust=True)
    return run


def _run(run_id, *, dry_run):
    run = ImportRun.objects.select_related("uploaded_by").get(pk=run_id)
    key = progress_key(run)
    try:
        report = run_import(
            bytes(run.content),
            file_name=run.file_name,
            user=run.uploaded_by,
            dry_run=dry_run,
            progress=lambda done, total: cache.set(key, (done, total), 3600),
            **run.options,
        )
    except (FileRefused, ValidationError, PermissionDenied) as error:
        text, ok = f"{run.file_name}: {error} Nothing was written.", False
        details = {}
    except Exception:
        # Never a run stuck "checking" or "importing": refused or failed, and logged.
        logger.exception("Import run %s failed", run.pk)
        text, ok = f"{run.file_name}: an unexpected error (logged). Nothing was written.", False
        details = {}
    else:
        text, ok = "\n".join(report.lines()), not report.errors
        details = {
            "incidents": report.incidents,
            "duplicates": [str(duplicate) for duplicate in report.duplicates],
        }
    if dry_run:
        run.state = ImportState.CHECKED if ok else ImportState.REFUSED
    else:
        run.state = ImportState.DONE if ok else ImportState.FAILED
        run.finished_at = timezone.now()
    run.report, run.details = text, details
    update = ["state", "report", "details", "finished_at"]
    if run.state != ImportState.CHECKED:
        run.content = b""  # done, refused or failed: the file is not kept
        update.append("content")
    run.save(update_fields=update)
    cache.delete(key)
    return run


def check_run(*, run_id):
    """The dry run of an uploaded file (a worker's task)."""
    return _run(run_id, dry_run=True)


def apply_run(*, run_id):
    """The import of a confirmed file (a worker's task). The run is claimed atomically, so
    a redelivered task (acks_late) never imports it twice."""
    claimed = ImportRun.objects.filter(pk=run_id, state=ImportState.QUEUED).update(
        state=ImportState.IMPORTING
    )
    if not claimed:
        return ImportRun.objects.get(pk=run_id)
    return _run(run_id, dry_run=False)
