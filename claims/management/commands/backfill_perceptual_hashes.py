"""Give every evidence image uploaded before perceptual hashes were kept its hash, so that
the near-duplicate search (claims.selectors.near_duplicate_evidence) sees it too.

Safe to run again and to interrupt: each image is hashed and saved on its own, and images
that already have a hash are skipped. Progress is shown on a terminal.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims.selectors import images_without_perceptual_hash
from claims.services import backfill_perceptual_hash


class Command(BaseCommand):
    help = "Compute the perceptual hash of every evidence image that has none yet."

    def handle(self, *args, **options):
        pending = images_without_perceptual_hash()
        total = pending.count()
        hashed = unreadable = 0
        for evidence in tqdm(
            pending.only("pk", "original").iterator(chunk_size=500),
            total=total,
            desc="Hashing images",
            unit="image",
            disable=None,
        ):
            try:
                stored = backfill_perceptual_hash(evidence=evidence)
            except FileNotFoundError:
                self.stderr.write(f"Evidence {evidence.pk}: the original is missing.")
                unreadable += 1
                continue
            if stored is None:
                unreadable += 1
            else:
                hashed += 1
        self.stdout.write(
            f"Hashed {hashed} image(s); {unreadable} could not be read as images "
            "(python manage.py verify_evidence checks the originals)."
        )
