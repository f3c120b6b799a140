"""manage.py verify_evidence re-hashes every stored original."""

import pytest
from django.core.management import CommandError, call_command

from claims.models import CustodyAction, CustodyEvent
from claims.services import attach_evidence
from tests.claims.evidence.conftest import jpeg, png, upload

pytestmark = pytest.mark.django_db


def test_all_originals_intact(claim, other_claim, journalist, capsys):
    photo = jpeg()
    first = attach_evidence(claim=claim, file=upload(photo), uploaded_by=journalist)
    second = attach_evidence(claim=other_claim, file=upload(photo), uploaded_by=journalist)
    third = attach_evidence(claim=claim, file=upload(png()), uploaded_by=journalist)

    call_command("verify_evidence")

    out = capsys.readouterr().out
    assert "Checking 2 stored original(s) of 3 evidence record(s)." in out
    assert "All 2 original(s) match" in out
    for evidence in (first, second, third):
        event = evidence.custody.get(action=CustodyAction.VERIFIED)
        assert event.actor is None and event.detail == {"sha256": evidence.sha256}


def test_a_tampered_file_is_reported_and_the_exit_status_is_non_zero(
    claim, other_claim, journalist, media_storage, capsys
):
    photo = jpeg()
    tampered = attach_evidence(claim=claim, file=upload(photo), uploaded_by=journalist)
    linked = attach_evidence(claim=other_claim, file=upload(photo), uploaded_by=journalist)
    intact = attach_evidence(claim=claim, file=upload(png()), uploaded_by=journalist)
    # Change one byte of the stored original, behind the application's back.
    path = media_storage["private"] / tampered.original.name
    altered = bytearray(path.read_bytes())
    altered[200] ^= 0xFF
    path.write_bytes(bytes(altered))

    with pytest.raises(CommandError, match="2 evidence file"):
        call_command("verify_evidence")

    err = capsys.readouterr().err
    assert f"altered: {tampered.original.name}" in err
    for evidence in (tampered, linked):
        mismatch = evidence.custody.get(action=CustodyAction.MISMATCH)
        assert mismatch.detail["problem"] == "altered"
        assert mismatch.detail["expected"] == evidence.sha256
        assert mismatch.detail["actual"] not in (None, evidence.sha256)
    assert intact.custody.filter(action=CustodyAction.VERIFIED).exists()


def test_a_missing_file_is_reported(claim, journalist, media_storage, capsys):
    evidence = attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=journalist)
    (media_storage["private"] / evidence.original.name).unlink()

    with pytest.raises(CommandError):
        call_command("verify_evidence")
    assert "missing" in capsys.readouterr().err
    assert evidence.custody.get(action=CustodyAction.MISMATCH).detail["actual"] is None


def test_the_command_exits_non_zero_from_the_shell(claim, journalist, media_storage):
    """Run through manage.py's entry point: a scheduler sees the exit status."""
    from django.core.management import execute_from_command_line

    evidence = attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=journalist)
    (media_storage["private"] / evidence.original.name).write_bytes(b"replaced")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "verify_evidence"])
    assert exited.value.code != 0


def test_progress_is_shown_for_many_files(claim, journalist, capsys):
    for shade in range(5):
        attach_evidence(claim=claim, file=upload(png(colour=(shade, 0, 0))), uploaded_by=journalist)
    call_command("verify_evidence", progress_every=2)
    out = capsys.readouterr().out
    assert "2/5 checked" in out and "4/5 checked" in out and "5/5 checked" in out
    assert CustodyEvent.objects.filter(action=CustodyAction.VERIFIED).count() == 5
