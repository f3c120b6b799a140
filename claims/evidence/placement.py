"""Where and when a photo says it was taken, set against the incident it is evidence for.

An image's metadata (read from the original by claims.evidence.metadata) may carry a capture
time and GPS coordinates. Neither proves anything — cameras' clocks are often wrong and
metadata can be edited — but a photo "of Bucha" whose GPS puts it 600 km away, or whose
capture date is months before the incident, is exactly what an editor must look at before
verifying. These readings are for editors only: partners never see original metadata.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime

from incidents.models import PlacePrecision

EARTH_RADIUS_KM = 6371.0088

# How far from an incident's place a photo may have been taken before it is flagged: the
# place's precision says how big "the place" is.
FAR_KM = {
    PlacePrecision.EXACT: 2,
    PlacePrecision.SETTLEMENT: 15,
    PlacePrecision.DISTRICT: 60,
    PlacePrecision.REGION: 250,
    PlacePrecision.COUNTRY: 1200,
}


def distance_km(latitude, longitude, other_latitude, other_longitude):
    """The great-circle distance between two points in kilometres (haversine)."""
    phi1, phi2 = math.radians(float(latitude)), math.radians(float(other_latitude))
    delta_phi = phi2 - phi1
    delta_lambda = math.radians(float(other_longitude) - float(longitude))
    a = (
        math.sin(delta_phi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(delta_lambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def capture_date(captured_at):
    """The calendar day of an EXIF capture time as metadata records it ("2022-04-02T11:40:05",
    with or without an offset), or None if it is missing or unreadable. The day as the
    camera saw it: a clock without a time zone is taken at its word."""
    if not captured_at:
        return None
    try:
        return datetime.fromisoformat(str(captured_at)).date()
    except ValueError:
        return None


def days_outside(day, start, end):
    """How many days ``day`` lies before ``start`` (negative) or after ``end`` (positive);
    0 within the range."""
    if day < start:
        return (day - start).days
    if day > end:
        return (day - end).days
    return 0


@dataclass(frozen=True)
class Placement:
    """What one evidence file's metadata says against its incident's place and dates."""

    captured_at: str | None = None
    captured_on: date | None = None
    latitude: float | None = None
    longitude: float | None = None
    distance_km: float | None = None
    far_km: int | None = None
    days_outside: int | None = None
    after_publication: bool = False

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_far(self):
        return self.distance_km is not None and self.distance_km > self.far_km

    @property
    def is_outside_dates(self):
        return bool(self.days_outside)

    @property
    def days_before(self):
        return -self.days_outside if self.days_outside and self.days_outside < 0 else 0

    @property
    def days_after(self):
        return self.days_outside if self.days_outside and self.days_outside > 0 else 0

    @property
    def flagged(self):
        """True when something here needs an editor's eye."""
        return self.is_far or self.is_outside_dates or self.after_publication


def place_evidence(metadata, *, place, occurred_from, occurred_to, published_at=None):
    """Return the Placement of evidence with this ``metadata`` for an incident at ``place``
    between ``occurred_from`` and ``occurred_to``, for a claim published at
    ``published_at`` (a photo cannot be taken after it was posted)."""
    metadata = metadata or {}
    captured_at = metadata.get("captured_at")
    captured_on = capture_date(captured_at)
    readings = {"captured_at": captured_at, "captured_on": captured_on}
    if captured_on is not None:
        readings["days_outside"] = days_outside(captured_on, occurred_from, occurred_to)
        readings["after_publication"] = bool(published_at and captured_on > published_at.date())
    gps = metadata.get("gps") or {}
    try:
        latitude, longitude = float(gps["latitude"]), float(gps["longitude"])
    except (KeyError, TypeError, ValueError):
        return Placement(**readings)
    return Placement(
        **readings,
        latitude=latitude,
        longitude=longitude,
        distance_km=round(distance_km(place.latitude, place.longitude, latitude, longitude), 1),
        far_km=FAR_KM.get(place.precision, FAR_KM[PlacePrecision.SETTLEMENT]),
    )
