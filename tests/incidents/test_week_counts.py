"""The timeline's weeks from the counts PostgreSQL keeps per week (incidents.week_counts)
are the weeks counted from the incidents themselves, whatever happens to the incidents;
and the unfiltered timeline reads them without a pass over the incidents."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import selectors
from incidents.models import Incident, IncidentStatus, WeekListing
from incidents.week_counts import listed_weeks, recount_weeks, week_drift
from tests.factories import IncidentFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL keeps the weeks' counts (a trigger); SQLite counts incidents",
    ),
]


def day(month, number):
    return datetime.date(2022, month, number)


def counted(user):
    incidents = selectors.visible_incidents(user).exclude(status=IncidentStatus.WITHDRAWN)
    rows = (
        incidents.order_by()
        .annotate(week=TruncWeek("occurred_from"))
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    return dict(rows)


def test_stored_weeks_follow_every_change_of_the_incidents():
    jo, other = UserFactory(role="journalist"), UserFactory(role="journalist")
    made = [
        IncidentFactory(status=status, created_by=author, occurred_from=when, occurred_to=when)
        for status, author, when in [
            ("published", other, day(3, 1)),  # a Tuesday: the week of 28 February
            ("submitted", other, day(3, 6)),  # the Sunday of the same week
            ("published", other, day(3, 7)),  # the next Monday
            ("draft", jo, day(3, 2)),
            ("draft", other, day(4, 1)),
            ("withdrawn", other, day(5, 1)),
        ]
    ]
    assert listed_weeks(jo) == counted(jo) == {day(2, 28): 3, day(3, 7): 1}
    assert listed_weeks(other) == counted(other)

    # Published, withdrawn, moved to another week, saved unchanged, submitted: they follow.
    Incident.objects.filter(pk=made[4].pk).update(status="published")
    Incident.objects.filter(pk=made[0].pk).update(status="withdrawn", withdrawn_at=timezone.now())
    Incident.objects.filter(pk=made[2].pk).update(occurred_from=day(6, 15), occurred_to=day(6, 15))
    made[1].title = "Saved again, status and date unchanged"
    made[1].save()
    Incident.objects.filter(pk=made[3].pk).update(status="submitted")

    assert listed_weeks(jo) == counted(jo)
    assert listed_weeks(other) == counted(other)
    assert week_drift() == []


def test_drift_is_found_and_repaired():
    IncidentFactory(status="published", occurred_from=day(3, 1), occurred_to=day(3, 1))
    WeekListing.objects.filter(week=day(2, 28)).update(n=5)
    WeekListing.objects.create(week=day(1, 3), n=2)

    assert week_drift() == [(day(1, 3), 2, 0), (day(2, 28), 5, 1)]
    with pytest.raises(CommandError, match="stored count of 2 weeks differs") as checked:
        call_command("recompute_summaries", "--check")
    assert checked.value.returncode == 1 and len(week_drift()) == 2
    with pytest.raises(CommandError, match="2022-02-28 \\(stored 5, counted 1\\)"):
        call_command("recompute_summaries")
    assert week_drift() == []
    recount_weeks()
    assert week_drift() == []


def test_the_unfiltered_timeline_reads_the_stored_weeks(journalist_client, journalist):
    for when in (day(3, 1), day(3, 2), day(3, 20)):
        IncidentFactory(status="published", occurred_from=when, occurred_to=when)
    IncidentFactory(
        status="draft", created_by=journalist, occurred_from=day(3, 19), occurred_to=day(3, 19)
    )

    with CaptureQueriesContext(connection) as queries:
        unfiltered = journalist_client.get("/incidents/timeline/")
    with CaptureQueriesContext(connection) as filtered_queries:
        filtered = journalist_client.get("/incidents/timeline/", {"q": "nothing matches this"})

    def read_stored(captured):
        return "incidents_week_listed" in " ".join(q["sql"] for q in captured.captured_queries)

    assert read_stored(queries) and not read_stored(filtered_queries)
    assert filtered.context["total"] == 0
    assert [(row["week"], row["count"]) for row in unfiltered.context["rows"]] == [
        (day(2, 28), 2),
        (day(3, 7), 0),
        (day(3, 14), 2),
    ]
    assert unfiltered.context["total"] == 4
