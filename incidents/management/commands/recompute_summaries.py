"""Recompute every incident's stored verification summary from its claims, and the map's
stored count of listed incidents per place and per cell of its grid (and the timeline's
per week) from the incidents, and say how many had drifted (none should have: the
services and triggers keep them current)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from claims.services.summaries import refresh_summaries, summary_drift
from incidents.map_cells import cell_drift
from incidents.map_grid import listed_drift, recount_listed
from incidents.models import Incident, Place
from incidents.week_counts import recount_weeks, week_drift

# Incidents per statement: each batch is one short transaction.
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Recompute each incident's stored verification summary (claims, verified, disputed, "
        "unverified, independent sources, assessment) from its claims, and the map's count of "
        "listed incidents per place from the incidents, and report drift; with --check, only "
        "report. Exits with status 1 when anything had drifted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Report incidents whose stored summary differs from their claims, and places "
                "whose stored map count differs from their incidents; change nothing."
            ),
        )

    def handle(self, *args, check, **options):
        ids = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
        drifted = []
        with tqdm(
            total=len(ids),
            desc="incidents",
            unit=" incidents",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        ) as bar:
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                batch = Incident.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
                found = summary_drift(batch)
                if found and not check:
                    with transaction.atomic():
                        refresh_summaries(batch)
                drifted += found
                bar.update(len(chunk))
        problems = []
        verb = "differs from" if check else "differed from (now repaired)"
        if drifted:
            shown = ", ".join(str(public_id) for public_id in _public_ids(drifted[:10]))
            problems.append(
                f"The stored summary of {len(drifted):,} incidents {verb} their claims: "
                f"{shown}{_more(drifted)}."
            )
        # Both read before either is repaired: the cells are summed from the places' counts.
        places, cells = listed_drift(), cell_drift()
        if (places or cells) and not check:
            recount_listed()
        if places:
            problems.append(
                f"The map's stored count of {len(places):,} places {verb} their incidents: "
                f"{_places(places[:10])}{_more(places)}."
            )
        if cells:
            shown = ", ".join(
                f"({cx}, {cy}) (stored {n}, counted {c})" for cx, cy, n, c in cells[:10]
            )
            problems.append(
                f"The map's stored count of {len(cells):,} grid cells {verb} their incidents: "
                f"{shown}{_more(cells)}."
            )
        weeks = week_drift()
        if weeks:
            if not check:
                recount_weeks()
            shown = ", ".join(f"{week} (stored {n}, counted {c})" for week, n, c in weeks[:10])
            problems.append(
                f"The timeline's stored count of {len(weeks):,} weeks {verb} their incidents: "
                f"{shown}{_more(weeks)}."
            )
        if not problems:
            self.stdout.write(
                self.style.SUCCESS(
                    "Every stored summary matches its claims and every place's map count "
                    "its incidents."
                )
            )
            return
        raise CommandError(" ".join(problems), returncode=1)


def _more(found):
    return f" and {len(found) - 10:,} more" if len(found) > 10 else ""


def _places(drift):
    names = dict(Place.objects.filter(pk__in=[pk for pk, _, _ in drift]).values_list("pk", "name"))
    return ", ".join(
        f"{names.get(pk, pk)} (#{pk}: stored {stored}, counted {counted})"
        for pk, stored, counted in drift
    )


def _public_ids(pks):
    return Incident.objects.filter(pk__in=pks).order_by("pk").values_list("public_id", flat=True)
