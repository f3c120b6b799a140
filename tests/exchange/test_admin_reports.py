"""The admin's import preview and result name what the file holds: each incident's title
(a link to it once imported) and the possible duplicates, the options in words; a refused
run shows no empty "Finished at"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import ImportRun, ImportState
from incidents.models import Incident
from tests.exchange.test_import import HAND_MADE
from tests.exchange.test_import import run as run_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process(settings, django_capture_on_commit_callbacks):
    settings.IMPORTS_IN_PROCESS = True

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def test_preview_and_result_list_each_incident_and_duplicate(
    in_process, editor, editor_client, tmp_path
):
    sheet = HAND_MADE.encode()
    (tmp_path / "first.csv").write_bytes(sheet.replace(b"Cars taken", b"Held already"))
    run_command(tmp_path / "first.csv", "--as", editor.username)
    response = in_process(
        editor_client,
        "/admin/exchange/importrun/upload/",
        {"file": SimpleUploadedFile("sheet.csv", sheet), "keep_review_state": "on"},
    )
    run = ImportRun.objects.get()
    assert run.state == ImportState.CHECKED, run.report
    page = editor_client.get(response["Location"]).content.decode()
    assert "Cars taken in Bucha" in page  # the incident, by its title
    assert (
        "Possible duplicates" in page
        and "already logged on incident “Held already in Bucha”" in page
    )
    assert "Keep review states" in page and "{&quot;" not in page and '{"' not in page
    assert '/change/">Cars taken' not in page  # nothing written yet: no link

    in_process(editor_client, f"/admin/exchange/importrun/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.state == ImportState.DONE, run.report
    imported = Incident.objects.get(title="Cars taken in Bucha")
    page = editor_client.get(response["Location"]).content.decode()
    assert f"/admin/incidents/incident/{imported.pk}/change/" in page
    assert "Cars taken in Bucha</a>" in page


def test_a_refused_run_shows_no_empty_finished_at(in_process, editor_client):
    bad = HAND_MADE.replace("2022-03-25", "2022-03-01").encode()
    response = in_process(
        editor_client,
        "/admin/exchange/importrun/upload/",
        {"file": SimpleUploadedFile("sheet.csv", bad)},
    )
    run = ImportRun.objects.get()
    assert run.state == ImportState.REFUSED
    page = editor_client.get(response["Location"]).content.decode()
    assert "line 2: occurred_to" in page
    assert "Finished at" not in page
    assert "No options" in page


def test_the_confirmation_comes_after_the_report(in_process, editor_client):
    response = in_process(
        editor_client,
        "/admin/exchange/importrun/upload/",
        {"file": SimpleUploadedFile("sheet.csv", HAND_MADE.encode())},
    )
    run = ImportRun.objects.get()
    assert run.state == ImportState.CHECKED, run.report
    page = editor_client.get(response["Location"]).content.decode()

    # The editor reads the incidents and the whole report before the button that imports.
    button = page.index('value="Import for real"')
    assert page.index("Cars taken in Bucha") < button
    assert page.index(run.report.splitlines()[-1]) < button
    # Its own form, after the admin's (forms do not nest), and a way down to it from the top.
    admin_form = page.index('id="importrun_form"')
    assert admin_form < page.index("</form>", admin_form) < button
    assert page.index('href="#confirm-import"') < page.index("Cars taken in Bucha")
    assert not Incident.objects.exists()
