"""What an image says about itself: EXIF capture time, camera, GPS and orientation, as
JSON-ready data for the record of the original. Derivatives carry none of it."""

import re
from datetime import datetime

from PIL import ExifTags


def read_image_metadata(image):
    """Return what the image says about itself (EXIF: capture time, camera, GPS,
    orientation) as JSON-ready data. For the record of the original only: derivatives
    carry none of it."""
    exif = image.getexif()
    base = {ExifTags.TAGS.get(tag, str(tag)): value for tag, value in exif.items()}
    details = {
        ExifTags.TAGS.get(tag, str(tag)): value
        for tag, value in exif.get_ifd(ExifTags.IFD.Exif).items()
    }
    gps_raw = {
        ExifTags.GPSTAGS.get(tag, str(tag)): value
        for tag, value in exif.get_ifd(ExifTags.IFD.GPSInfo).items()
    }
    captured = details.get("DateTimeOriginal") or base.get("DateTime")
    metadata = {
        "format": image.format,
        "mode": image.mode,
        "captured_at": _exif_datetime(captured, details.get("OffsetTimeOriginal")),
        "camera_make": _text(base.get("Make")),
        "camera_model": _text(base.get("Model")),
        "software": _text(base.get("Software")),
        "orientation": base.get("Orientation"),
        "gps": _gps(gps_raw),
        "has_icc_profile": bool(image.info.get("icc_profile")),
        "has_xmp": bool(image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")),
        "exif": _json_ready({**base, **details}),
        "exif_gps": _json_ready(gps_raw),
    }
    # Drop the IFD pointers: they are offsets inside the file, not facts about the picture.
    for pointer in ("ExifOffset", "GPSInfo"):
        metadata["exif"].pop(pointer, None)
    return {key: value for key, value in metadata.items() if value not in (None, "", {})}


def _gps(gps):
    """Decode EXIF GPS degrees/minutes/seconds into decimal latitude and longitude."""
    latitude = _degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"), "S")
    longitude = _degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"), "W")
    if latitude is None or longitude is None:
        return None
    result = {"latitude": latitude, "longitude": longitude}
    altitude = gps.get("GPSAltitude")
    if altitude is not None:
        try:
            sign = -1 if gps.get("GPSAltitudeRef") in (1, b"\x01") else 1
            result["altitude_m"] = round(sign * float(altitude), 2)
        except (TypeError, ValueError, ZeroDivisionError):
            pass
    if gps.get("GPSDateStamp"):
        result["datestamp"] = _text(gps["GPSDateStamp"])
    return result


def _degrees(value, ref, negative_ref):
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if _text(ref).upper() == negative_ref:
        decimal = -decimal
    if not -180 <= decimal <= 180:
        return None
    return round(decimal, 7)


def _exif_datetime(value, offset):
    """EXIF writes "2022:04:02 11:40:05"; return ISO 8601, with the offset when known."""
    text = _text(value)
    try:
        moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return text or None
    iso = moment.isoformat()
    offset = _text(offset)
    return iso + offset if re.fullmatch(r"[+-]\d\d:\d\d", offset) else iso


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).strip("\x00 ").strip()


def _json_ready(values):
    """EXIF values as JSON: rationals as numbers, bytes as short text, nothing huge."""
    result = {}
    for name, value in values.items():
        if name in ("MakerNote", "UserComment", "PrintImageMatching"):
            continue  # Vendor blobs: kept in the original, not worth listing.
        converted = _json_value(value)
        if converted is not None:
            result[name] = converted
    return result


def _json_value(value):
    if isinstance(value, bool | int | str):
        return value[:500] if isinstance(value, str) else value
    if isinstance(value, bytes):
        text = value.decode("ascii", "replace").strip("\x00 ")
        return text[:500] if text.isprintable() else None
    if isinstance(value, tuple | list):
        items = [_json_value(item) for item in value[:32]]
        return items if None not in items else None
    try:
        number = float(value)  # IFDRational and friends.
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return round(number, 7) if number == number else None  # NaN is not JSON.
