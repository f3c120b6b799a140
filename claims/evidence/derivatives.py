"""Derivatives of accepted images: a display image and a thumbnail made from the pixels
alone, so that no EXIF, GPS, XMP, colour profile or comment reaches pages or partners."""

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from claims.evidence.formats import OPEN_FORMATS

DISPLAY_MAX_SIDE = 1600
THUMBNAIL_MAX_SIDE = 320


@dataclass
class Derivative:
    """A metadata-free rendering of an image, ready to be stored."""

    filename: str
    data: bytes
    content_type: str
    width: int
    height: int


def make_derivatives(inspected):
    """Return the display image and thumbnail of an accepted image, as Derivatives.

    The picture is turned upright (EXIF orientation), converted to sRGB, and re-encoded
    from its pixels alone, so no EXIF, GPS, XMP, ICC profile or comment survives.
    Return an empty dict for PDFs and page captures, which have no image derivative.
    """
    if not inspected.is_image:
        return {}
    with Image.open(io.BytesIO(inspected.data), formats=OPEN_FORMATS) as image:
        image.seek(0)
        upright = ImageOps.exif_transpose(image)
        upright = _to_srgb(upright, image.info.get("icc_profile"))
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    upright = upright.convert(mode)
    derivatives = {}
    for name, side in (("display", DISPLAY_MAX_SIDE), ("thumbnail", THUMBNAIL_MAX_SIDE)):
        resized = upright.copy()
        resized.thumbnail((side, side), Image.Resampling.LANCZOS)
        # A new image built from the pixels alone: nothing of the original's info travels.
        clean = Image.frombytes(mode, resized.size, resized.tobytes())
        buffer = io.BytesIO()
        if has_alpha:
            clean.save(buffer, format="PNG", optimize=True)
            filename, content_type = f"{name}.png", "image/png"
        else:
            clean.save(buffer, format="JPEG", quality=85, optimize=True)
            filename, content_type = f"{name}.jpg", "image/jpeg"
        derivatives[name] = Derivative(
            filename=filename,
            data=buffer.getvalue(),
            content_type=content_type,
            width=clean.width,
            height=clean.height,
        )
    return derivatives


def _to_srgb(image, icc_profile):
    """Convert pixels described by an embedded colour profile to sRGB, so that dropping
    the profile does not change how the picture looks."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # A broken profile: keep the pixels as they are.
