"""Perceptual hashes of evidence images: what lets Lootwatch recognise a recycled photo
(an old or foreign picture resized, recompressed, cropped a little or saved as another
format and posted as new), where SHA-256 only recognises the identical file.

The hash is pHash (``imagehash.phash``): 64 bits from the low frequencies of the picture's
discrete cosine transform, each bit saying whether a frequency lies above the median. Two
pictures are near duplicates when their hashes differ in at most
``NEAR_DUPLICATE_DISTANCE`` bits. That threshold was chosen by measurement
(``scripts/measure_perceptual_hash.py``; the figures are in README.md, "Near-duplicate
images").

Finding the close hashes among 100,000 without comparing each one is multi-index hashing
(Norouzi, Punjani and Fleet, 2012): the 64 bits are split into ``BANDS`` bands of 16 bits,
each stored in an indexed column. If two hashes differ in at most ``d`` bits, at least one
band differs in at most ``d // BANDS`` bits (pigeonhole), so looking up, in each band's
index, every value within that many bits of ours finds every near duplicate; only those
candidates are compared bit by bit.
"""

import io
from itertools import combinations

import imagehash
from django.db.models import Q
from PIL import Image, ImageOps

HASH_BITS = 64
BANDS = 4
BAND_BITS = HASH_BITS // BANDS
BAND_MASK = (1 << BAND_BITS) - 1
ALGORITHM = "phash-64"

# At most this many differing bits of 64 make two pictures near duplicates. Measured on 19
# real photographs: resized, recompressed, re-saved or brightened copies differ in at most
# 4 bits, copies cropped by 3% on each side in 4 to 12 (one in 24), while the closest pair of
# unrelated photographs differs in 20 (README.md, "Near-duplicate images"). 12 also keeps
# the band radius at 3 (12 // BANDS).
NEAR_DUPLICATE_DISTANCE = 12


def perceptual_hash(image):
    """Return the 64-bit pHash of a Pillow ``image`` as an int: of its first frame, turned
    upright as its EXIF orientation says (a copy that lost its EXIF was usually rotated)."""
    image.seek(0)
    upright = ImageOps.exif_transpose(image)
    return int(str(imagehash.phash(upright)), 16)


def perceptual_hash_of_bytes(data, formats=None):
    """Return the pHash of the image in ``data``, or None if it is not an image Pillow
    can read."""
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            return perceptual_hash(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def distance(first, second):
    """The number of bits in which two hashes differ (their Hamming distance)."""
    return (first ^ second).bit_count()


def bands(value):
    """The hash cut into BANDS integers of BAND_BITS bits, most significant first."""
    return tuple((value >> (BAND_BITS * (BANDS - 1 - index))) & BAND_MASK for index in range(BANDS))


def as_hex(value):
    return f"{value:016x}"


def band_columns(value):
    """The stored form of a hash: its hex digits and its bands, as model field values."""
    return {
        "algorithm": ALGORITHM,
        "value": as_hex(value),
        **{f"band_{index}": band for index, band in enumerate(bands(value))},
    }


def _within(band, radius):
    """Every BAND_BITS-bit value that differs from ``band`` in at most ``radius`` bits."""
    values = [band]
    for flipped in range(1, radius + 1):
        for positions in combinations(range(BAND_BITS), flipped):
            mask = 0
            for position in positions:
                mask |= 1 << position
            values.append(band ^ mask)
    return values


def candidates_condition(value, max_distance=NEAR_DUPLICATE_DISTANCE, prefix=""):
    """A Q over the band columns (``prefix`` is the path to them) matching every hash
    within ``max_distance`` bits of ``value``, and a few more to be compared exactly."""
    radius = max_distance // BANDS
    condition = Q()
    for index, band in enumerate(bands(value)):
        condition |= Q(**{f"{prefix}band_{index}__in": _within(band, radius)})
    return condition
