"""Import incidents and their claims from JSON Lines or CSV, all or nothing, through the
same services the pages and the admin use."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.rules import can_review
from exchange.actors import SYSTEM_USERNAME, acting_user
from exchange.importing import FORMATS, FileRefused, run_import


class Command(BaseCommand):
    help = (
        "Import incidents (JSON Lines as export_incidents writes, or CSV: exported or made "
        "by hand) through the services: new incidents arrive submitted for review and their "
        "claims unverified; an incident or claim whose id exists is updated; an unchanged "
        "line writes nothing. One bad line and nothing is written: every one is reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file's name.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="The account the history names and whose permissions apply; without it, "
            f"the system account {SYSTEM_USERNAME!r} (a journalist's permissions).",
        )
        parser.add_argument(
            "--keep-review-state",
            action="store_true",
            help="Give claims their file's status through reviews noting the file (editors).",
        )
        parser.add_argument(
            "--no-create",
            action="store_true",
            help="Refuse lines naming places, actors or sources not in Lootwatch.",
        )
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="Leave out new incidents that look already logged (URL, file, place and date).",
        )

    def handle(self, *args, file, format, dry_run, username, keep_review_state, **options):
        if keep_review_state and not username:
            raise CommandError("--keep-review-state records reviews: --as must name an editor.")
        try:
            user = acting_user(username)
        except LookupError as error:
            raise CommandError(str(error.args[0])) from error
        if keep_review_state and not can_review(user):
            raise CommandError("--keep-review-state records reviews: --as must name an editor.")
        path = Path(file)
        try:
            # Read as it is applied (a JSON Lines file one record at a time), not whole.
            raw = path.open("rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        with raw, tqdm(desc="Importing", unit="incident", file=sys.stderr, disable=None) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(1)

            try:
                report = run_import(
                    raw,
                    file_name=path.name,
                    user=user,
                    format=format,
                    dry_run=dry_run,
                    no_create=options["no_create"],
                    skip_duplicates=options["skip_duplicates"],
                    keep_review_state=keep_review_state,
                    progress=progress,
                )
            except FileRefused as error:
                raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in {path.name}: nothing written.")
