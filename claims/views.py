"""Serving evidence: derivatives to whoever may see the claim, originals to staff only."""

import os
import re

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from claims import selectors
from claims.models import CustodyAction, Evidence
from claims.services import record_custody

# The extension a downloaded original gets, from the type read from its bytes (never the
# name it was uploaded under).
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/warc": ".warc",
    "application/warc+gzip": ".warc.gz",
}


@require_GET
def evidence_derivative(request, public_id, variant):
    """Serve a display image or thumbnail. Derivatives carry no metadata. Anything the
    user may not see is a 404, so the page does not reveal that the evidence exists."""
    evidence = get_object_or_404(selectors.evidence_for_serving(), public_id=public_id)
    if not selectors.may_see_derivatives(request.user, evidence):
        raise Http404
    derivative = evidence.display if variant == "display" else evidence.thumbnail
    if not derivative:
        raise Http404
    try:
        opened = derivative.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = "image/png" if derivative.name.endswith(".png") else "image/jpeg"
    response = FileResponse(opened, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if evidence.is_public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
@permission_required("claims.download_original", raise_exception=True)
def evidence_original(request, public_id):
    """Let staff download an original, byte-for-byte and always as an attachment (an HTML
    page capture is never rendered), and record who downloaded it and when."""
    evidence = get_object_or_404(Evidence, public_id=public_id)
    try:
        opened = evidence.original.open("rb")
    except FileNotFoundError as error:
        raise Http404(gettext("The original file is missing from storage.")) from error
    record_custody(
        evidence=evidence,
        action=CustodyAction.ACCESSED,
        actor=request.user,
        detail={
            "remote_addr": request.META.get("REMOTE_ADDR", ""),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    # Browsers must never interpret a capture or a polyglot as a page of this site.
    content_type = (
        "application/octet-stream"
        if evidence.content_type == "text/html"
        else evidence.content_type
    )
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=download_name(evidence),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def download_name(evidence):
    """The uploaded name's stem (made safe) with the extension of the file's real type."""
    stem = os.path.splitext(os.path.basename(evidence.original_filename))[0]
    stem = re.sub(r"[^\w.-]+", "-", stem).strip(".-")[:100] or evidence.sha256[:16]
    return stem + EXTENSIONS.get(evidence.content_type, "")
