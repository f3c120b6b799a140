"""Reads of webhook endpoints and deliveries, for the services, the admin and the commands."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from webhooks.models import Delivery, DeliveryStatus, Endpoint


def endpoints_listening(event) -> list[Endpoint]:
    """The active endpoints subscribed to ``event`` whose API key is still valid (not
    revoked, not expired): who is told of it."""
    endpoints = Endpoint.objects.filter(active=True, api_key__revoked=False).select_related(
        "api_key"
    )
    return [
        endpoint
        for endpoint in endpoints
        if event in endpoint.events and not endpoint.api_key.has_expired
    ]


def due_deliveries(now) -> QuerySet[Delivery]:
    """Deliveries waiting for an attempt whose time has come, oldest first."""
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")


def editors():
    """The active editors: who is told when an endpoint is disabled."""
    return get_user_model().objects.filter(groups__name="editor", is_active=True).order_by("pk")
