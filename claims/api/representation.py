"""What partners receive about claims, as plain data: the one function the API's claim
endpoints and the webhooks (webhooks.services.events) both call, so that a webhook carries
exactly what the API would answer."""

from django.conf import settings

from claims.api.serializers import ClaimWithIncidentSerializer


def claim_representation(claims, *, request=None):
    """The partner API's JSON-ready data of each of ``claims`` (read through
    claims.selectors.partner_claims()), in order, each naming its incident."""
    context = {"request": request, "base_url": settings.SITE_URL}
    return ClaimWithIncidentSerializer(claims, many=True, context=context).data
