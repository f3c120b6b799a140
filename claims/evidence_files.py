"""Reading uploaded evidence files: what they are, decided from their bytes alone.

The file's name and the content type the browser sent are never trusted. What is accepted:

- Images: JPEG (including multi-picture JPEG), PNG, WebP and GIF. Every frame is decoded.
- PDF documents: a ``%PDF-1.x`` header and an ``%%EOF`` marker at the end.
- Page captures, only when the upload is marked as one (``kind=EvidenceKind.PAGE_CAPTURE``):
  HTML (``<!doctype html`` or ``<html`` first), WARC (``WARC/1.x``, plain or gzipped) and PDF.
  Captures are kept as evidence and downloaded by staff as attachments; never shown.

What is refused, with a message saying why:

- empty files, and files over ``settings.EVIDENCE_MAX_UPLOAD_BYTES``;
- decompression bombs: an image whose header declares more than
  ``settings.EVIDENCE_MAX_PIXELS`` pixels is refused before any pixel is decoded (and
  animations over ``settings.EVIDENCE_MAX_ANIMATION_PIXELS`` in all their frames);
- images that do not decode completely (truncated or corrupt), PDFs without their structure;
- polyglots, i.e. files that are an image (or PDF) and something else at once. We refuse an
  image or PDF that carries markup a browser or a web server could run (``<script``,
  ``<html``, ``<?php`` and the like, anywhere in the file), and an image followed by data
  after its end marker (a second file hidden behind the picture). Zero or newline padding
  after the end is tolerated. This also refuses phones' "motion photos", which append a
  video to the JPEG: journalists export those as plain photos.
- anything else.
"""

import hashlib
import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from claims.models import Evidence, EvidenceKind, evidence_derivative_path

# Pillow's format name → the content type we record. MPO is a JPEG holding several pictures.
IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
# The formats Pillow is allowed to try (it reports a multi-picture JPEG as "MPO").
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
PDF_TYPE = "application/pdf"
HTML_TYPE = "text/html"
WARC_TYPE = "application/warc"
WARC_GZIP_TYPE = "application/warc+gzip"

DISPLAY_MAX_SIDE = 1600
THUMBNAIL_MAX_SIDE = 320

# Errors Pillow raises for files it cannot read; anything else is a bug and should surface.
DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,
    zlib.error,
    Image.DecompressionBombError,
)

# Markup a browser sniffing the file, or a server executing it, would act on. At least five
# bytes long each, so that compressed image data matches one by chance about once in
# thousands of 25 MB files.
MARKUP_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<?php",
    b"javascript:",
)
# Bytes that encoders and some tools leave after an image's end; anything else is refused.
PADDING = b"\x00\xff\r\n\t "
# A PDF's %%EOF is at the very end, save for a line ending or a few stray bytes.
PDF_EOF_WINDOW = 1024


@dataclass
class InspectedFile:
    """An accepted upload: its exact bytes and what we learnt about them."""

    data: bytes
    sha256: str
    size: int
    kind: str
    content_type: str
    width: int | None = None
    height: int | None = None
    metadata: dict = field(default_factory=dict)

    @property
    def is_image(self):
        return self.content_type in IMAGE_TYPES.values()


@dataclass
class Derivative:
    """A metadata-free rendering of an image, ready to be stored."""

    filename: str
    data: bytes
    content_type: str
    width: int
    height: int


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def read_limited(file):
    """Return the upload's bytes, refusing anything over the configured size."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    too_big = ValidationError(
        f"The file is larger than the {megabytes(limit)} limit for evidence.", code="too_large"
    )
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_big
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    return data


def inspect_upload(file, *, kind=None):
    """Return an InspectedFile for an accepted upload; raise ValidationError otherwise.

    ``kind`` None means "an image or a PDF, whichever it is"; ``EvidenceKind.PAGE_CAPTURE``
    also accepts HTML and WARC captures of a web page. Nothing is written anywhere.
    """
    if kind is not None and kind not in EvidenceKind.values:
        raise ValidationError(f"Unknown evidence kind {kind!r}.", code="invalid_kind")
    data = read_limited(file)
    digest = hashlib.sha256(data).hexdigest()
    if kind == EvidenceKind.PAGE_CAPTURE:
        inspected = _inspect_page_capture(data)
    elif data.startswith(b"%PDF-"):
        inspected = _inspect_pdf(data, kind=EvidenceKind.DOCUMENT)
    else:
        inspected = _inspect_image(data)
    if kind == EvidenceKind.IMAGE and not inspected.is_image:
        raise ValidationError("This file is a PDF, not an image.", code="not_image")
    if kind == EvidenceKind.DOCUMENT and inspected.content_type != PDF_TYPE:
        raise ValidationError("This file is an image, not a PDF document.", code="not_pdf")
    inspected.sha256 = digest
    inspected.size = len(data)
    return inspected


# Images.


def _inspect_image(data):
    image = _open_image(data)
    with image:
        image_format = image.format
        width, height = image.size
        try:
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > settings.EVIDENCE_MAX_ANIMATION_PIXELS:
                raise ValidationError(
                    f"The animation has {frames} frames of {width}×{height} pixels: too many "
                    "to be processed safely.",
                    code="too_many_pixels",
                )
            # Decode every pixel of every frame: a file that only looks like an image
            # until its data runs out is refused here.
            for frame in range(frames):
                image.seek(frame)
                image.load()
            image.seek(0)
        except DECODE_ERRORS as error:
            raise ValidationError(
                "The image is damaged or incomplete and cannot be read.", code="corrupt"
            ) from error
        try:
            metadata = read_image_metadata(image)
        except DECODE_ERRORS:
            # Odd metadata is no reason to refuse a picture; the original keeps it all.
            metadata = {"format": image_format, "metadata_error": "The EXIF data is unreadable."}
    metadata["frames"] = frames
    _refuse_polyglot_image(data, image_format)
    return InspectedFile(
        data=data,
        sha256="",
        size=len(data),
        kind=EvidenceKind.IMAGE,
        content_type=IMAGE_TYPES[image_format],
        width=width,
        height=height,
        metadata=metadata,
    )


def _open_image(data):
    """Open ``data`` as one of the accepted image formats, checking its declared size
    before any pixel is decoded (Image.open reads only the header)."""
    not_accepted = ValidationError(
        "The file is not a JPEG, PNG, WebP or GIF image, nor a PDF.", code="unsupported"
    )
    too_many = ValidationError(
        "The image declares more pixels than can be processed safely "
        f"(the limit is {settings.EVIDENCE_MAX_PIXELS:,} pixels).",
        code="too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow warns (rather than fails) between its limit and twice its limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # verify() checks the structure (PNG checksums, for one) but leaves the image
            # unusable, so the file is opened twice.
            with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as image:
                _check_declared_size(image, too_many)
                image.verify()
            image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_many from error
        except UnidentifiedImageError as error:
            raise not_accepted from error
        except DECODE_ERRORS as error:
            raise ValidationError(
                "The image is damaged or incomplete and cannot be read.", code="corrupt"
            ) from error
    if image.format not in IMAGE_TYPES:
        image.close()
        raise not_accepted
    _check_declared_size(image, too_many)
    return image


def _check_declared_size(image, too_many):
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError("The image has no pixels.", code="corrupt")
    if width * height > settings.EVIDENCE_MAX_PIXELS:
        raise too_many


def _refuse_polyglot_image(data, image_format):
    _refuse_markup(data)
    end = image_end(data, image_format)
    if end is None:
        raise ValidationError(
            "The image is incomplete: it ends before its end marker.", code="corrupt"
        )
    trailing = data[end:]
    if trailing.strip(PADDING):
        raise ValidationError(
            f"The file has {len(trailing):,} bytes of other data after the end of the image "
            "(a hidden file or script, or the video of a phone's motion photo). Export it as "
            "a plain image and upload that instead.",
            code="polyglot",
        )


def _refuse_markup(data):
    lowered = data.lower()
    for marker in MARKUP_MARKERS:
        if marker in lowered:
            raise ValidationError(
                f"The file contains web page or script code ({marker.decode()}…) besides "
                "its picture or document, so it is refused. Save the image or document "
                "again with an ordinary program and upload that.",
                code="polyglot",
            )


def image_end(data, image_format):
    """Return the offset just past the end of the image in ``data``, or None if the image
    has no proper end (it is truncated or malformed)."""
    if image_format in ("JPEG", "MPO"):
        end = _jpeg_end(data, 0)
        # A multi-picture JPEG is several JPEGs back to back.
        while end is not None and data[end : end + 2] == b"\xff\xd8":
            end = _jpeg_end(data, end)
        return end
    if image_format == "PNG":
        return _png_end(data)
    if image_format == "GIF":
        return _gif_end(data)
    if image_format == "WEBP":
        # A RIFF container says how long it is: 8 bytes of header plus the declared size.
        end = 8 + int.from_bytes(data[4:8], "little")
        return end if end <= len(data) else None
    return None


def _jpeg_end(data, start):
    """Walk the JPEG segments from ``start`` (an SOI marker) to the end-of-image marker."""
    size = len(data)
    if data[start : start + 2] != b"\xff\xd8":
        return None
    pos = start + 2
    while pos + 1 < size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # A fill byte before a marker.
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # Markers without a length.
            pos += 2
            continue
        if pos + 4 > size:
            return None
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:
            # Entropy-coded scan data: 0xFF occurs only as FF00 (a data byte) or a restart
            # marker, until the next real marker.
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= size:
                    return None
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2
                elif following == 0xFF:
                    pos += 1
                else:
                    break
    return None


def _png_end(data):
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type = data[pos + 4 : pos + 8]
        pos += 12 + length  # Length, type, data, checksum.
        if chunk_type == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _gif_end(data):
    def skip_colour_table(pos, flags):
        return pos + 3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else pos

    size = len(data)
    if size < 13:
        return None
    pos = skip_colour_table(13, data[10])
    while pos < size:
        block = data[pos]
        if block == 0x3B:  # Trailer.
            return pos + 1
        if block == 0x21:  # Extension: introducer, label, then sub-blocks.
            pos += 2
        elif block == 0x2C:  # Image: descriptor, colour table, code size, then sub-blocks.
            if pos + 10 > size:
                return None
            pos = skip_colour_table(pos + 10, data[pos + 9]) + 1
        else:
            return None
        while True:
            if pos >= size:
                return None
            length = data[pos]
            pos += 1 + length
            if length == 0:
                break
    return None


def read_image_metadata(image):
    """Return what the image says about itself (EXIF: capture time, camera, GPS,
    orientation) as JSON-ready data. For the record of the original only: derivatives
    carry none of it."""
    exif = image.getexif()
    base = {ExifTags.TAGS.get(tag, str(tag)): value for tag, value in exif.items()}
    details = {
        ExifTags.TAGS.get(tag, str(tag)): value
        for tag, value in exif.get_ifd(ExifTags.IFD.Exif).items()
    }
    gps_raw = {
        ExifTags.GPSTAGS.get(tag, str(tag)): value
        for tag, value in exif.get_ifd(ExifTags.IFD.GPSInfo).items()
    }
    captured = details.get("DateTimeOriginal") or base.get("DateTime")
    metadata = {
        "format": image.format,
        "mode": image.mode,
        "captured_at": _exif_datetime(captured, details.get("OffsetTimeOriginal")),
        "camera_make": _text(base.get("Make")),
        "camera_model": _text(base.get("Model")),
        "software": _text(base.get("Software")),
        "orientation": base.get("Orientation"),
        "gps": _gps(gps_raw),
        "has_icc_profile": bool(image.info.get("icc_profile")),
        "has_xmp": bool(image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")),
        "exif": _json_ready({**base, **details}),
        "exif_gps": _json_ready(gps_raw),
    }
    # Drop the IFD pointers: they are offsets inside the file, not facts about the picture.
    for pointer in ("ExifOffset", "GPSInfo"):
        metadata["exif"].pop(pointer, None)
    return {key: value for key, value in metadata.items() if value not in (None, "", {})}


def _gps(gps):
    """Decode EXIF GPS degrees/minutes/seconds into decimal latitude and longitude."""
    latitude = _degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"), "S")
    longitude = _degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"), "W")
    if latitude is None or longitude is None:
        return None
    result = {"latitude": latitude, "longitude": longitude}
    altitude = gps.get("GPSAltitude")
    if altitude is not None:
        try:
            sign = -1 if gps.get("GPSAltitudeRef") in (1, b"\x01") else 1
            result["altitude_m"] = round(sign * float(altitude), 2)
        except (TypeError, ValueError, ZeroDivisionError):
            pass
    if gps.get("GPSDateStamp"):
        result["datestamp"] = _text(gps["GPSDateStamp"])
    return result


def _degrees(value, ref, negative_ref):
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if _text(ref).upper() == negative_ref:
        decimal = -decimal
    if not -180 <= decimal <= 180:
        return None
    return round(decimal, 7)


def _exif_datetime(value, offset):
    """EXIF writes "2022:04:02 11:40:05"; return ISO 8601, with the offset when known."""
    text = _text(value)
    try:
        moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return text or None
    iso = moment.isoformat()
    offset = _text(offset)
    return iso + offset if re.fullmatch(r"[+-]\d\d:\d\d", offset) else iso


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip("\x00 ").strip()


def _json_ready(values):
    """EXIF values as JSON: rationals as numbers, bytes as short text, nothing huge."""
    result = {}
    for name, value in values.items():
        if name in ("MakerNote", "UserComment", "PrintImageMatching"):
            continue  # Vendor blobs: kept in the original, not worth listing.
        converted = _json_value(value)
        if converted is not None:
            result[name] = converted
    return result


def _json_value(value):
    if isinstance(value, bool | int | str):
        return value[:500] if isinstance(value, str) else value
    if isinstance(value, bytes):
        text = value.decode("ascii", "replace").strip("\x00 ")
        return text[:500] if text.isprintable() else None
    if isinstance(value, tuple | list):
        items = [_json_value(item) for item in value[:32]]
        return items if None not in items else None
    try:
        number = float(value)  # IFDRational and friends.
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return round(number, 7) if number == number else None  # NaN is not JSON.


# Derivatives.


def make_derivatives(inspected):
    """Return the display image and thumbnail of an accepted image, as Derivatives.

    The picture is turned upright (EXIF orientation), converted to sRGB, and re-encoded
    from its pixels alone, so no EXIF, GPS, XMP, ICC profile or comment survives.
    Return an empty dict for PDFs and page captures, which have no image derivative.
    """
    if not inspected.is_image:
        return {}
    with Image.open(io.BytesIO(inspected.data), formats=OPEN_FORMATS) as image:
        image.seek(0)
        upright = ImageOps.exif_transpose(image)
        upright = _to_srgb(upright, image.info.get("icc_profile"))
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    upright = upright.convert(mode)
    derivatives = {}
    for name, side in (("display", DISPLAY_MAX_SIDE), ("thumbnail", THUMBNAIL_MAX_SIDE)):
        resized = upright.copy()
        resized.thumbnail((side, side), Image.Resampling.LANCZOS)
        # A new image built from the pixels alone: nothing of the original's info travels.
        clean = Image.frombytes(mode, resized.size, resized.tobytes())
        buffer = io.BytesIO()
        if has_alpha:
            clean.save(buffer, format="PNG", optimize=True)
            filename, content_type = f"{name}.png", "image/png"
        else:
            clean.save(buffer, format="JPEG", quality=85, optimize=True)
            filename, content_type = f"{name}.jpg", "image/jpeg"
        derivatives[name] = Derivative(
            filename=filename,
            data=buffer.getvalue(),
            content_type=content_type,
            width=clean.width,
            height=clean.height,
        )
    return derivatives


def _to_srgb(image, icc_profile):
    """Convert pixels described by an embedded colour profile to sRGB, so that dropping
    the profile does not change how the picture looks."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # A broken profile: keep the pixels as they are.


# Documents and page captures.


def _inspect_pdf(data, *, kind):
    header = re.match(rb"%PDF-(\d\.\d)", data)
    if not header:
        raise ValidationError("The file starts like a PDF but has no version.", code="corrupt")
    eof = data.rfind(b"%%EOF")
    if eof < 0 or len(data) - eof > PDF_EOF_WINDOW:
        raise ValidationError(
            "The PDF is incomplete or has other data after its end.", code="corrupt"
        )
    if b"startxref" not in data[max(0, eof - PDF_EOF_WINDOW) : eof]:
        raise ValidationError("The PDF is damaged: it has no cross-reference table.", "corrupt")
    if kind != EvidenceKind.PAGE_CAPTURE:
        _refuse_markup(data)
    metadata = {"format": "PDF", "pdf_version": header.group(1).decode()}
    # Best effort: the document information dictionary, when it is not compressed.
    for key in ("Title", "Author", "Creator", "Producer", "CreationDate", "ModDate"):
        match = re.search(rb"/" + key.encode() + rb"\s*\(([^()\\]{0,300})\)", data)
        if match:
            metadata[key.lower()] = match.group(1).decode("latin-1")
    return InspectedFile(
        data=data,
        sha256="",
        size=len(data),
        kind=kind,
        content_type=PDF_TYPE,
        metadata=metadata,
    )


def _inspect_page_capture(data):
    if data.startswith(b"%PDF-"):
        return _inspect_pdf(data, kind=EvidenceKind.PAGE_CAPTURE)
    if is_html(data):
        content_type, metadata = HTML_TYPE, {"format": "HTML"}
        title = re.search(rb"<title[^>]*>([^<]{0,300})</title>", data[:65536], re.IGNORECASE)
        if title:
            metadata["title"] = title.group(1).decode("utf-8", "replace").strip()
    elif data.startswith(b"WARC/1."):
        content_type, metadata = WARC_TYPE, {"format": "WARC", **_warc_header(data)}
    elif data.startswith(b"\x1f\x8b") and _gunzip_start(data).startswith(b"WARC/1."):
        start = _gunzip_start(data)
        content_type, metadata = WARC_GZIP_TYPE, {"format": "WARC (gzip)", **_warc_header(start)}
    else:
        raise ValidationError(
            "A page capture must be an HTML page, a PDF or a WARC file.", code="unsupported"
        )
    return InspectedFile(
        data=data,
        sha256="",
        size=len(data),
        kind=EvidenceKind.PAGE_CAPTURE,
        content_type=content_type,
        metadata=metadata,
    )


def is_html(data):
    """Return True if ``data`` starts like an HTML page (after a BOM, white space and
    comments such as a browser's "saved from url" note)."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    while head.startswith(b"<!--"):
        end = head.find(b"-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return head.startswith((b"<!doctype html", b"<html"))


def _gunzip_start(data, length=4096):
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], length)
    except zlib.error:
        return b""


def _warc_header(data):
    """The first record's type, target and date: what the capture is of, and when."""
    head = data[:8192].split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    fields = {}
    for line in head.splitlines()[1:]:
        name, _, value = line.partition(":")
        if name.strip() in ("WARC-Type", "WARC-Target-URI", "WARC-Date"):
            fields[name.strip().lower().replace("-", "_")] = value.strip()[:500]
    return fields


# Where a file already is.


def evidence_locations(sha256, *, user=None, exclude_claim=None):
    """Return the evidence rows holding the file with this digest, with their claims and
    incidents loaded: where an uploaded file already appears.

    With ``user``, only incidents that user may see in the pages are included.
    """
    from incidents.models import Incident

    locations = (
        Evidence.objects.same_file(sha256)
        .select_related("claim__incident", "claim__source")
        .order_by("uploaded_at", "pk")
    )
    if user is not None:
        locations = locations.filter(claim__incident__in=Incident.objects.visible_to(user))
    if exclude_claim is not None:
        locations = locations.exclude(claim=exclude_claim)
    return locations


# Storage. Everything goes through Django's storage API, so S3-compatible object storage
# (django-storages) works as well as local files.


def originals_storage():
    return Evidence._meta.get_field("original").storage


def derivatives_storage():
    return Evidence._meta.get_field("display").storage


def stored_sha256(storage, name, chunk_size=1024 * 1024):
    """Return the SHA-256 of a stored file, read in chunks; None if it is missing."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as stored:
            while chunk := stored.read(chunk_size):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def store_original(inspected, *, held=None):
    """Return ``(name, written)``: where the original of ``inspected`` is stored, and
    whether this call wrote it.

    Originals are filed by digest, so the same bytes are stored once. A file already held
    (``held`` is an Evidence with the same digest) is reused after its bytes are checked;
    so is a file left at the digest's path by an upload whose transaction was rolled back.
    """
    storage = originals_storage()
    candidates = []
    if held is not None and held.original:
        candidates.append(held.original.name)
    path = f"originals/{inspected.sha256[:2]}/{inspected.sha256}"
    candidates.append(path)
    for name in candidates:
        if stored_sha256(storage, name) == inspected.sha256:
            return name, False
    # If a file with other bytes sits at the path (tampered with), the storage picks
    # another name rather than overwrite it (FileSystemStorage; see README for S3).
    return storage.save(path, ContentFile(inspected.data)), True


def derivatives_held(evidence):
    """Return True if ``evidence`` (or None) has its display image and thumbnail in storage,
    so that another row for the same file can share them."""
    if evidence is None or not (evidence.display and evidence.thumbnail):
        return False
    storage = derivatives_storage()
    return storage.exists(evidence.display.name) and storage.exists(evidence.thumbnail.name)


def store_derivative(derivative):
    """Store a derivative in the default storage and return its name."""
    path = evidence_derivative_path(None, derivative.filename)
    return derivatives_storage().save(path, ContentFile(derivative.data))
