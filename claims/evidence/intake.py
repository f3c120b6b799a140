"""Taking in uploaded evidence files: what they are, decided from their bytes alone.

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
import struct
import warnings
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from PIL import Image, UnidentifiedImageError

from claims.evidence.captures import inspect_page_capture
from claims.evidence.fingerprint import perceptual_hash
from claims.evidence.formats import (
    IMAGE_TYPES,
    OPEN_FORMATS,
    PDF_TYPE,
    InspectedFile,
    inspect_pdf,
    refuse_polyglot_image,
)
from claims.evidence.metadata import read_image_metadata
from claims.models import EvidenceKind

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


def megabytes(size):
    if size >= 1024 * 1024:
        return gettext("%(size)s MB") % {"size": f"{size / (1024 * 1024):.0f}"}
    return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}


def read_limited(file):
    """Return the upload's bytes, refusing anything over the configured size."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    too_big = ValidationError(
        gettext("The file is larger than the %(limit)s limit for evidence.")
        % {"limit": megabytes(limit)},
        code="too_large",
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
        raise ValidationError(gettext("The file is empty."), code="empty")
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
        inspected = inspect_page_capture(data)
    elif data.startswith(b"%PDF-"):
        inspected = inspect_pdf(data, kind=EvidenceKind.DOCUMENT)
    else:
        inspected = _inspect_image(data)
    if kind == EvidenceKind.IMAGE and not inspected.is_image:
        raise ValidationError(gettext("This file is a PDF, not an image."), code="not_image")
    if kind == EvidenceKind.DOCUMENT and inspected.content_type != PDF_TYPE:
        raise ValidationError(gettext("This file is an image, not a PDF document."), code="not_pdf")
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
                    gettext(
                        "The animation has %(frames)s frames of %(width)s×%(height)s pixels: "
                        "too many to be processed safely."
                    )
                    % {"frames": frames, "width": width, "height": height},
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
                gettext("The image is damaged or incomplete and cannot be read."), code="corrupt"
            ) from error
        try:
            metadata = read_image_metadata(image)
        except DECODE_ERRORS:
            # Odd metadata is no reason to refuse a picture; the original keeps it all.
            metadata = {"format": image_format, "metadata_error": "The EXIF data is unreadable."}
        try:
            fingerprint = perceptual_hash(image)
        except DECODE_ERRORS:
            # A picture whose pixels decoded but whose orientation tag is nonsense: kept
            # without a perceptual hash rather than refused.
            fingerprint = None
    metadata["frames"] = frames
    refuse_polyglot_image(data, image_format)
    return InspectedFile(
        data=data,
        sha256="",
        size=len(data),
        kind=EvidenceKind.IMAGE,
        content_type=IMAGE_TYPES[image_format],
        width=width,
        height=height,
        metadata=metadata,
        perceptual_hash=fingerprint,
    )


def _open_image(data):
    """Open ``data`` as one of the accepted image formats, checking its declared size
    before any pixel is decoded (Image.open reads only the header)."""
    not_accepted = ValidationError(
        gettext("The file is not a JPEG, PNG, WebP or GIF image, nor a PDF."), code="unsupported"
    )
    too_many = ValidationError(
        gettext(
            "The image declares more pixels than can be processed safely "
            "(the limit is %(limit)s pixels)."
        )
        % {"limit": f"{settings.EVIDENCE_MAX_PIXELS:,}"},
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
                gettext("The image is damaged or incomplete and cannot be read."), code="corrupt"
            ) from error
    if image.format not in IMAGE_TYPES:
        image.close()
        raise not_accepted
    _check_declared_size(image, too_many)
    return image


def _check_declared_size(image, too_many):
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError(gettext("The image has no pixels."), code="corrupt")
    if width * height > settings.EVIDENCE_MAX_PIXELS:
        raise too_many
