"""GeoJSON and CSV renderings of the API's incidents (and CSV of claims).

Both take the same serialized data as the JSON output, so that what a partner sees (and
what stays hidden, such as exact coordinates of homes) is decided once, by the serializers.
"""

import csv
import datetime
import io
import json
import re
import uuid

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from incidents.geojson import feature_collection, point_feature, route_feature

# A spreadsheet treats a cell starting with one of these as a formula (formula injection,
# OWASP "CSV Injection"): a claim's text could otherwise run code on a partner's machine.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value):
    """Return ``value`` ready for a CSV cell: text that a spreadsheet would read as a
    formula is prefixed with an apostrophe; numbers are left alone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class RawJSON(bytes):
    """JSON text already written (by PostgreSQL: incidents.api.claims_json), placed in the
    body as it is: it must be compact JSON, as json.dumps would write the same value."""


class RawJSONEncoder(JSONEncoder):
    """DRF's encoder, reading RawJSON back when JSONRenderer writes the body itself."""

    def default(self, obj):
        if isinstance(obj, RawJSON):
            return json.loads(obj)
        return super().default(obj)


# Numbers orjson writes otherwise than json.dumps: 1e-05 as 0.00001, 1e+16 as 1e16 (a
# number follows ":", "," or "[" in compact JSON): a float below 1e-4 or from 1e16 in
# magnitude; every other float both write as repr() does.
_UNLIKE_JSON_DUMPS = re.compile(rb"[:,\[]-?(?:0\.0000\d|\d+(?:\.\d+)?[eE])")
# Values the encoder's ``default`` turns into text, never into a number.
_WRITTEN_AS_TEXT = (datetime.date, datetime.time, uuid.UUID, Promise)


_ENCODER = RawJSONEncoder()


def _floats_alike(data):
    """True unless ``data`` holds a float orjson writes otherwise than json.dumps (above);
    None when it holds a value the encoder's ``default`` may turn into a number (a
    Decimal, say): then only the body tells. The API's floats are coordinates, never such:
    walking the values costs far less than searching the encoded body (~1 ms against 3-4.5
    for a page of 50), and RawJSON, written by PostgreSQL, holds no float."""
    try:
        return _alike((data,))
    except RecursionError:
        return None


_LEAVES = frozenset({str, int, bool, type(None), RawJSON})


def _alike(values):
    alike = True
    for value in values:
        kind = type(value)
        if kind in _LEAVES:
            continue
        if kind is float or isinstance(value, float):
            if value and not 1e-4 <= abs(value) < 1e16:
                return False
            continue
        if kind is dict or isinstance(value, dict):
            found = _alike(value.values())
        elif kind is list or isinstance(value, list | tuple):
            found = _alike(value)
        else:
            found = True if isinstance(value, (str, int, *_WRITTEN_AS_TEXT)) else None
        if found is False:
            return False
        if found is None:
            alike = None
    return alike


class FastJSONRenderer(JSONRenderer):
    """JSONRenderer's bytes, made by orjson: a page of 500 incidents (2 MB) in a few
    milliseconds rather than some fifty. Whatever orjson would write differently from
    json.dumps (times and dates, which go through the same encoder's ``default``; other
    types; indentation; numbers as above) is left to JSONRenderer itself.
    tests/api/test_fast_path.py and tests/lootwatch/test_fast_json.py compare both.
    RawJSON (JSON text written by PostgreSQL) goes into the body as it is."""

    encoder_class = RawJSONEncoder

    @staticmethod
    def _default(obj):
        if type(obj) is RawJSON:
            return orjson.Fragment(bytes(obj))
        return _ENCODER.default(obj)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        alike = _floats_alike(data)
        if alike is False:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self._default, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError too
            return super().render(data, accepted_media_type, renderer_context)
        if alike is None and _UNLIKE_JSON_DUMPS.search(body):
            return super().render(data, accepted_media_type, renderer_context)
        # As JSONRenderer does: these two are valid JSON but not valid JavaScript.
        return body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


def _is_page(data):
    return isinstance(data, dict) and "results" in data and "next" in data


class GeoJSONRenderer(FastJSONRenderer):
    """RFC 7946 FeatureCollection of incidents (a single Feature for one incident).

    In a collection, each incident with a route is followed by its route: a LineString from
    the incident's place through the places its goods were taken to, with the incident's id.
    Coordinates are [longitude, latitude], the published ones: rounded for homes. A page's
    ``next`` and ``previous`` links travel as foreign members and in the Link header.
    """

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_page(data):
            data = feature_collection(
                (
                    feature
                    for item in data["results"]
                    for feature in (self.feature(item), self.route(item))
                    if feature is not None
                ),
                next=data["next"],
                previous=data["previous"],
            )
        elif isinstance(data, dict) and "place" in data:
            data = self.feature(data)
        return super().render(data, accepted_media_type, renderer_context)

    @staticmethod
    def feature(incident):
        place = incident["place"]
        return point_feature(
            incident["id"],
            longitude=place["longitude"],
            latitude=place["latitude"],
            properties=incident,
        )

    @staticmethod
    def route(incident):
        """The incident's route as a LineString feature, or None if it has none."""
        places = [incident["place"], *(point["place"] for point in incident["route"])]
        return route_feature(
            incident["id"],
            coordinates=[(place["longitude"], place["latitude"]) for place in places],
            properties={"title": incident["title"]},
        )


class CSVRenderer(BaseRenderer):
    """One row per object, columns as the view's ``csv_columns`` say; UTF-8.

    A page's ``next`` and ``previous`` links are in the Link header.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = getattr(view, "csv_columns", None)
        # Anything but a page or one object (an endpoint's description, say) is not a table.
        if columns is None or not isinstance(data, dict) or not (_is_page(data) or "id" in data):
            return json.dumps(data).encode()
        rows = data["results"] if _is_page(data) else [data]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([header for header, _ in columns])
        for row in rows:
            writer.writerow([defuse_cell(value(row)) for _, value in columns])
        return buffer.getvalue().encode("utf-8")
