"""Export incidents as JSON Lines or CSV, exactly as the partner API represents them."""

import contextlib
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from tqdm import tqdm

from exchange.export import FORMATS, count_for_export, write_export
from exchange.selectors import STATUSES


class Command(BaseCommand):
    help = (
        "Export incidents, one per line (jsonl: the partner API's representation) or one "
        "row per claim (csv), streaming, with a progress bar on stderr. Staff-only fields "
        "(notes, who logged what, protected identities, exact homes) only with --staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="jsonl")
        parser.add_argument(
            "--since", help="Only incidents changed since this ISO 8601 time (UTC if no offset)."
        )
        parser.add_argument(
            "--status",
            choices=STATUSES,
            default="published",
            help="published (what partners see, the default) or all.",
        )
        parser.add_argument(
            "--staff",
            action="store_true",
            help="Include staff-only fields: for editors' own backups, never for partners.",
        )
        parser.add_argument("-o", "--output", help="Write to this file (default: stdout).")

    def handle(self, *args, format, since, status, staff, output, **options):
        if since:
            moment = parse_datetime(since)
            if moment is None:
                raise CommandError(f"--since {since!r} is not an ISO 8601 time.")
            since = make_aware(moment) if is_naive(moment) else moment
        total = count_for_export(status=status, staff=staff, since=since)
        with contextlib.ExitStack() as stack:
            out = self.stdout._out
            if output:
                out = stack.enter_context(open(output, "w", encoding="utf-8", newline=""))
            bar = stack.enter_context(
                tqdm(total=total, desc="Exporting", unit="incident", file=sys.stderr, disable=None)
            )
            count = write_export(
                out,
                format=format,
                status=status,
                staff=staff,
                since=since,
                progress=lambda n: bar.update(1),
            )
        if output:
            self.stderr.write(f"{count} incidents written to {output}.")
