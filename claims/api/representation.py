"""What partners receive about claims, as plain data: the one function the API's claim
endpoints and the webhooks (webhooks.services.events) both call, so that a webhook carries
exactly what the API would answer.

Claims are built as plain dicts by claims.api.plain (the fast path), which gives exactly
what ClaimWithIncidentSerializer would; the serializer remains the OpenAPI schema's
description and the reference the fast path is tested against byte for byte."""

from django.conf import settings

from claims.api.plain import Rendering, claim_data


def claim_representation(claims, *, request=None):
    """The partner API's JSON-ready data of each of ``claims`` (read through
    claims.selectors.partner_claims()), in order, each naming its incident."""
    rendering = Rendering(request, settings.SITE_URL)
    return [claim_data(claim, rendering, with_incident=True) for claim in claims]
