"""Export incidents as JSON Lines or CSV, exactly as the partner API represents them."""

import contextlib
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from tqdm import tqdm

from exchange.export import FORMATS, count_for_export, write_export
from exchange.selectors import STATUSES
from exchange.services import record_staff_export


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
        parser.add_argument(
            "--as",
            dest="username",
            help="With --staff: the account the export is recorded as (it needs the "
            "exchange.export_staff_data permission); without it the audit row names none.",
        )

    def handle(self, *args, format, since, status, staff, output, username, **options):
        if since:
            moment = parse_datetime(since)
            if moment is None:
                raise CommandError(f"--since {since!r} is not an ISO 8601 time.")
            since = make_aware(moment) if is_naive(moment) else moment
        total = count_for_export(status=status, staff=staff, since=since)
        if staff:
            self._record(username, format=format, status=status, since=since, total=total)
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

    def _record(self, username, *, format, status, since, total):
        """Every staff export leaves an audit row (exchange.services.record_staff_export)."""
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active account {username!r}.")
        try:
            record_staff_export(
                exported_by=user,
                via="command",
                format=format,
                status=status,
                since=since,
                incidents=total,
            )
        except PermissionDenied as error:
            raise CommandError(f"{username}: {error}") from error
