"""attach_evidence: what it accepts, what it refuses, and that a refusal writes nothing."""

import gzip
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from claims.models import CustodyEvent, Evidence
from claims.services import attach_evidence
from tests.claims.evidence.conftest import (
    gps_exif,
    image_bytes,
    jpeg,
    png,
    png_chunk,
    png_declaring,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def refused(claim, user, data, media_storage, *, match, name="evidence.jpg", **kwargs):
    """Attach ``data`` expecting a refusal with ``match`` in the message; check that
    nothing at all was written."""
    with pytest.raises(ValidationError) as caught:
        attach_evidence(claim=claim, file=upload(data, name=name), uploaded_by=user, **kwargs)
    assert match in " ".join(caught.value.messages)
    assert not Evidence.objects.exists()
    assert not CustodyEvent.objects.exists()
    assert stored_files(media_storage["private"]) == []
    assert stored_files(media_storage["public"]) == []
    return caught.value


def test_a_text_file_named_jpg_is_refused(claim, journalist, media_storage):
    refused(
        claim,
        journalist,
        b"These are my notes, not a photo.\n",
        media_storage,
        match="not a JPEG, PNG, WebP or GIF image, nor a PDF",
    )


def test_a_truncated_jpeg_is_refused(claim, journalist, media_storage):
    data = jpeg(size=(400, 300))
    refused(claim, journalist, data[: len(data) // 2], media_storage, match="damaged or incomplete")


def test_a_jpeg_missing_only_its_end_marker_is_refused(claim, journalist, media_storage):
    data = jpeg()
    assert data.endswith(b"\xff\xd9")
    refused(claim, journalist, data[:-2], media_storage, match="incomplete")


def test_a_png_declaring_ten_billion_pixels_is_refused_before_decoding(
    claim, journalist, media_storage
):
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 200  # tiny on disk
    refused(claim, journalist, bomb, media_storage, match="more pixels than can be processed")


def test_the_pixel_limit_is_a_setting(claim, journalist, media_storage, settings):
    settings.EVIDENCE_MAX_PIXELS = 1000
    refused(claim, journalist, png(size=(40, 30)), media_storage, match="1,000 pixels")
    settings.EVIDENCE_MAX_PIXELS = 1200
    assert attach_evidence(claim=claim, file=upload(png(size=(40, 30))), uploaded_by=journalist)


def test_an_oversized_file_is_refused(claim, journalist, media_storage, settings):
    data = jpeg(size=(200, 200))
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(data) - 1
    refused(claim, journalist, data, media_storage, match="larger than")
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(data)
    assert attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)


def test_an_empty_file_is_refused(claim, journalist, media_storage):
    refused(claim, journalist, b"", media_storage, match="empty")


@pytest.mark.parametrize(
    "payload",
    [
        b"<script>fetch('/admin/')</script>",
        b"\n<HTML><body onload=alert(1)>",
        b"<?php system($_GET['c']); ?>",
    ],
)
def test_an_image_with_a_script_appended_is_refused(claim, journalist, media_storage, payload):
    refused(claim, journalist, jpeg() + payload, media_storage, match="web page or script code")


def test_a_script_hidden_inside_a_png_text_chunk_is_refused(claim, journalist, media_storage):
    data = png()
    iend = data.rindex(b"IEND") - 4
    hidden = png_chunk(b"tEXt", b"Comment\x00<script src=//evil.example/x.js></script>")
    refused(claim, journalist, data[:iend] + hidden + data[iend:], media_storage, match="script")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_a_second_file_hidden_after_the_image_is_refused(
    claim, journalist, media_storage, image_format
):
    archive = io.BytesIO()
    with gzip.GzipFile(fileobj=archive, mode="wb") as packed:
        packed.write(b"a hidden archive " * 50)
    data = image_bytes(image_format) + b"PK\x03\x04" + archive.getvalue()
    refused(claim, journalist, data, media_storage, match="after the end of the image")


def test_padding_after_the_image_is_tolerated(claim, journalist):
    evidence = attach_evidence(
        claim=claim, file=upload(jpeg() + b"\x00" * 16 + b"\n"), uploaded_by=journalist
    )
    assert evidence.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("image_format", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_each_accepted_image_type_is_recorded_from_its_bytes(
    claim, journalist, image_format, content_type
):
    data = image_bytes(image_format, size=(33, 21))
    # The client's name and content type say otherwise; the bytes decide.
    file = upload(data, name="looks-like.pdf", content_type="application/pdf")
    evidence = attach_evidence(claim=claim, file=file, uploaded_by=journalist)
    assert evidence.kind == "image"
    assert evidence.content_type == content_type
    assert (evidence.width, evidence.height) == (33, 21)
    assert evidence.size_bytes == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_filename == "looks-like.pdf"


def test_an_animated_gif_has_every_frame_decoded(claim, journalist):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    evidence = attach_evidence(claim=claim, file=upload(buffer.getvalue()), uploaded_by=journalist)
    assert evidence.metadata["frames"] == 3
    assert evidence.thumbnail


def test_an_animation_over_the_pixel_budget_is_refused(claim, journalist, media_storage, settings):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    settings.EVIDENCE_MAX_ANIMATION_PIXELS = 20 * 20 * 2
    refused(claim, journalist, buffer.getvalue(), media_storage, match="3 frames")


def minimal_pdf(body=b"BT /F1 12 Tf 72 720 Td (Looting report) Tj ET"):
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"3 0 obj << /Length " + str(len(body)).encode() + b" >> stream\n" + body + b"\nendstream\n"
        b"endobj\n4 0 obj << /Producer (Lootwatch tests) >> endobj\n"
        b"xref\n0 5\ntrailer << /Root 1 0 R /Info 4 0 R >>\nstartxref\n9\n%%EOF\n"
    )


def test_a_pdf_is_accepted_by_its_structure(claim, journalist):
    evidence = attach_evidence(
        claim=claim, file=upload(minimal_pdf(), name="statement.jpg"), uploaded_by=journalist
    )
    assert (evidence.kind, evidence.content_type) == ("document", "application/pdf")
    assert evidence.metadata["pdf_version"] == "1.4"
    assert evidence.metadata["producer"] == "Lootwatch tests"
    assert not evidence.display and not evidence.thumbnail


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (minimal_pdf()[:-30], "incomplete"),
        (minimal_pdf() + b"\x00" * 2000, "after its end"),
        (b"%PDF-1.4\n%%EOF\n", "cross-reference"),
        (minimal_pdf(body=b"<script>alert(1)</script>"), "script"),
    ],
)
def test_a_broken_or_polyglot_pdf_is_refused(claim, journalist, media_storage, data, match):
    refused(claim, journalist, data, media_storage, match=match, name="report.pdf")


def test_the_same_file_twice_on_one_claim_is_refused(claim, journalist):
    data = jpeg()
    attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)
    with pytest.raises(ValidationError, match="already attached to this claim"):
        attach_evidence(claim=claim, file=upload(data, name="again.jpg"), uploaded_by=journalist)
    assert claim.evidence.count() == 1


def test_only_users_allowed_to_upload_may_attach(claim, partner, media_storage):
    with pytest.raises(PermissionDenied):
        attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=partner)
    assert stored_files(media_storage["private"]) == []


def test_evidence_cannot_be_added_to_a_withdrawn_claim(claim, journalist, editor):
    from claims.services import withdraw_claim

    withdraw_claim(claim=claim, editor=editor, reason="Duplicate of another claim.")
    with pytest.raises(ValidationError, match="withdrawn claim"):
        attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=journalist)


def test_a_storage_failure_after_the_original_is_stored_leaves_nothing_behind(
    claim, journalist, media_storage, settings, tmp_path
):
    # The derivatives' storage root is a plain file: saving the display image fails after
    # the original has already been written to private storage.
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    with pytest.raises(OSError):
        attach_evidence(claim=claim, file=upload(jpeg(exif=gps_exif())), uploaded_by=journalist)
    assert stored_files(media_storage["private"]) == []
    assert not Evidence.objects.exists()
    assert not CustodyEvent.objects.exists()


def multi_picture_jpeg():
    first, second = Image.new("RGB", (60, 40), "red"), Image.new("RGB", (60, 40), "blue")
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def test_a_multi_picture_jpeg_is_a_jpeg(claim, journalist):
    evidence = attach_evidence(
        claim=claim, file=upload(multi_picture_jpeg()), uploaded_by=journalist
    )
    assert evidence.content_type == "image/jpeg"
    assert evidence.metadata["frames"] == 2


def test_data_after_the_last_picture_of_a_multi_picture_jpeg_is_refused(
    claim, journalist, media_storage
):
    data = multi_picture_jpeg() + b"PK\x03\x04hidden"
    refused(claim, journalist, data, media_storage, match="after the end of the image")
