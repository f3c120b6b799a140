"""The gazetteer as the log form asks it (JSON): settlements by name, the settlement nearest
to typed coordinates, and the one nearest to where a photo says it was taken."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from claims.evidence.intake import inspect_upload
from claims.models import EvidenceKind
from incidents import gazetteer
from incidents.views.access import staff_page

MAX_SUGGESTIONS = 10
# How far from a point a settlement may be to be suggested for it.
NEAREST_WITHIN_KM = 50


def _refused(message):
    return JsonResponse({"detail": message}, status=400)


def _nearest(latitude, longitude):
    found = gazetteer.nearest(latitude, longitude, within_km=NEAREST_WITHIN_KM)
    if found is None:
        return None
    settlement, distance = found
    return settlement.as_suggestion(distance_km=round(distance, 1))


@require_GET
@staff_page
def lookup(request):
    """Settlements named like ``q`` (Latin or Cyrillic, any transliteration), optionally
    within ``country``: ``{"results": [{"name", "country", "admin1", "admin2", "latitude",
    "longitude", …}]}``."""
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:200]
    country = (request.GET.get("country") or "").strip()[:2]
    settlements = gazetteer.lookup(query, country=country, limit=MAX_SUGGESTIONS)
    return JsonResponse({"query": query, "results": [s.as_suggestion() for s in settlements]})


def _coordinate(value, bound):
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() and -bound <= number <= bound else None


@require_GET
@staff_page
def nearest(request):
    """The settlement nearest to ``latitude``, ``longitude`` (within 50 km), with its
    distance: ``{"nearest": {…, "distance_km"}}``, ``{"nearest": null}`` if none."""
    latitude = _coordinate(request.GET.get("latitude"), 90)
    longitude = _coordinate(request.GET.get("longitude"), 180)
    if latitude is None or longitude is None:
        return _refused(
            gettext("Give latitude (-90 to 90) and longitude (-180 to 180) in decimal degrees.")
        )
    return JsonResponse({"nearest": _nearest(latitude, longitude)})


@require_POST
@staff_page
def photo_location(request):
    """Where the uploaded photo (``photo``) says it was taken, and the settlement nearest to
    it: ``{"latitude", "longitude", "nearest"}``, or nulls if it carries no GPS position.
    The photo is read and forgotten: evidence is kept only when the form is sent."""
    photo = request.FILES.get("photo")
    if photo is None:
        return _refused(gettext("Send the photo as the file field 'photo'."))
    try:
        inspected = inspect_upload(photo, kind=EvidenceKind.IMAGE)
    except ValidationError as error:
        return _refused(" ".join(error.messages))
    gps = inspected.metadata.get("gps") or {}
    latitude = _coordinate(str(gps.get("latitude", "")), 90)
    longitude = _coordinate(str(gps.get("longitude", "")), 180)
    if latitude is None or longitude is None:
        return JsonResponse({"latitude": None, "longitude": None, "nearest": None})
    return JsonResponse(
        {
            "latitude": round(latitude, 6),
            "longitude": round(longitude, 6),
            "nearest": _nearest(latitude, longitude),
        }
    )
