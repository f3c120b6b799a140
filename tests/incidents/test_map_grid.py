"""The map's groups from the counts PostgreSQL keeps per place (incidents.map_grid) are the
groups counted from the incidents themselves, whatever happens to the incidents."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from incidents import selectors
from incidents.map_grid import RECOUNT, listed_clusters, map_clusters
from incidents.models import Incident, IncidentStatus, PlaceListing
from tests.factories import IncidentFactory, PlaceFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL keeps the places' counts (a trigger); SQLite counts incidents",
    ),
]

BOX = {"min_lon": 22, "min_lat": 44, "max_lon": 40, "max_lat": 52.5}


def counted(user, box=None, cell=1.0):
    incidents = selectors.visible_incidents(user).exclude(status=IncidentStatus.WITHDRAWN)
    if box is not None:
        incidents = selectors.in_public_bbox(incidents, **box)
    return _rounded(map_clusters(incidents, cell=cell))


def stored(user, box=None, cell=1.0):
    return _rounded(listed_clusters(user, box=box, cell=cell))


def _rounded(clusters):
    # Wide squares sum exact decimals per cell (incidents.map_cells), the places' path sums
    # floats: the same positions to far below the five decimals the map writes.
    return sorted((n, round(lat, 9), round(lon, 9)) for n, lat, lon in clusters)


def test_stored_counts_follow_every_change_of_the_incidents():
    jo, other = UserFactory(role="journalist"), UserFactory(role="journalist")
    kyiv = PlaceFactory(latitude="50.450000", longitude="30.520000")
    home = PlaceFactory(latitude="50.454321", longitude="30.526789", precision="exact")
    kharkiv = PlaceFactory(latitude="49.990000", longitude="36.230000")
    lviv = PlaceFactory(latitude="49.840000", longitude="24.030000")
    paris = PlaceFactory(latitude="48.860000", longitude="2.350000", country="FR")
    made = [
        IncidentFactory(place=place, status=status, created_by=author)
        for place, status, author in [
            (kyiv, "published", other),
            (kyiv, "submitted", other),
            (home, "published", other),
            (kharkiv, "published", other),
            (kharkiv, "draft", jo),
            (lviv, "draft", other),
            (lviv, "withdrawn", other),
            (paris, "published", other),
        ]
    ]
    assert counted(jo) == stored(jo) and len(stored(jo)) == 3
    assert counted(jo, BOX) == stored(jo, BOX) and len(stored(jo, BOX)) == 2
    assert counted(other, BOX, 0.1) == stored(other, BOX, 0.1)

    # Published, withdrawn, moved, saved unchanged, back to draft: the counts follow.
    Incident.objects.filter(pk=made[5].pk).update(status="published")
    Incident.objects.filter(pk=made[0].pk).update(status="withdrawn", withdrawn_at=timezone.now())
    Incident.objects.filter(pk=made[3].pk).update(place=lviv)
    made[1].title = "Saved again, status and place unchanged"
    made[1].save()
    Incident.objects.filter(pk=made[7].pk).update(status="draft")
    for user in (jo, other):
        for box, cell in ((None, 1.0), (BOX, 1.0), (BOX, 0.05)):
            assert counted(user, box, cell) == stored(user, box, cell)
    assert dict(PlaceListing.objects.values_list("place_id", "n")) == {
        kyiv.pk: 1,
        home.pk: 1,
        kharkiv.pk: 0,
        lviv.pk: 2,
        paris.pk: 0,
    }


def test_a_recount_repairs_drift():
    place = PlaceFactory()
    IncidentFactory(place=place, status="published")
    PlaceListing.objects.filter(place=place).update(n=7)

    with connection.cursor() as cursor:
        cursor.execute(RECOUNT)

    assert PlaceListing.objects.get(place=place).n == 1


def test_recompute_summaries_reports_then_repairs_the_places_drift(capsys):
    place, other = PlaceFactory(name="Irpin"), PlaceFactory()
    IncidentFactory(place=place, status="published")
    IncidentFactory(place=other, status="submitted")
    PlaceListing.objects.filter(place=place).update(n=7)
    PlaceListing.objects.filter(place=other).delete()

    with pytest.raises(CommandError) as checked:
        call_command("recompute_summaries", "--check")
    assert checked.value.returncode == 1
    assert "2 places differs from their incidents" in str(checked.value)
    assert f"Irpin (#{place.pk}: stored 7, counted 1)" in str(checked.value)
    assert f"#{other.pk}: stored 0, counted 1" in str(checked.value)
    assert "summary" not in str(checked.value)
    assert PlaceListing.objects.get(place=place).n == 7

    with pytest.raises(CommandError, match="now repaired"):
        call_command("recompute_summaries")
    assert dict(PlaceListing.objects.values_list("place_id", "n")) == {place.pk: 1, other.pk: 1}

    call_command("recompute_summaries", "--check")
    assert "every place's map count its incidents" in capsys.readouterr().out
