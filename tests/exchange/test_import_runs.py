"""Admin import runs in process (IMPORTS_IN_PROCESS): only the uploader confirms, a run is
claimed once, an unexpected error ends the run instead of leaving it "checking", the file
is not kept once the run is over, and a malformed id is a 404 after the permission check."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange import imports
from exchange.models import ImportRun, ImportState
from incidents.models import Incident
from tests.exchange.test_import import HAND_MADE


@pytest.fixture(autouse=True)
def in_process(settings):
    settings.IMPORTS_IN_PROCESS = True


def queue(user, content, name="sheet.csv", capture=None):
    with capture(execute=True):
        run = imports.queue_import(file=SimpleUploadedFile(name, content), uploaded_by=user)
    run.refresh_from_db()
    return run


def test_only_the_uploader_confirms_once_and_the_file_is_not_kept(
    editor, other_editor, django_capture_on_commit_callbacks
):
    run = queue(editor, HAND_MADE.encode(), capture=django_capture_on_commit_callbacks)
    assert run.state == ImportState.CHECKED and bytes(run.content)
    with pytest.raises(PermissionDenied, match="uploaded this file"):
        imports.confirm_import(run=run, editor=other_editor)
    with django_capture_on_commit_callbacks(execute=False):
        imports.confirm_import(run=run, editor=editor)
    run.refresh_from_db()
    assert run.state == ImportState.QUEUED
    imports.apply_run(run_id=run.pk)
    imports.apply_run(run_id=run.pk)  # a redelivered task: the run is claimed already
    run.refresh_from_db()
    assert run.state == ImportState.DONE and bytes(run.content) == b""
    assert Incident.objects.filter(title="Cars taken in Bucha").count() == 1


def test_an_unexpected_error_ends_the_run(editor):
    # A run whose stored options the importer does not take (e.g. left by an older
    # version) raises TypeError inside the worker: the run must end refused, logged, not
    # stay "checking" for ever.
    run = ImportRun.objects.create(
        file_name="sheet.csv",
        content=HAND_MADE.encode(),
        options={"gone": True},
        uploaded_by=editor,
    )
    imports.check_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == ImportState.REFUSED
    assert "unexpected error" in run.report and bytes(run.content) == b""


def test_a_malformed_id_is_a_404_after_the_permission_check(editor_client, journalist_client):
    assert editor_client.get("/admin/exchange/importrun/abc/change/").status_code == 404
    assert journalist_client.get("/admin/exchange/importrun/abc/change/").status_code in (
        302,
        403,
    )
    assert ImportRun.objects.count() == 0
