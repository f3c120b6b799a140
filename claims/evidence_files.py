"""Reading uploaded evidence files: what they are, decided from their bytes alone."""

import hashlib
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from claims.models import EvidenceKind

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass
class InspectedFile:
    data: bytes
    sha256: str
    size: int
    kind: str
    content_type: str
    width: int | None = None
    height: int | None = None
    metadata: dict = field(default_factory=dict)


def read_limited(file):
    """Return the upload's bytes, refusing anything over the configured size."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"The file is larger than the {limit // (1024 * 1024)} MB limit.")
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than the {limit // (1024 * 1024)} MB limit.")
    if not data:
        raise ValidationError("The file is empty.")
    return data


def inspect_upload(file):
    """Return an InspectedFile for an accepted upload; raise ValidationError otherwise."""
    data = read_limited(file)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        return InspectedFile(
            data=data,
            sha256=digest,
            size=len(data),
            kind=EvidenceKind.DOCUMENT,
            content_type="application/pdf",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if width * height > settings.EVIDENCE_MAX_PIXELS:
                raise ValidationError("The image has too many pixels to be processed safely.")
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            "The file is not a readable JPEG, PNG, WebP or GIF image, nor a PDF."
        ) from error
    if image_format not in IMAGE_TYPES:
        raise ValidationError("Only JPEG, PNG, WebP and GIF images are accepted.")
    return InspectedFile(
        data=data,
        sha256=digest,
        size=len(data),
        kind=EvidenceKind.IMAGE,
        content_type=IMAGE_TYPES[image_format],
        width=width,
        height=height,
    )
