"""GeoJSON (RFC 7946) as both the map pages and the partner API write it: one place for
the shape of a feature, so the two cannot drift apart. Coordinates are always
[longitude, latitude], the published ones (rounded for homes).

An incident is a Point feature; where its goods were taken (its route) is a LineString
feature beside it, from the incident's place through each point of the route in order.
"""

# The id of an incident's route feature: the incident's id with this suffix, so that every
# feature of a collection has its own id and the incident's is still plain to see.
ROUTE_ID_SUFFIX = "/route"


def point_feature(feature_id, *, longitude, latitude, properties):
    """A Feature with a Point geometry."""
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def route_feature(incident_id, *, coordinates, properties):
    """The LineString feature of an incident's route, or None for an incident without one.

    ``coordinates`` are (longitude, latitude) pairs: the incident's place first, then each
    point of its route. ``properties`` get ``incident``, the incident's id, in front.
    """
    if len(coordinates) < 2:
        return None
    return {
        "type": "Feature",
        "id": f"{incident_id}{ROUTE_ID_SUFFIX}",
        "geometry": {
            "type": "LineString",
            "coordinates": [[longitude, latitude] for longitude, latitude in coordinates],
        },
        "properties": {"incident": incident_id, **properties},
    }


def feature_collection(features, **members):
    """A FeatureCollection; ``members`` are foreign members (e.g. ``next`` links)."""
    return {"type": "FeatureCollection", "features": list(features), **members}
