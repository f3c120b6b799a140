"""Originals are kept byte-for-byte with their metadata on record; derivatives are upright
and carry no metadata at all."""

import io

import pytest
from PIL import Image, ImageCms

from claims.models import CustodyAction
from claims.services import attach_evidence
from tests.claims.evidence.conftest import gps_exif, jpeg, png, upload

pytestmark = pytest.mark.django_db


def read_back(field_file):
    with field_file.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def assert_no_metadata(image):
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"):
        assert key not in image.info, key
    assert not getattr(image, "applist", [])[1:]  # Only the JFIF header, if any.


def test_gps_stays_in_the_original_and_its_record_never_in_the_derivatives(claim, journalist):
    data = jpeg(size=(2400, 1800), exif=gps_exif())
    evidence = attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)

    # The original: byte-identical, under its digest, with the metadata read into JSON.
    stored, _ = read_back(evidence.original)
    assert stored == data
    assert evidence.original.name == f"originals/{evidence.sha256[:2]}/{evidence.sha256}"
    metadata = evidence.metadata
    assert metadata["gps"] == {"latitude": 50.54, "longitude": 30.22}
    assert metadata["camera_make"] == "Apple"
    assert metadata["camera_model"] == "iPhone 12"
    assert metadata["captured_at"] == "2022-04-02T11:40:05+03:00"
    assert metadata["exif_gps"]["GPSLatitudeRef"] == "N"

    # The derivatives: no EXIF, no GPS, nothing else either, and smaller.
    display_bytes, display = read_back(evidence.display)
    thumbnail_bytes, thumbnail = read_back(evidence.thumbnail)
    for image, image_bytes in ((display, display_bytes), (thumbnail, thumbnail_bytes)):
        assert image.format == "JPEG"
        assert_no_metadata(image)
        assert b"iPhone" not in image_bytes and b"Apple" not in image_bytes
    assert display.size == (1600, 1200)
    assert thumbnail.size == (320, 240)
    assert evidence.custody.filter(action=CustodyAction.DERIVED).count() == 1
    assert evidence.custody.filter(action=CustodyAction.UPLOADED, actor=journalist).count() == 1


def test_exif_orientation_is_applied_to_the_derivatives(claim, journalist):
    # Orientation 6: the camera was turned; the stored pixels must be rotated 90° to be upright.
    data = jpeg(size=(400, 200), exif=gps_exif(orientation=6))
    evidence = attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)
    assert (evidence.width, evidence.height) == (400, 200)  # as stored
    assert evidence.metadata["orientation"] == 6
    _, display = read_back(evidence.display)
    _, thumbnail = read_back(evidence.thumbnail)
    assert display.size == (200, 400)
    assert thumbnail.size == (160, 320)
    assert_no_metadata(display)
    # The white corner (top left as stored) is top right once turned upright.
    assert display.convert("L").getpixel((195, 5)) > 240
    assert display.convert("L").getpixel((5, 5)) < 200


def test_transparent_images_get_png_derivatives_without_text_chunks(claim, journalist):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Location", "50.54N 30.52E, our safe house")
    data = png(size=(50, 40), mode="RGBA", colour=(0, 0, 255, 128), pnginfo=info)
    evidence = attach_evidence(claim=claim, file=upload(data), uploaded_by=journalist)
    display_bytes, display = read_back(evidence.display)
    assert display.format == "PNG" and display.mode == "RGBA"
    assert "Location" not in display.info
    assert b"safe house" not in display_bytes
    assert b"safe house" in read_back(evidence.original)[0]


def test_a_colour_profile_is_converted_then_dropped(claim, journalist):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (120, 60, 30)).save(buffer, format="JPEG", icc_profile=srgb)
    evidence = attach_evidence(claim=claim, file=upload(buffer.getvalue()), uploaded_by=journalist)
    assert evidence.metadata["has_icc_profile"] is True
    _, display = read_back(evidence.display)
    assert "icc_profile" not in display.info
