"""Use cases on webhooks: registering an endpoint, announcing an event (from the services
of incidents and claims, after their transaction commits), and attempting a delivery.
The only writers of endpoints' state, deliveries and attempts."""

from webhooks.services.delivery import attempt_delivery, enqueue, requeue_due_deliveries
from webhooks.services.events import announce, record_deliveries
from webhooks.services.registration import check_endpoint_url, create_endpoint

__all__ = [
    "announce",
    "attempt_delivery",
    "check_endpoint_url",
    "create_endpoint",
    "enqueue",
    "record_deliveries",
    "requeue_due_deliveries",
]
