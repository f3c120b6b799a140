"""GeoJSON (RFC 7946) as both the map pages and the partner API write it: one place for
the shape of a feature, so the two cannot drift apart. Coordinates are always
[longitude, latitude], the published ones (rounded for homes)."""


def point_feature(feature_id, *, longitude, latitude, properties):
    """A Feature with a Point geometry."""
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def feature_collection(features, **members):
    """A FeatureCollection; ``members`` are foreign members (e.g. ``next`` links)."""
    return {"type": "FeatureCollection", "features": list(features), **members}
