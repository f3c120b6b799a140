"""Downloading an incident's dossier (editors only): the PDF, or the zip of the PDF with
every original evidence file and their manifest. incidents.services.export_dossier checks
who may have it and records the download in every file's chain of custody."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from incidents import rules
from incidents import services as incident_services
from incidents.models import Incident
from incidents.views.access import staff_page


@require_GET
@never_cache
@staff_page
def incident_dossier(request, public_id, package):
    # Refused before the incident is looked up: a journalist learns nothing from a dossier
    # URL, not even whether the incident exists.
    if not rules.can_download_dossier(request.user):
        raise PermissionDenied(_("Only editors may download dossiers."))
    incident = get_object_or_404(Incident, public_id=public_id)
    try:
        dossier = incident_services.export_dossier(
            incident=incident, editor=request.user, package=package
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=409, content_type="text/plain")
    response = FileResponse(
        dossier.file,
        as_attachment=True,
        filename=dossier.filename,
        content_type=dossier.content_type,
    )
    # Whoever checks the download can compare it with the chain of custody.
    response["X-Content-SHA256"] = dossier.sha256
    return response
