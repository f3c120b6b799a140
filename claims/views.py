"""Serving evidence: derivatives to whoever may see the claim, originals to staff only."""

import os
import re

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from claims.models import CustodyAction, CustodyEvent, Evidence
from claims.selectors import is_visible_to_partners

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


def is_public(evidence):
    """Return True if the derivatives of ``evidence`` are public: its claim is one partners
    may see (claims.selectors.visible_to_partners: live, of a published incident, not
    waiting for an editor). ``evidence.claim.incident`` should already be loaded."""
    return is_visible_to_partners(evidence.claim)


def may_see_derivatives(user, evidence):
    """Return True if ``user`` may see the display image and thumbnail of ``evidence``.

    Anyone once they are public. Before that, staff with claims.view_evidence who may see
    the incident in the pages (Incident.objects.visible_to: not another journalist's
    draft), and editors, who review every incident in the admin and may download every
    original (claims.download_original) anyway.
    """
    from incidents.models import Incident

    if is_public(evidence):
        return True
    if not user.is_authenticated or not user.has_perm("claims.view_evidence"):
        return False
    if user.has_perm("claims.download_original"):
        return True
    return Incident.objects.visible_to(user).filter(pk=evidence.claim.incident_id).exists()


@require_GET
def evidence_derivative(request, public_id, variant):
    """Serve a display image or thumbnail. Derivatives carry no metadata. Anything the
    user may not see is a 404, so the page does not reveal that the evidence exists."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("claim__incident").only(
            "public_id",
            "display",
            "thumbnail",
            "claim__withdrawn_at",
            "claim__status",
            "claim__created_at",
            "claim__incident__status",
            "claim__incident__published_at",
        ),
        public_id=public_id,
    )
    if not may_see_derivatives(request.user, evidence):
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
    if is_public(evidence):
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
        raise Http404("The original file is missing from storage.") from error
    CustodyEvent.objects.create(
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
