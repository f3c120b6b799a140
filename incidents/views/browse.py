"""Finding incidents: the list with search and filters, the map and its GeoJSON, and the
timeline. Reads go through incidents.selectors and the page filters."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import TruncWeek
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from incidents import selectors
from incidents.duplicates import shifted
from incidents.filters import IncidentPageFilterSet
from incidents.geojson import feature_collection, point_feature, route_feature
from incidents.models import Incident, IncidentItem, Place, RoutePoint
from incidents.views.access import staff_page

PAGE_SIZE = 25
# The map shows at most this many incidents; the page says so when there are more.
MAP_LIMIT = 5000


def _filterset(request, queryset):
    return IncidentPageFilterSet(request.GET or None, queryset=queryset, request=request)


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
    """Incidents the user may see, searched, filtered, sorted and paginated."""
    incidents = (
        selectors.with_summary(selectors.visible_incidents(request.user))
        .select_related("place")
        .order_by("-occurred_from", "-pk")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=IncidentItem.objects.select_related("category").order_by("pk"),
            )
        )
    )
    filterset = _filterset(request, incidents)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for incident in page:
        # Distinct categories in the order first mentioned; items are already prefetched.
        incident.categories = list(dict.fromkeys(item.category for item in incident.items.all()))
    return render(
        request,
        "incidents/incident_list.html",
        {**_list_context(request, filterset), "page": page, "view_name": "list"},
    )


@require_GET
@staff_page
def incident_map(request):
    """The filtered incidents on a map; the markers come from incident_geojson."""
    filterset = _filterset(request, Incident.objects.none())
    return render(
        request,
        "incidents/incident_map.html",
        {
            **_list_context(request, filterset),
            "view_name": "map",
            "map_config": {
                "geojson_url": f"{reverse('incidents:map-geojson')}?{request.GET.urlencode()}",
                "tile_url": settings.MAP_TILE_URL,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            },
        },
    )


@require_GET
@staff_page
def incident_geojson(request):
    """The filtered incidents as a GeoJSON FeatureCollection for the map: each incident's
    point, and the route its goods were taken along as a line after it.

    Places of `exact` precision are placed and named as partners would see them (rounded to
    about 1 km and named by their district unless marked public): an overview map need not
    point at anyone's door, and map data is the kind of thing that gets exported.
    """
    incidents = selectors.with_summary(selectors.visible_incidents(request.user)).select_related(
        "place"
    )
    filterset = _filterset(request, incidents)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    incidents = list(filterset.qs[: MAP_LIMIT + 1])
    routes = _routes(incidents[:MAP_LIMIT])
    features = []
    for incident in incidents[:MAP_LIMIT]:
        here = _published_place(incident.place)
        latitude, longitude, place_name = here
        properties = {"title": incident.title, "url": incident.get_absolute_url()}
        features.append(
            point_feature(
                str(incident.public_id),
                longitude=longitude,
                latitude=latitude,
                properties={
                    **properties,
                    "place": place_name,
                    "occurred_from": incident.occurred_from.isoformat(),
                    "occurred_to": incident.occurred_to.isoformat(),
                    "status": incident.status,
                    "assessment": incident.assessment,
                },
            )
        )
        stops = [here, *routes.get(incident.pk, ())]
        route = route_feature(
            str(incident.public_id),
            coordinates=[(longitude, latitude) for latitude, longitude, _ in stops],
            properties={**properties, "places": [name for _, _, name in stops]},
        )
        if route is not None:
            features.append(route)
    # "truncated" is not part of GeoJSON; foreign members are allowed and the map reports it.
    return JsonResponse(feature_collection(features, truncated=len(incidents) > MAP_LIMIT))


def _published_place(place):
    """(latitude, longitude, name) of ``place`` as partners would see them."""
    latitude, longitude = place.public_coordinates()
    return float(latitude), float(longitude), place.public_name


def _routes(incidents):
    """The places each incident's goods were taken to, in order, as _published_place gives
    them: {incident pk: [...]}. Routes share places (a border crossing, a market), so each
    place is loaded and rounded once rather than once per point."""
    stops = (
        RoutePoint.objects.filter(incident__in=[incident.pk for incident in incidents])
        .order_by("incident_id", "position")
        .values_list("incident_id", "place_id")
    )
    routes = {}
    for incident_id, place_id in stops:
        routes.setdefault(incident_id, []).append(place_id)
    wanted = {place_id for places in routes.values() for place_id in places}
    places = {pk: _published_place(place) for pk, place in Place.objects.in_bulk(wanted).items()}
    return {incident_id: [places[pk] for pk in ids] for incident_id, ids in routes.items()}


@require_GET
@staff_page
def incident_timeline(request):
    """How many of the filtered incidents began in each week, as a bar chart."""
    filterset = _filterset(request, selectors.visible_incidents(request.user))
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
    rows = [
        {
            "week": week,
            "count": count,
            "percent": round(100 * count / highest) if highest else 0,
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
