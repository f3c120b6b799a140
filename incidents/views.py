from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from incidents.models import Incident


@login_required
def incident_list(request):
    incidents = (
        Incident.objects.visible_to(request.user).with_summary().select_related("place")[:50]
    )
    return render(request, "incidents/incident_list.html", {"incidents": incidents})


@login_required
def incident_detail(request, public_id):
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).with_summary().select_related("place"),
        public_id=public_id,
    )
    return render(request, "incidents/incident_detail.html", {"incident": incident})
