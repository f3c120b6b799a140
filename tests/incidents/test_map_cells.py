"""The map's counts per cell of a fixed grid (incidents.map_cells) are the per-place counts
summed, whatever happens to incidents and places, and the wide squares read from them are
the squares counted from the incidents themselves."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from incidents import selectors
from incidents.map_cells import CELLS_PER_DEGREE, cell_drift, worth_it
from incidents.map_grid import listed_clusters, map_clusters
from incidents.models import CellListing, Incident, IncidentStatus, Place
from tests.factories import IncidentFactory, PlaceFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL keeps the cells' counts (triggers); SQLite counts incidents",
    ),
]

# Boxes whose edges cut cells, and squares whose edges cut cells (1.7578125 is the
# benchmark's country zoom; 0.8 and 1.1 are no multiple of a cell).
BOXES = [
    None,
    {"min_lon": 22, "min_lat": 44, "max_lon": 40, "max_lat": 52.5},
    {"min_lon": 22.13, "min_lat": 44.31, "max_lon": 36.2301, "max_lat": 50.4501},
    {"min_lon": Decimal("30.5"), "min_lat": Decimal("50.45"), "max_lon": 36.23, "max_lat": 50.5},
]
CELLS = [1.7578125, 0.8, 1.1, 9.0]


def counted(user, box, cell):
    incidents = selectors.visible_incidents(user).exclude(status=IncidentStatus.WITHDRAWN)
    if box is not None:
        incidents = selectors.in_public_bbox(incidents, **box)
    return _rounded(map_clusters(incidents, cell=cell))


def stored(user, box, cell):
    assert worth_it(cell)
    return _rounded(listed_clusters(user, box=box, cell=cell))


def _rounded(clusters):
    # The cells sum exact decimals; the places' path sums floats: alike to far below the
    # five decimals the map writes.
    return sorted((n, round(lat, 9), round(lon, 9)) for n, lat, lon in clusters)


def cells_from_places():
    """{(column, row): (count, latitude sum, longitude sum)} from the listed incidents."""
    cells = {}
    listed = Incident.objects.filter(status__in=["submitted", "published"]).select_related("place")
    for incident in listed:
        latitude, longitude = incident.place.public_coordinates()
        key = (
            int((longitude * CELLS_PER_DEGREE).to_integral_value("ROUND_FLOOR")),
            int((latitude * CELLS_PER_DEGREE).to_integral_value("ROUND_FLOOR")),
        )
        n, lat, lon = cells.get(key, (0, 0, 0))
        cells[key] = (n + 1, lat + latitude, lon + longitude)
    return cells


def stored_cells():
    return {
        (cell.cx, cell.cy): (cell.n, cell.lat_sum, cell.lon_sum)
        for cell in CellListing.objects.exclude(n=0)
    }


def make_places():
    """Places on and near cells' and squares' edges, a home rounded across a cell's edge."""
    return [
        PlaceFactory(latitude="50.450000", longitude="30.520000"),
        PlaceFactory(latitude="50.500000", longitude="30.500000"),  # on a cell's corner
        PlaceFactory(latitude="50.499999", longitude="30.499999"),
        # Rounded to 50.50, 30.50: published in the next cell.
        PlaceFactory(latitude="50.496000", longitude="30.496000", precision="exact"),
        PlaceFactory(latitude="49.990000", longitude="36.230000"),
        PlaceFactory(latitude="49.840000", longitude="24.030000"),
        PlaceFactory(latitude="45.703125", longitude="35.156250"),  # on a square's edge
        PlaceFactory(latitude="48.860000", longitude="2.350000", country="FR"),
        PlaceFactory(latitude="-33.870000", longitude="-70.650000", country="CL"),
    ]


def test_cells_follow_incidents_and_places_and_give_the_places_squares():
    jo, other = UserFactory(role="journalist"), UserFactory(role="journalist")
    places = make_places()
    statuses = ["published", "submitted", "draft", "withdrawn"]
    made = [
        IncidentFactory(place=place, status=statuses[(i + k) % 4], created_by=(jo, other)[k % 2])
        for i, place in enumerate(places)
        for k in range(3)
    ]
    assert stored_cells() == cells_from_places()
    for user in (jo, other):
        for box in BOXES:
            for cell in CELLS:
                assert counted(user, box, cell) == stored(user, box, cell), (box, cell)

    # Published, withdrawn, moved to another place, the place moved, made a public home.
    Incident.objects.filter(pk=made[2].pk).update(status="published")
    Incident.objects.filter(pk=made[0].pk).update(status="withdrawn", withdrawn_at=timezone.now())
    Incident.objects.filter(pk=made[4].pk).update(place=places[6])
    Place.objects.filter(pk=places[0].pk).update(latitude="47.100000", longitude="37.550000")
    Place.objects.filter(pk=places[3].pk).update(exact_location_public=True)
    Place.objects.filter(pk=places[4].pk).update(precision="exact", latitude="49.994999")
    Place.objects.filter(pk=places[5].pk).update(name="Renamed, not moved")
    made[1].title = "Saved again, status and place unchanged"
    made[1].save()
    assert stored_cells() == cells_from_places()
    assert cell_drift() == []
    for user in (jo, other):
        for box in BOXES:
            for cell in CELLS:
                assert counted(user, box, cell) == stored(user, box, cell), (box, cell)


def test_recompute_summaries_reports_then_repairs_the_cells_drift():
    place = PlaceFactory(latitude="50.450000", longitude="30.520000")
    IncidentFactory(place=place, status="published")
    IncidentFactory(place=place, status="submitted")
    CellListing.objects.update(n=5, lat_sum=1)

    with pytest.raises(CommandError) as checked:
        call_command("recompute_summaries", "--check")
    assert "1 grid cells differs from their incidents: (244, 403) (stored 5, counted 2)" in str(
        checked.value
    )
    assert "places" not in str(checked.value)

    with pytest.raises(CommandError, match="now repaired"):
        call_command("recompute_summaries")
    assert stored_cells() == cells_from_places()
    assert cell_drift() == []
    call_command("recompute_summaries", "--check")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_place_moved_while_an_incident_is_listed_there_keeps_the_cells_right():
    # Two editors at once: one moves a place (its transaction still open), the other lists
    # an incident there. The listing's trigger read the place's position before the move
    # was committed, and the move's read the place's count before the listing's was.
    import threading
    import time

    import psycopg

    place = PlaceFactory(
        latitude=Decimal("50.45"), longitude=Decimal("30.52"), precision="settlement"
    )
    IncidentFactory(place=place, status=IncidentStatus.SUBMITTED)
    journalist = UserFactory(role="journalist")
    db = connection.settings_dict
    mover = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )

    def list_one():
        try:
            IncidentFactory(place=place, status=IncidentStatus.SUBMITTED, created_by=journalist)
        finally:
            connection.close()

    try:
        mover.execute(
            "UPDATE incidents_place SET latitude = 48.5, longitude = 35.0 WHERE id = %s",
            [place.pk],
        )
        lister = threading.Thread(target=list_one)
        lister.start()
        time.sleep(1)  # the listing reads the place and waits for the cell's row
        mover.commit()
        lister.join(30)
        assert not lister.is_alive()
    finally:
        mover.close()
    assert Incident.objects.filter(place=place).count() == 2
    assert cell_drift() == []
