"""Partners told of changes by signed webhooks: the endpoints they register (per API key),
each event's delivery to each endpoint, and every attempt at it.

Deliveries and attempts are written by webhooks.services only; nothing here is deleted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey


class Event(models.TextChoices):
    INCIDENT_PUBLISHED = "incident.published", "An incident was published"
    INCIDENT_UPDATED = "incident.updated", "A published incident changed"
    INCIDENT_WITHDRAWN = "incident.withdrawn", "A published incident was withdrawn"
    CLAIM_REVIEWED = "claim.reviewed", "A claim partners see was verified or disputed"


class Endpoint(models.Model):
    """A partner's URL that receives the events it subscribed to, signed with its secret.

    Belongs to a partner API key: it receives only what that key may read, and nothing
    once the key is revoked or expired. Disabled by itself after failing for 24 hours.
    """

    api_key = models.ForeignKey(
        APIKey,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("API key"),
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(
        default=list,
        help_text="The events sent here: " + ", ".join(Event.values) + ".",
        verbose_name=_("events"),
    )
    # Kept so that deliveries can be signed; shown once, when the endpoint is created.
    secret = models.CharField(max_length=100, editable=False, verbose_name=_("secret"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    failing_since = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("failing since")
    )
    disabled_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("disabled at")
    )
    disabled_reason = models.TextField(
        blank=True, editable=False, verbose_name=_("disabled reason")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Empty when created with the create_webhook command."),
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )

    class Meta:
        verbose_name_plural = _("webhook endpoints")
        ordering = ["api_key__name", "url", "pk"]
        verbose_name = _("webhook endpoint")
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="%(app_label)s_%(class)s_http_url",
                violation_error_message="A webhook URL starts with https:// or http://.",
            ),
        ]

    def __str__(self):
        return f"{self.url} ({self.api_key.name})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting for its next attempt"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Given up after 24 hours"
    CANCELLED = "cancelled", "Not sent: the endpoint was disabled"


class Delivery(models.Model):
    """One event for one endpoint: the exact body that is signed and sent at each attempt."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False, verbose_name=_("event id"))
    event = models.CharField(max_length=40, choices=Event.choices, verbose_name=_("event"))
    body = models.TextField(verbose_name=_("body"))
    status = models.CharField(
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        verbose_name=_("status"),
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("delivery")
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                name="%(app_label)s_%(class)s_one_per_event_and_endpoint",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="%(app_label)s_%(class)s_event_valid"
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id} → {self.endpoint.url}"


class Attempt(models.Model):
    """One try at a delivery: when, how long, and what came back."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered (2xx)"
        HTTP_ERROR = "http_error", "Refused by the endpoint"
        NETWORK_ERROR = "network_error", "Unreachable or too slow"
        REFUSED_ADDRESS = "refused_address", "Address not allowed"

    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    outcome = models.CharField(max_length=20, choices=Outcome.choices, verbose_name=_("outcome"))
    status_code = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("status code"))
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration ms"))
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="%(app_label)s_%(class)s_numbered"
            ),
        ]

    def __str__(self):
        return f"attempt {self.number}: {self.get_outcome_display()}"
