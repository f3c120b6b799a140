"""What partners receive about incidents, as plain data: the one function the API's incident
endpoints and the webhooks (webhooks.services.events) both call, so that a webhook carries
exactly what the API would answer.

Incidents are built as plain dicts by incidents.api.plain (the fast path), which gives
exactly what IncidentSerializer would: the serializers remain the OpenAPI schema's
description, and the reference the fast path is tested against byte for byte."""

from django.conf import settings

from claims.api.plain import Rendering
from incidents.api.plain import incident_data
from incidents.api.rows import incident_page_data
from incidents.api.serializers import DeletionSerializer


def serializer_context(request=None):
    """Links are absolute: from the request when there is one, else from SITE_URL."""
    return {"request": request, "base_url": settings.SITE_URL}


def incident_representation(incidents, *, request=None):
    """The partner API's JSON-ready data of each of ``incidents`` (read through
    incidents.selectors.partner_incidents()), in order."""
    rendering = Rendering(request, settings.SITE_URL)
    return [incident_data(incident, rendering) for incident in incidents]


def incident_page_representation(incidents, *, request=None, claims_as_json=False):
    """incident_representation() of a page of incidents read through
    incidents.selectors.partner_incident_rows() (place and summary only, nothing
    prefetched): the list's fast path, the same data read as rows; with
    ``claims_as_json``, each incident's claims as JSON text for the JSON renderers."""
    rendering = Rendering(request, settings.SITE_URL)
    return incident_page_data(incidents, rendering, claims_as_json=claims_as_json)


def deletion_representation(rows, *, request=None):
    """The partner API's data for incidents or claims to remove from a mirror (from
    incidents.selectors.partner_deletions() or claims.selectors.partner_claim_deletions())."""
    return DeletionSerializer(rows, many=True, context=serializer_context(request)).data
