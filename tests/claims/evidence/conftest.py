"""Real files crafted for the evidence tests, and the claims to attach them to."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from tests.factories import ClaimFactory, IncidentFactory, UserFactory


def jpeg(size=(120, 80), colour=(200, 30, 30), exif=None, **options):
    """A real JPEG drawn with Pillow: a coloured block with a white square in one corner,
    so that rotation is visible in the pixels too."""
    image = Image.new("RGB", size, colour)
    image.paste((255, 255, 255), (0, 0, size[0] // 4, size[1] // 4))
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def png(size=(40, 30), mode="RGB", colour=(10, 120, 200), **options):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format="PNG", **options)
    return buffer.getvalue()


def image_bytes(image_format, size=(40, 30), colour=(10, 120, 200), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def gps_exif(*, orientation=None):
    """EXIF as a phone writes it: camera, capture time and the GPS position of
    50°32'24"N 30°13'12"E (near Bucha)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 12"
    exif[ExifTags.Base.Software] = "15.4"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2022:04:02 11:40:05"
    details[ExifTags.Base.OffsetTimeOriginal] = "+03:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 32.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 13.0, 12.0)
    return exif


def png_chunk(chunk_type, data):
    return (
        struct.pack(">I", len(data))
        + chunk_type
        + data
        + struct.pack(">I", zlib.crc32(chunk_type + data) & 0xFFFFFFFF)
    )


def png_declaring(width, height):
    """A tiny PNG file whose header declares ``width``×``height`` pixels (a decompression
    bomb's calling card), built by hand: a few dozen bytes on disk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def upload(data, name="evidence.jpg", content_type="image/jpeg"):
    """An uploaded file as Django hands it to a view; name and type are the client's claim."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(directory):
    """Every file under ``directory`` (a test's storage root)."""
    return sorted(path for path in directory.rglob("*") if path.is_file())


@pytest.fixture
def claim(journalist):
    """An unverified claim on a submitted incident, logged by the journalist."""
    incident = IncidentFactory(created_by=journalist, status="submitted")
    return ClaimFactory(incident=incident, submitted_by=journalist)


@pytest.fixture
def other_claim(journalist):
    incident = IncidentFactory(created_by=journalist, status="submitted")
    return ClaimFactory(incident=incident, submitted_by=journalist)


@pytest.fixture
def partner(db):
    return UserFactory(username="pa-partner", role="partner")
