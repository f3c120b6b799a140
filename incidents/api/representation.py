"""What partners receive about incidents, as plain data: the one function the API's incident
endpoints and the webhooks (webhooks.services.events) both call, so that a webhook carries
exactly what the API would answer. A faster serialization path replaces the body of these
functions, not their callers."""

from django.conf import settings

from incidents.api.serializers import DeletionSerializer, IncidentSerializer


def serializer_context(request=None):
    """Links are absolute: from the request when there is one, else from SITE_URL."""
    return {"request": request, "base_url": settings.SITE_URL}


def incident_representation(incidents, *, request=None):
    """The partner API's JSON-ready data of each of ``incidents`` (read through
    incidents.selectors.partner_incidents()), in order."""
    return IncidentSerializer(incidents, many=True, context=serializer_context(request)).data


def deletion_representation(rows, *, request=None):
    """The partner API's data for incidents or claims to remove from a mirror (from
    incidents.selectors.partner_deletions() or claims.selectors.partner_claim_deletions())."""
    return DeletionSerializer(rows, many=True, context=serializer_context(request)).data
