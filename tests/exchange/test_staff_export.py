"""Staff-only exports need their own permission (editors lack it by default), leave an
audit row through exchange.services.record_staff_export, and the admin refuses an export
larger than one request may stream instead of cutting it off."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from exchange.models import StaffExport

EXPORT = "/admin/exchange/importrun/export/"


def test_editors_cannot_export_staff_data_from_the_admin(editor_client, published_incident):
    response = editor_client.post(EXPORT, {"format": "jsonl", "status": "all", "staff": "on"})
    assert response.status_code == 200
    assert not hasattr(response, "streaming_content")
    assert "not allowed to export staff-only data" in response.content.decode()
    assert not StaffExport.objects.exists()


def test_the_exporters_group_exports_and_each_export_is_recorded(
    editor, editor_client, published_incident
):
    editor.groups.add(Group.objects.get(name="staff data exporters"))
    response = editor_client.post(EXPORT, {"format": "csv", "status": "all", "staff": "on"})
    body = b"".join(response.streaming_content).decode()
    assert "staff_source" in body
    row = StaffExport.objects.get()
    assert (row.exported_by, row.via) == (editor, "admin")
    assert row.detail == {"format": "csv", "status": "all", "since": None, "incidents": 1}


def test_the_admin_refuses_an_export_it_could_not_finish(
    editor_client, published_incident, settings
):
    settings.ADMIN_EXPORT_MAX_INCIDENTS = 0
    response = editor_client.post(EXPORT, {"format": "jsonl", "status": "published"})
    assert not hasattr(response, "streaming_content")
    assert "python manage.py export_incidents" in response.content.decode()


def test_the_command_records_every_staff_export(published_incident, editor, journalist):
    call_command("export_incidents", "--staff", stdout=io.StringIO(), stderr=io.StringIO())
    assert StaffExport.objects.get().via == "command"
    assert StaffExport.objects.get().exported_by is None
    with pytest.raises(CommandError, match="not allowed"):
        call_command(
            "export_incidents", "--staff", "--as", journalist.username, stdout=io.StringIO()
        )
    call_command("export_incidents", stdout=io.StringIO(), stderr=io.StringIO())
    assert StaffExport.objects.count() == 1


def test_the_staff_box_is_offered_only_to_those_who_may_use_it(editor, editor_client):
    assert 'name="staff"' not in editor_client.get(EXPORT).content.decode()
    editor.groups.add(Group.objects.get(name="staff data exporters"))
    assert 'name="staff"' in editor_client.get(EXPORT).content.decode()
