"""Editors import from the admin: the upload is checked by a real Celery worker (a dry run),
the preview shown, and only the editor's confirmation imports it, on the worker again.
Export streams from the admin."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import ImportRun, ImportState
from incidents.models import Incident
from tests.celery_worker import celery_worker
from tests.exchange.test_import import HAND_MADE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(settings):
    settings.IMPORTS_IN_PROCESS = False
    with celery_worker(settings) as running:
        yield running


def wait_for_state(run, *states, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state in states:
            return run
        time.sleep(0.1)
    raise AssertionError(f"still {run.state}: {run.report}")


def upload(client, content, name="sheet.csv", **options):
    return client.post(
        "/admin/exchange/importrun/upload/",
        {"file": SimpleUploadedFile(name, content), **options},
    )


def test_upload_is_checked_then_imported_on_confirmation(worker, editor_client):
    response = upload(editor_client, HAND_MADE.encode())
    assert response.status_code == 302
    run = ImportRun.objects.get()
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    wait_for_state(run, ImportState.CHECKED, ImportState.REFUSED)
    assert run.state == ImportState.CHECKED, run.report
    assert "1 new" in run.report and "Dry run" in run.report
    assert not Incident.objects.exists()
    assert b"Import for real" in editor_client.get(response["Location"]).content

    editor_client.post(f"/admin/exchange/importrun/{run.pk}/confirm/")
    wait_for_state(run, ImportState.DONE, ImportState.FAILED)
    assert run.state == ImportState.DONE, run.report
    incident = Incident.objects.get()
    assert incident.status == "submitted" and incident.claims.count() == 2
    assert incident.history.get().history_change_reason == "imported from sheet.csv, line 2"


def test_a_bad_file_is_refused_with_every_line(worker, editor_client):
    bad = HAND_MADE.replace("2022-03-25", "2022-03-01").encode()
    upload(editor_client, bad)
    run = wait_for_state(ImportRun.objects.get(), ImportState.REFUSED, ImportState.CHECKED)
    assert run.state == ImportState.REFUSED
    assert "line 2:" in run.report and "nothing was written" in run.report
    editor_client.post(f"/admin/exchange/importrun/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.state == ImportState.REFUSED and not Incident.objects.exists()


def test_malformed_and_oversized_files_are_refused_at_upload(editor_client, settings):
    page = upload(editor_client, b"\xff\xfe not utf-8")
    assert b"not UTF-8" in page.content
    page = upload(editor_client, b"{}", name="notes.txt")
    assert b"Upload a .jsonl or .csv file" in page.content
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    page = upload(editor_client, HAND_MADE.encode())
    assert b"at most" in page.content
    assert not ImportRun.objects.exists()


def test_journalists_cannot_import(journalist_client):
    assert upload(journalist_client, HAND_MADE.encode()).status_code in (302, 403)
    assert not ImportRun.objects.exists()


def test_export_streams_from_the_admin(editor_client, published_incident):
    response = editor_client.post(
        "/admin/exchange/importrun/export/", {"format": "jsonl", "status": "published"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert str(published_incident.public_id) in body
