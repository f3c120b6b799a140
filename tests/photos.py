"""Photograph-like pictures drawn with Pillow, and the copies a recycled photo usually is.

A flat test card hashes like every other flat test card; these have what photographs have
and perceptual hashes read: light and shade at every scale, edges, a horizon. Each seed
draws a different scene.
"""

import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter


def scene(seed, size=(640, 480)):
    """A photograph-like RGB picture, the same for the same seed."""
    rng = random.Random(seed)
    width, height = size
    # Light and shade: coarse random brightness, smoothly enlarged.
    coarse = Image.new("RGB", (8, 6))
    coarse.putdata(
        [
            tuple(rng.randrange(40, 220) for _ in range(3))
            for _ in range(coarse.width * coarse.height)
        ]
    )
    image = coarse.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    horizon = rng.randrange(height // 4, height * 3 // 4)
    draw.polygon(
        [
            (0, horizon),
            *((x, horizon + rng.randrange(-40, 40)) for x in range(0, width + 1, 80)),
            (width, height),
            (0, height),
        ],
        fill=tuple(rng.randrange(0, 120) for _ in range(3)),
    )
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(20, width // 3), rng.randrange(20, height // 3)
        shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
        shape((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image.filter(ImageFilter.GaussianBlur(1.5)), grain, 0.08)


def encoded(image, image_format="JPEG", **options):
    buffer = io.BytesIO()
    if image_format == "JPEG":
        options.setdefault("quality", 90)
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def cropped(image, fraction):
    """``image`` with ``fraction`` of its width and height cut from each side."""
    dx, dy = int(image.width * fraction), int(image.height * fraction)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


# The copies of one photograph that must be recognised, as file bytes.
RECYCLED_COPIES = {
    "resized to half": lambda im: encoded(im.resize((im.width // 2, im.height // 2))),
    "recompressed at quality 35": lambda im: encoded(im, quality=35),
    "cropped 3% on each side": lambda im: encoded(cropped(im, 0.03)),
    "re-saved as PNG": lambda im: encoded(im, "PNG"),
    "brightened and re-saved as WebP": lambda im: encoded(
        ImageEnhance.Brightness(im).enhance(1.15), "WEBP", quality=80
    ),
}
