"""Page captures: saved copies of a claim's web page as HTML, PDF or WARC (plain or
gzipped). Kept as evidence and downloaded by staff as attachments; never shown."""

import re
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from claims.canonical_url import canonical_link
from claims.evidence.formats import HTML_TYPE, WARC_GZIP_TYPE, WARC_TYPE, InspectedFile, inspect_pdf
from claims.models import EvidenceKind


def inspect_page_capture(data):
    if data.startswith(b"%PDF-"):
        return inspect_pdf(data, kind=EvidenceKind.PAGE_CAPTURE)
    if is_html(data):
        content_type, metadata = HTML_TYPE, {"format": "HTML"}
        title = re.search(rb"<title[^>]*>([^<]{0,300})</title>", data[:65536], re.IGNORECASE)
        if title:
            metadata["title"] = title.group(1).decode("utf-8", "replace").strip()
        canonical = canonical_link(data)
        if canonical:
            # The page's own name for itself: the duplicate check matches claims on it.
            metadata["canonical_url"] = canonical
    elif data.startswith(b"WARC/1."):
        content_type, metadata = WARC_TYPE, {"format": "WARC", **_warc_header(data)}
    elif data.startswith(b"\x1f\x8b") and _gunzip_start(data).startswith(b"WARC/1."):
        start = _gunzip_start(data)
        content_type, metadata = WARC_GZIP_TYPE, {"format": "WARC (gzip)", **_warc_header(start)}
    else:
        raise ValidationError(
            gettext("A page capture must be an HTML page, a PDF or a WARC file."),
            code="unsupported",
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
