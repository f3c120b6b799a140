"""Time claims.selectors.near_duplicate_evidence among many images.

Seeds a throw-away database (DATABASE_URL; an empty one: it refuses a database holding
incidents) with N evidence rows on a few claims, each with a random 64-bit perceptual hash,
plus a few near copies of some of them, then times the look-up and counts the candidates
the band indexes return. Random hashes are the worst case for the bands only if real ones
are spread as evenly, which the measurement of real photographs (median distance 32 of 64
between unrelated pictures) suggests they are. Figures only: nothing is asserted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lw_bench \\
        .venv/bin/python scripts/measure_near_duplicates.py --images 100000
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lootwatch.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.evidence import fingerprint  # noqa: E402
from claims.models import Evidence, PerceptualHash  # noqa: E402
from claims.selectors import near_duplicate_evidence  # noqa: E402
from incidents.models import Incident  # noqa: E402
from tests.factories import ClaimFactory, IncidentFactory  # noqa: E402


def seed(count, rng):
    """Bulk rows, marked by their file names as synthetic: a benchmark, not a record."""
    claims = [ClaimFactory(incident=IncidentFactory()) for _ in range(20)]
    uploader = claims[0].submitted_by
    batch = 5000
    for start in range(0, count, batch):
        rows = [
            Evidence(
                claim=claims[n % len(claims)],
                kind="image",
                original=f"synthetic/{n}",
                original_filename=f"synthetic-{n}.jpg",
                sha256=f"{rng.getrandbits(256):064x}",
                size_bytes=1,
                content_type="image/jpeg",
                width=1,
                height=1,
                uploaded_by=uploader,
            )
            for n in range(start, min(start + batch, count))
        ]
        created = Evidence.objects.bulk_create(rows)
        PerceptualHash.objects.bulk_create(
            PerceptualHash(evidence=row, **fingerprint.band_columns(rng.getrandbits(64)))
            for row in created
        )
    return claims


def flip(value, bits, rng):
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(16)  # noqa: S311 (benchmark data, not secrets)
    call_command("migrate", verbosity=0)
    if Incident.objects.exists():
        sys.exit("This database holds incidents: give an empty one.")
    started = time.perf_counter()
    claims = seed(args.images, rng)
    print(f"seeded {args.images:,} hashed images in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_perceptualhash")
    targets = list(PerceptualHash.objects.order_by("?")[: args.lookups])
    # Near copies (3 to 12 bits away) of each target, on a claim of their own.
    copies_claim = ClaimFactory(incident=IncidentFactory())
    for target in targets:
        for bits in (3, 8, 12):
            row = Evidence.objects.create(
                claim=copies_claim,
                kind="image",
                original="synthetic/copy",
                original_filename="synthetic-copy.jpg",
                sha256=f"{rng.getrandbits(256):064x}",
                size_bytes=1,
                content_type="image/jpeg",
                uploaded_by=claims[0].submitted_by,
            )
            PerceptualHash.objects.create(
                evidence=row, **fingerprint.band_columns(flip(target.as_int, bits, rng))
            )
    timings, candidates, found = [], [], []
    for target in targets:
        evidence = Evidence.objects.get(pk=target.evidence_id)
        candidate_count = PerceptualHash.objects.filter(
            fingerprint.candidates_condition(target.as_int)
        ).count()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = near_duplicate_evidence(evidence)
            timings.append((time.perf_counter() - began) * 1000)
        candidates.append(candidate_count)
        found.append(len(result))
    print(
        f"{connection.vendor}: near_duplicate_evidence over {args.images:,} images, "
        f"{args.lookups} look-ups: median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms, {len(queries)} queries; candidates compared: median "
        f"{statistics.median(candidates):,.0f}; found per look-up: {min(found)}-{max(found)} "
        "(3 near copies planted)"
    )


if __name__ == "__main__":
    main()
