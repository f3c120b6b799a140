"""Announcing what changed to the partners who subscribed: called by the services of
incidents and claims inside their transaction; the deliveries are recorded and sent only
once it commits (a rolled-back change tells nobody), and only for what partners may see
(incidents.selectors.partner_incidents, partner_deletions, claims.selectors.partner_claims):
a draft never leaves. The payload is the API's own representation of the record."""

import json
import uuid
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from claims.api.representation import claim_representation
from claims.selectors import partner_claims
from incidents.api.representation import deletion_representation, incident_representation
from incidents.selectors import partner_deletions, partner_incidents
from webhooks.models import Delivery, Event
from webhooks.selectors import endpoints_listening
from webhooks.services.delivery import enqueue


def _ids(records):
    """Primary keys of ``records``: model instances, primary keys, or a queryset."""
    if isinstance(records, QuerySet):
        return set(records.values_list("pk", flat=True))
    return {getattr(record, "pk", record) for record in records}


def announce(event, *, incidents=(), claims=()):
    """Tell the partners subscribed to ``event`` about these incidents or claims (instances,
    primary keys or querysets), once the current transaction commits."""
    incident_ids = sorted(_ids(incidents))
    claim_ids = sorted(_ids(claims))
    if incident_ids or claim_ids:
        # Robust: the change is committed and stands even if telling partners fails; Django
        # logs the error for the operator.
        transaction.on_commit(
            partial(record_deliveries, event, incident_ids=incident_ids, claim_ids=claim_ids),
            robust=True,
        )


def _payloads(event, incident_ids, claim_ids):
    if event == Event.INCIDENT_WITHDRAWN:
        rows = partner_deletions().filter(pk__in=incident_ids).order_by("pk")
        return deletion_representation(rows)
    if event == Event.CLAIM_REVIEWED:
        return claim_representation(partner_claims().filter(pk__in=claim_ids).order_by("pk"))
    return incident_representation(partner_incidents().filter(pk__in=incident_ids).order_by("pk"))


def record_deliveries(event, *, incident_ids=(), claim_ids=()):
    """Record one delivery of ``event`` per visible record and subscribed endpoint, and
    queue them; return the deliveries."""
    endpoints = endpoints_listening(event)
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for data in _payloads(event, incident_ids, claim_ids):
        event_id = uuid.uuid4()
        body = json.dumps(
            {"id": str(event_id), "type": event, "created_at": now.isoformat(), "data": data},
            cls=JSONEncoder,
            ensure_ascii=False,
        )
        deliveries += [
            Delivery(
                endpoint=endpoint,
                event_id=event_id,
                event=event,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ]
    if not deliveries:
        return []
    with transaction.atomic():
        created = Delivery.objects.bulk_create(deliveries)
        ids = [delivery.pk for delivery in created]
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return created
