"""What an export reads: the partners' own selector for exactly what partners see, or, for
editors' exports (``--status all`` or ``--staff``), every incident of the chosen statuses
(exchange.staff_rows reads all their live claims)."""

from django.db.models import QuerySet

from exchange.models import Release
from incidents import rules
from incidents.models import Incident
from incidents.selectors import partner_incident_rows

STATUSES = ("published", "all")


def incidents_for_export(*, status="published", staff=False, since=None) -> QuerySet[Incident]:
    """The incidents an export writes, ordered by ``pk`` for reading in chunks, with their
    place and nothing prefetched: exchange.export reads the rest of each chunk as rows.

    ``status="published"`` without ``staff`` is exactly what partners see
    (incidents.selectors.partner_incident_rows, with its stored summary). Otherwise every
    incident of the statuses (published, or all of them) with who logged it; its summary
    counts every live claim (exchange.staff_rows)."""
    if status not in STATUSES:
        raise ValueError(f"Unknown status {status!r}: use {' or '.join(STATUSES)}.")
    if status == "published" and not staff:
        incidents = partner_incident_rows()
    else:
        incidents = Incident.objects.select_related("place", "created_by")
        if status == "published":
            incidents = incidents.filter(rules.visible_to_partners())
    if since is not None:
        incidents = incidents.filter(updated_at__gte=since)
    return incidents.order_by("pk")


def releases():
    """Every dataset release: they are public, as is everything in them."""
    return Release.objects.all()
