"""Saved copies of a claim's web page: HTML, PDF or WARC, stored and hashed like any
evidence, accepted only when the upload says it is a page capture."""

import gzip
import hashlib

import pytest
from django.core.exceptions import ValidationError

from claims.models import EvidenceKind
from claims.services import attach_evidence
from tests.claims.evidence.conftest import jpeg, upload
from tests.claims.evidence.test_intake import minimal_pdf

pytestmark = pytest.mark.django_db

SAVED_PAGE = (
    b"\xef\xbb\xbf\n  <!-- saved from url=(0046)https://twitter.com/DefenceU/status/1510265 -->\n"
    b"<!DOCTYPE html><html><head><title>Defence of Ukraine on Twitter</title></head>"
    b"<body><script>window.__INITIAL_STATE__ = {}</script>Not every military trophy...</body>"
    b"</html>"
)
WARC_RECORD = (
    b"WARC/1.1\r\nWARC-Type: response\r\n"
    b"WARC-Target-URI: https://twitter.com/DefenceU/status/1510265447712448514\r\n"
    b"WARC-Date: 2022-04-02T12:00:00Z\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
)


def capture(claim, user, data, name):
    return attach_evidence(
        claim=claim, file=upload(data, name=name), uploaded_by=user, kind=EvidenceKind.PAGE_CAPTURE
    )


def test_an_html_capture_is_stored_and_hashed(claim, journalist):
    evidence = capture(claim, journalist, SAVED_PAGE, "tweet.html")
    assert evidence.kind == EvidenceKind.PAGE_CAPTURE
    assert evidence.content_type == "text/html"
    assert evidence.sha256 == hashlib.sha256(SAVED_PAGE).hexdigest()
    assert evidence.metadata["title"] == "Defence of Ukraine on Twitter"
    assert evidence.original.open("rb").read() == SAVED_PAGE
    assert not evidence.display and not evidence.thumbnail


def test_html_is_refused_unless_marked_as_a_page_capture(claim, journalist):
    with pytest.raises(ValidationError, match="not a JPEG"):
        attach_evidence(claim=claim, file=upload(SAVED_PAGE, name="x.html"), uploaded_by=journalist)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(WARC_RECORD, "application/warc"), (gzip.compress(WARC_RECORD), "application/warc+gzip")],
    ids=["plain", "gzipped"],
)
def test_warc_captures_plain_or_gzipped(claim, journalist, data, content_type):
    evidence = capture(claim, journalist, data, "capture.warc")
    assert evidence.content_type == content_type
    assert evidence.metadata["warc_target_uri"].endswith("/1510265447712448514")
    assert evidence.metadata["warc_date"] == "2022-04-02T12:00:00Z"


def test_a_pdf_capture(claim, journalist):
    evidence = capture(claim, journalist, minimal_pdf(), "page.pdf")
    assert (evidence.kind, evidence.content_type) == ("page_capture", "application/pdf")


@pytest.mark.parametrize(
    "data",
    [jpeg(), b"just some text", gzip.compress(b"not a warc"), b"From: <Saved by Blink>"],
    ids=["jpeg", "text", "gzipped-text", "mhtml"],
)
def test_anything_else_is_not_a_page_capture(claim, journalist, data):
    with pytest.raises(ValidationError, match="must be an HTML page, a PDF or a WARC file"):
        capture(claim, journalist, data, "page.html")


def test_the_declared_kind_must_match_the_bytes(claim, journalist):
    with pytest.raises(ValidationError, match="is a PDF, not an image"):
        attach_evidence(
            claim=claim, file=upload(minimal_pdf()), uploaded_by=journalist, kind="image"
        )
    with pytest.raises(ValidationError, match="Unknown evidence kind"):
        attach_evidence(claim=claim, file=upload(jpeg()), uploaded_by=journalist, kind="video")
