"""Generate synthetic incidents at the size of a war, for benchmarks and load tests."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from incidents.demo.synthetic import Generator, real_incidents, synthetic_user
from incidents.models import Incident


class Command(BaseCommand):
    help = (
        "Generate N synthetic incidents with their places, actors, sources, claims, reviews, "
        "items, evidence, routes and links (deterministic for a seed), by bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=10_000, help="How many (10,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Generate even though the database holds records not made by this command.",
        )

    def handle(self, *args, incidents, seed, allow_real_data, **options):
        if incidents < 1:
            raise CommandError("--incidents must be at least 1.")
        if real_incidents().exists() and not allow_real_data:
            raise CommandError(
                f"This database holds {real_incidents().count()} incidents not made by "
                "generate_demo_data. Synthetic data would mix with them: use an empty "
                "database, or --allow-real-data if that is really what you want."
            )
        if Incident.objects.filter(created_by=synthetic_user()).exists():
            raise CommandError(
                "This database already holds synthetic data "
                f"({synthetic_user().first_name}). Use a fresh database for another set."
            )
        bars = {}

        def progress(step, done):
            if step not in bars:
                for bar in bars.values():
                    bar.close()
                bars[step] = tqdm(desc=step, unit=" rows", file=sys.stderr, leave=False)
            bars[step].update(done - bars[step].n)

        started = time.monotonic()
        counts = Generator(incidents=incidents, seed=seed, progress=progress).run()
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts.incidents:,} incidents, {counts.claims:,} claims, "
                f"{counts.reviews:,} reviews, {counts.items:,} items, "
                f"{counts.evidence:,} evidence rows, {counts.route_points:,} route points, "
                f"{counts.links:,} links, {counts.places:,} places, "
                f"{counts.sources:,} sources and {counts.actors} actors "
                f"in {time.monotonic() - started:.0f} s (seed {seed})."
            )
        )
