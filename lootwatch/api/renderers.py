"""GeoJSON and CSV renderings of the API's incidents (and CSV of claims).

Both take the same serialized data as the JSON output, so that what a partner sees (and
what stays hidden, such as exact coordinates of homes) is decided once, by the serializers.
"""

import csv
import io
import json
import re

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

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


# Numbers orjson writes otherwise than json.dumps: 1e-05 as 0.00001, 1e+16 as 1e16 (a
# number follows ":", "," or "[" in compact JSON). The API's floats are coordinates, never
# such; a body with one (or with text that looks like one) is made again by json.dumps.
_UNLIKE_JSON_DUMPS = re.compile(rb"[:,\[]-?(?:0\.0000\d|\d+(?:\.\d+)?[eE])")
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONRenderer(JSONRenderer):
    """JSONRenderer's bytes, made by orjson: a page of 500 incidents (2 MB) in a few
    milliseconds rather than some fifty. Whatever orjson would write differently from
    json.dumps (times and dates, which go through the same encoder's ``default``; other
    types; indentation; numbers as above) is left to JSONRenderer itself.
    tests/api/test_fast_path.py and tests/lootwatch/test_fast_json.py compare both."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError too
            return super().render(data, accepted_media_type, renderer_context)
        if _UNLIKE_JSON_DUMPS.search(body):
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
