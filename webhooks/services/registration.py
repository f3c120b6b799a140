"""Registering a partner's webhook endpoint."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from webhooks import network
from webhooks.models import Endpoint, Event


def check_endpoint_url(url):
    """Raise ValidationError unless webhooks may be sent to ``url``: http(s) only, to a host
    whose every address is public (webhooks.network)."""
    try:
        network.check_url(url)
    except network.RefusedURL as error:
        raise ValidationError(str(error)) from error


def new_secret():
    return f"whsec_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create_endpoint(*, api_key, url, events=None, created_by=None):
    """Register ``url`` to receive ``events`` (all of them if None) for the partner holding
    ``api_key``; return ``(endpoint, secret)``. The secret signs every delivery and is shown
    to the partner once.

    ``created_by`` is the editor registering it (None from the create_webhook command run
    by an operator). Raise PermissionDenied for a user who may not, and ValidationError
    for an unknown event, a revoked key or a URL webhooks may not reach, writing nothing.
    """
    if created_by is not None and not (
        created_by.is_active and created_by.has_perm("webhooks.add_endpoint")
    ):
        raise PermissionDenied(_("You are not allowed to register webhooks."))
    events = list(dict.fromkeys(events or Event.values))
    unknown = [event for event in events if event not in Event.values]
    if unknown:
        raise ValidationError(
            {
                "events": _("Unknown event(s) %(events)s: use %(choices)s.")
                % {"events": ", ".join(unknown), "choices": ", ".join(Event.values)}
            }
        )
    if api_key.revoked or api_key.has_expired:
        raise ValidationError({"api_key": _("This API key is revoked or expired.")})
    try:
        check_endpoint_url(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from error
    secret = new_secret()
    endpoint = Endpoint(
        api_key=api_key, url=url, events=events, secret=secret, created_by=created_by
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret
