"""Measure how far apart perceptual hashes fall, to choose the near-duplicate threshold.

For every photograph given (files or folders of JPEG/PNG), make the copies a recycled photo
usually is — resized, recompressed, slightly cropped, re-saved as PNG, brightened, a
screenshot with a border — and hash each with claims.evidence.fingerprint, as Lootwatch does
on upload. Print the distances of each kind of copy to its original, and of every pair of
different photographs. A threshold between the largest copy distance and the smallest
unrelated distance catches the copies without confusing different pictures.

    .venv/bin/python scripts/measure_perceptual_hash.py PHOTO_OR_FOLDER...

Without arguments it reads the photographs bundled with scikit-image (``pip install
scikit-image`` in a throwaway environment with Pillow and ImageHash), which is how the
figures in README.md were made. Figures only: nothing here is asserted.
"""

import io
import statistics
import sys
from itertools import combinations
from pathlib import Path

from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.evidence.fingerprint import (
    NEAR_DUPLICATE_DISTANCE,
    distance,
    perceptual_hash,
)

# scikit-image's photographs (its drawings, charts and stereo pairs left out).
SKIMAGE_PHOTOS = [
    "astronaut.png",
    "brick.png",
    "camera.png",
    "cell.png",
    "chelsea.png",
    "clock_motion.png",
    "coffee.png",
    "coins.png",
    "grass.png",
    "gravel.png",
    "hubble_deep_field.jpg",
    "ihc.png",
    "microaneurysms.png",
    "moon.png",
    "motorcycle_left.png",
    "page.png",
    "retina.jpg",
    "rocket.jpg",
    "text.png",
]


def reencoded(image, **save):
    buffer = io.BytesIO()
    image.save(buffer, **save)
    return Image.open(io.BytesIO(buffer.getvalue()))


def cropped(image, fraction):
    width, height = image.size
    dx, dy = int(width * fraction), int(height * fraction)
    return image.crop((dx, dy, width - dx, height - dy))


TRANSFORMATIONS = {
    "resized to 50%": lambda im: im.resize((im.width // 2, im.height // 2), Image.LANCZOS),
    "resized to 25%": lambda im: im.resize((im.width // 4, im.height // 4), Image.LANCZOS),
    "JPEG quality 70": lambda im: reencoded(im, format="JPEG", quality=70),
    "JPEG quality 30": lambda im: reencoded(im, format="JPEG", quality=30),
    "re-saved as PNG": lambda im: reencoded(im, format="PNG"),
    "cropped 3% each side": lambda im: cropped(im, 0.03),
    "cropped 5% each side": lambda im: cropped(im, 0.05),
    "brightened 15%": lambda im: ImageEnhance.Brightness(im).enhance(1.15),
    "screenshot (white border, 75%, JPEG)": lambda im: reencoded(
        ImageOps.expand(im.resize((im.width * 3 // 4, im.height * 3 // 4)), 12, "white"),
        format="JPEG",
        quality=80,
    ),
    "all at once (50%, cropped 3%, JPEG 50)": lambda im: reencoded(
        cropped(im.resize((im.width // 2, im.height // 2), Image.LANCZOS), 0.03),
        format="JPEG",
        quality=50,
    ),
    # Beyond what pHash is built for: reported so that nobody relies on it.
    "rotated 3° (not expected to match)": lambda im: im.rotate(3, expand=False),
    "mirrored (not expected to match)": ImageOps.mirror,
}


def photographs(arguments):
    if not arguments:
        import skimage.data

        folder = Path(skimage.data.__file__).parent
        return [folder / name for name in SKIMAGE_PHOTOS]
    paths = []
    for argument in map(Path, arguments):
        if argument.is_dir():
            paths += sorted(
                p for p in argument.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png")
            )
        else:
            paths.append(argument)
    return paths


def main(arguments):
    paths = photographs(arguments)
    originals = {}
    copies = {name: [] for name in TRANSFORMATIONS}
    for path in paths:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
        originals[path.name] = perceptual_hash(image)
        for name, transform in TRANSFORMATIONS.items():
            copies[name].append(distance(originals[path.name], perceptual_hash(transform(image))))
    unrelated = [distance(a, b) for a, b in combinations(originals.values(), 2)]

    print(f"{len(paths)} photographs; threshold in use: {NEAR_DUPLICATE_DISTANCE} bits of 64\n")
    print(f"{'copy':42} {'median':>6} {'max':>4} {'found':>6}")
    for name, distances in copies.items():
        found = sum(d <= NEAR_DUPLICATE_DISTANCE for d in distances)
        print(
            f"{name:42} {statistics.median(distances):>6} {max(distances):>4} "
            f"{found:>3}/{len(distances)}"
        )
    false = sum(d <= NEAR_DUPLICATE_DISTANCE for d in unrelated)
    print(
        f"\n{len(unrelated)} pairs of different photographs: min {min(unrelated)}, "
        f"5th percentile {sorted(unrelated)[len(unrelated) // 20]}, "
        f"median {statistics.median(unrelated)}; within the threshold: {false}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
