"""A batch of new incidents (log_incidents, an import's batches) is counted once per batch
(incidents.listed_counts): the stored counts per place, week and cell are those counted
from the incidents, as when each incident is counted by its row trigger."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction

from claims.models import Claim
from incidents import listed_counts
from incidents.map_cells import cell_drift
from incidents.map_grid import listed_drift
from incidents.models import CellListing, Incident, PlaceListing
from incidents.services import ClaimSubmission
from incidents.services.bulk import IncidentSubmission, log_incidents
from incidents.week_counts import week_drift
from tests.factories import IncidentFactory, PlaceFactory, SourceFactory, claim_fields

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL keeps the counts (triggers); SQLite counts incidents",
    ),
]


def submissions(places, count, source):
    """``count`` new incidents spread over ``places`` and over weeks, one claim each."""
    first = datetime.date(2022, 3, 1)
    days = [first + datetime.timedelta(days=n * 3) for n in range(count)]
    return [
        IncidentSubmission(
            incident=Incident(
                title=f"Batch incident {n}", occurred_from=days[n], occurred_to=days[n]
            ),
            place=places[n % len(places)],
            claims=[
                ClaimSubmission(
                    claim=Claim(
                        source=source,
                        **{**claim_fields(0), "url": f"https://example.org/{uuid.uuid4()}"},
                    )
                )
            ],
        )
        for n in range(count)
    ]


def test_a_batch_is_counted_per_place_week_and_cell(journalist):
    places = [
        PlaceFactory(latitude="50.450000", longitude="30.520000"),
        PlaceFactory(latitude="50.451000", longitude="30.521000"),  # the same cell
        PlaceFactory(latitude="49.990000", longitude="36.230000"),
        # A home, published rounded: counted at its rounded position.
        PlaceFactory(latitude="50.126400", longitude="30.249600", precision="exact"),
    ]
    IncidentFactory(status="submitted", place=places[0])  # counted by its trigger
    IncidentFactory(status="draft", place=places[2])  # not listed
    logged = log_incidents(
        logged_by=journalist, submissions=submissions(places, 23, SourceFactory()), submit=True
    )
    drafts = log_incidents(
        logged_by=journalist, submissions=submissions(places[:1], 3, SourceFactory())
    )
    assert len(logged) == 23 and len(drafts) == 3
    assert listed_drift() == [] and week_drift() == [] and cell_drift() == []
    assert PlaceListing.objects.get(place=places[0]).n == 1 + 6
    assert sum(CellListing.objects.values_list("n", flat=True)) == 24
    home = CellListing.objects.get(cx=int(Decimal("30.25") * 8), cy=int(Decimal("50.13") * 8))
    assert home.n == 5 and home.lat_sum == 5 * Decimal("50.13")


def test_only_the_batch_is_silenced(journalist):
    place = PlaceFactory()
    with transaction.atomic():
        log_incidents(
            logged_by=journalist, submissions=submissions([place], 2, SourceFactory()), submit=True
        )
        # The triggers count what follows the batch, in the same transaction.
        IncidentFactory(status="submitted", place=place)
    assert PlaceListing.objects.get(place=place).n == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [listed_counts.SETTING])
        assert cursor.fetchone()[0] in (None, "", "off")
    gone = Incident.objects.filter(place=place).first()
    with connection.cursor() as cursor:  # deletes are never silenced (nor made but by hand)
        cursor.execute("DELETE FROM claims_claim WHERE incident_id = %s", [gone.pk])
        cursor.execute("DELETE FROM incidents_incident WHERE id = %s", [gone.pk])
    assert listed_drift() == [] and week_drift() == [] and cell_drift() == []
    assert PlaceListing.objects.get(place=place).n == 2
