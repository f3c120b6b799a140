from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from claims.models import CustodyAction, CustodyEvent, Evidence
from incidents.models import IncidentStatus


@require_GET
def evidence_derivative(request, public_id, variant):
    """Serve a display image or thumbnail: public once the incident is published,
    otherwise only to signed-in staff. Derivatives carry no metadata."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("claim__incident"), public_id=public_id
    )
    published = (
        evidence.claim.incident.status == IncidentStatus.PUBLISHED
        and evidence.claim.withdrawn_at is None
    )
    if not published and not request.user.has_perm("claims.view_evidence"):
        raise Http404
    derivative = evidence.display if variant == "display" else evidence.thumbnail
    if not derivative:
        raise Http404
    response = FileResponse(derivative.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600" if not published else "max-age=3600"
    return response


@require_GET
@login_required
@permission_required("claims.download_original", raise_exception=True)
def evidence_original(request, public_id):
    """Let an editor download the original, byte-for-byte, and log the access."""
    evidence = get_object_or_404(Evidence, public_id=public_id)
    CustodyEvent.objects.create(
        evidence=evidence,
        action=CustodyAction.ACCESSED,
        actor=request.user,
        detail={"remote_addr": request.META.get("REMOTE_ADDR", "")},
    )
    return FileResponse(
        evidence.original.open("rb"),
        as_attachment=True,
        filename=evidence.original_filename or evidence.sha256,
        content_type=evidence.content_type,
    )
