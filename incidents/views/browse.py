"""Finding incidents: the list with search and filters and the timeline (the map is in
incidents.views.map). Reads go through incidents.selectors and the page filters."""

import datetime

from django.db import connection
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncWeek
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from incidents import selectors
from incidents.duplicates import shifted
from incidents.models import Incident, IncidentItem
from incidents.page_filters import IncidentPageFilterSet
from incidents.views.access import staff_page
from incidents.week_counts import listed_weeks
from lootwatch.paging import CappedPaginator

PAGE_SIZE = 25
# The list counts its incidents up to this many; beyond, it says "more than".
LIST_COUNT_CAP = 1000


def _filterset(request, queryset):
    return IncidentPageFilterSet(request.GET or None, queryset=queryset, request=request)


def _filtered(filterset):
    """True if any filter of the page narrows the incidents (as the map's)."""
    return filterset.is_bound and (
        not filterset.is_valid() or any(filterset.form.cleaned_data.values())
    )


def _querystring_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _list_context(request, filterset):
    return {
        "filter": filterset,
        "querystring": _querystring_without(request, "page"),
        # Keep the filters panel open when a filter other than the search box is in use.
        "filters_active": any(
            value for name, value in request.GET.items() if name not in ("q", "page")
        )
        or bool(filterset.form.errors),
    }


@require_GET
@staff_page
def incident_list(request):
    """Incidents the user may see, searched, filtered, sorted and paginated.

    The page is chosen first, from the filtered ids in order; only its incidents are then
    read with their verification summary, so the cost is a page's whatever the table's
    size. The count stops at LIST_COUNT_CAP ("more than 1,000 incidents").
    """
    filterset = _filterset(
        request, selectors.visible_incidents(request.user).order_by("-occurred_from", "-pk")
    )
    paginator = CappedPaginator(
        filterset.qs.values_list("pk", flat=True), PAGE_SIZE, cap=LIST_COUNT_CAP
    )
    page = paginator.get_page(request.GET.get("page"))
    incidents = (
        selectors.with_summary(Incident.objects.filter(pk__in=page.object_list))
        .select_related("place")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category").order_by("pk"),
            )
        )
        .in_bulk()
    )
    page.object_list = [incidents[pk] for pk in page.object_list]
    for incident in page.object_list:
        # Distinct categories in the order first mentioned; items are already prefetched.
        incident.categories = list(dict.fromkeys(item.category for item in incident.items.all()))
    return render(
        request,
        "incidents/incident_list.html",
        {**_list_context(request, filterset), "page": page, "view_name": "list"},
    )


@require_GET
@staff_page
def incident_timeline(request):
    """How many of the filtered incidents began in each week, as a bar chart; each week
    links to the list of its incidents. Withdrawn incidents count only when the status
    filter asks for them, as in the list."""
    filterset = _filterset(request, selectors.visible_incidents(request.user))
    if connection.vendor == "postgresql" and not _filtered(filterset):
        # What every journalist sees, counted per week as incidents change: no pass over the
        # incidents (incidents.week_counts).
        counts = listed_weeks(request.user)
    else:
        counts = dict(
            filterset.qs.order_by()
            .annotate(week=TruncWeek("occurred_from"))
            .values("week")
            .annotate(count=Count("pk"))
            .values_list("week", "count")
        )
    # TruncWeek gives a date on SQLite and a datetime on some backends: compare dates.
    counts = {
        (week.date() if isinstance(week, datetime.datetime) else week): count
        for week, count in counts.items()
    }
    weeks = []
    if counts:
        first, last = min(counts), max(counts)
        # Every week between the first and the last, so quiet weeks show as gaps; capped so
        # a stray date far in the past cannot make a page of thousands of rows.
        # (Stepping stops at the last week rather than past it: after 9999-12-27 there is no
        # next Monday to step to.)
        week = max(first, shifted(last, -7 * 520))
        while True:
            weeks.append((week, counts.get(week, 0)))
            if (last - week).days < 7:
                break
            week += datetime.timedelta(weeks=1)
    highest = max((count for _, count in weeks), default=0)
    # Each week leads to the list of the incidents it counts: the same filters, that week.
    filters = _querystring_without(request, "page", "week")
    list_url = reverse("incidents:list")
    rows = [
        {
            "week": week,
            "count": count,
            "percent": round(100 * count / highest) if highest else 0,
            "url": f"{list_url}?{filters}{'&' if filters else ''}week={week.isoformat()}",
        }
        for week, count in weeks
    ]
    return render(
        request,
        "incidents/incident_timeline.html",
        {
            **_list_context(request, filterset),
            "view_name": "timeline",
            "rows": rows,
            "total": sum(counts.values()),
        },
    )
