"""Recognising evidence formats from their bytes: what an image's structure says about where
it ends, what a PDF must contain, and the markup that makes a file a polyglot.

Nothing here trusts a file's name or the content type a browser sent.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from claims.models import EvidenceKind

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
    # The pHash of an image (claims.evidence.fingerprint); None for PDFs and page captures.
    perceptual_hash: int | None = None

    @property
    def is_image(self):
        return self.content_type in IMAGE_TYPES.values()


def refuse_polyglot_image(data, image_format):
    refuse_markup(data)
    end = image_end(data, image_format)
    if end is None:
        raise ValidationError(
            gettext("The image is incomplete: it ends before its end marker."), code="corrupt"
        )
    trailing = data[end:]
    if trailing.strip(PADDING):
        raise ValidationError(
            gettext(
                "The file has %(count)s bytes of other data after the end of the image "
                "(a hidden file or script, or the video of a phone's motion photo). Export "
                "it as a plain image and upload that instead."
            )
            % {"count": f"{len(trailing):,}"},
            code="polyglot",
        )


def refuse_markup(data):
    lowered = data.lower()
    for marker in MARKUP_MARKERS:
        if marker in lowered:
            raise ValidationError(
                gettext(
                    "The file contains web page or script code (%(marker)s…) besides its "
                    "picture or document, so it is refused. Save the image or document "
                    "again with an ordinary program and upload that."
                )
                % {"marker": marker.decode()},
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


def inspect_pdf(data, *, kind):
    header = re.match(rb"%PDF-(\d\.\d)", data)
    if not header:
        raise ValidationError(
            gettext("The file starts like a PDF but has no version."), code="corrupt"
        )
    eof = data.rfind(b"%%EOF")
    if eof < 0 or len(data) - eof > PDF_EOF_WINDOW:
        raise ValidationError(
            gettext("The PDF is incomplete or has other data after its end."), code="corrupt"
        )
    if b"startxref" not in data[max(0, eof - PDF_EOF_WINDOW) : eof]:
        raise ValidationError(
            gettext("The PDF is damaged: it has no cross-reference table."), "corrupt"
        )
    if kind != EvidenceKind.PAGE_CAPTURE:
        refuse_markup(data)
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
