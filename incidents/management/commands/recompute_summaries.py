"""Recompute every incident's stored verification summary from its claims, and say how many
had drifted (none should have: the services keep them current)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from claims.services.summaries import refresh_summaries, summary_drift
from incidents.models import Incident

# Incidents per statement: each batch is one short transaction.
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Recompute each incident's stored verification summary (claims, verified, disputed, "
        "unverified, independent sources, assessment) from its claims and report drift; with "
        "--check, only report. Exits with status 1 when any summary had drifted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report incidents whose stored summary differs from their claims; change nothing.",
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
        if not drifted:
            self.stdout.write(self.style.SUCCESS("Every stored summary matches its claims."))
            return
        shown = ", ".join(str(public_id) for public_id in _public_ids(drifted[:10]))
        more = f" and {len(drifted) - 10:,} more" if len(drifted) > 10 else ""
        verb = "differs from" if check else "differed from (now repaired)"
        raise CommandError(
            f"The stored summary of {len(drifted):,} incidents {verb} their claims: {shown}{more}.",
            returncode=1,
        )


def _public_ids(pks):
    return Incident.objects.filter(pk__in=pks).order_by("pk").values_list("public_id", flat=True)
