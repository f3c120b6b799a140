"""The incidents map and its data: the filtered incidents in the visible box, as markers
when they are few enough and as groups counted on a grid when they are many, so that the
map costs the same at a country's zoom with a war's incidents as at a village's."""

from django import forms
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from incidents import selectors
from incidents.filters import BoundingBoxField
from incidents.geojson import feature_collection, point_feature, route_feature
from incidents.map_grid import listed_clusters, map_clusters
from incidents.models import Incident, Place, RoutePoint
from incidents.views.access import staff_page
from incidents.views.browse import _filterset, _list_context

# Up to this many incidents in view are sent one by one (with their routes); more are
# grouped. About 350 bytes each: the largest answer stays well under 300 KB.
MARKER_LIMIT = 400
# A group covers about this many pixels square at the map's zoom (256-pixel tiles)...
CELL_PIXELS = 80
# ...and the box is cut into at most this many columns and rows, whatever zoom is claimed.
MAX_CELLS_ACROSS = 40
# The zoom assumed when the map does not say (the whole of Ukraine on a screen).
DEFAULT_ZOOM = 5


class MapViewForm(forms.Form):
    """What part of the map is visible: the box and the zoom level (Leaflet's, 0–20)."""

    bbox = BoundingBoxField(required=False)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=20)


def cell_size(*, zoom, box):
    """The side of a grid square in degrees: CELL_PIXELS at ``zoom``, but large enough
    that ``box`` (None: the whole world) holds at most MAX_CELLS_ACROSS each way."""
    at_zoom = CELL_PIXELS * 360 / (256 * 2**zoom)
    if box is None:
        width, height = 360, 180
    else:
        width = float(box["max_lon"] - box["min_lon"])
        height = float(box["max_lat"] - box["min_lat"])
    return max(at_zoom, width / MAX_CELLS_ACROSS, height / MAX_CELLS_ACROSS)


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
                "base_map_url": static("vendor/world-atlas/countries-50m.json"),
                "tile_url": settings.MAP_TILE_URL,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            },
        },
    )


@require_GET
@staff_page
def incident_geojson(request):
    """The filtered incidents inside ``bbox`` (all of them without one) as a GeoJSON
    FeatureCollection for the map.

    Up to MARKER_LIMIT incidents: each incident's point, and the route its goods were
    taken along as a line after it (``"clustered": false``). More: one point per grid
    square holding any, with ``cluster: true`` and their ``count`` (``"clustered": true``,
    and ``"total"``), the squares sized for ``zoom``.

    Places of `exact` precision are placed and named as partners would see them (rounded to
    about 1 km and named by their district unless marked public), in groups too: an
    overview map need not point at anyone's door, and map data gets exported.
    """
    view = MapViewForm(request.GET)
    filterset = _filterset(request, selectors.visible_incidents(request.user))
    if not view.is_valid() or (filterset.is_bound and not filterset.is_valid()):
        errors = {**view.errors.get_json_data(), **filterset.errors.get_json_data()}
        return JsonResponse({"errors": errors}, status=400)
    incidents = filterset.qs
    box = view.cleaned_data["bbox"]
    if box:
        incidents = selectors.in_public_bbox(incidents, **box)
    if incidents.order_by()[: MARKER_LIMIT + 1].count() <= MARKER_LIMIT:
        return JsonResponse(_markers(incidents))
    zoom = view.cleaned_data["zoom"]
    cell = cell_size(zoom=DEFAULT_ZOOM if zoom is None else zoom, box=box)
    if connection.vendor == "postgresql" and not _filtered(filterset):
        # What every journalist sees, counted per place as incidents change: no pass over
        # the incidents (incidents.map_grid).
        clusters = listed_clusters(request.user, box=box, cell=cell)
    else:
        clusters = map_clusters(incidents, cell=cell)
    features = [
        point_feature(
            None,
            longitude=round(longitude, 5),
            latitude=round(latitude, 5),
            properties={"cluster": True, "count": count},
        )
        for count, latitude, longitude in clusters
    ]
    # "clustered" and "total" are not part of GeoJSON; foreign members are allowed.
    total = sum(feature["properties"]["count"] for feature in features)
    return JsonResponse(feature_collection(features, clustered=True, total=total))


def _filtered(filterset):
    """True if any filter of the page narrows the incidents (the box and zoom are not filters)."""
    return filterset.is_bound and any(filterset.form.cleaned_data.values())


def _markers(incidents):
    incidents = list(
        selectors.with_summary(Incident.objects.filter(pk__in=incidents.values("pk")))
        .select_related("place")
        .order_by("-occurred_from", "-pk")
    )
    routes = _routes(incidents)
    features = []
    for incident in incidents:
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
    return feature_collection(features, clustered=False, truncated=False)


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
