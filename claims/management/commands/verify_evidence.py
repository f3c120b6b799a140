"""Re-hash every stored evidence original and report any whose bytes no longer match.

Each original is read once, however many claims it is attached to, and every Evidence row
holding it gets a "verified" or "mismatch" entry in its chain of custody. The command exits
with a non-zero status if any file is missing or altered, so a scheduler can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from claims.evidence.storage import originals_storage, stored_sha256
from claims.models import CustodyAction, Evidence
from claims.services import record_custody


class Command(BaseCommand):
    help = "Re-hash every stored evidence original; exit non-zero on a missing or altered file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100,
            help="Print a progress line after this many files (default 100).",
        )

    def handle(self, *args, progress_every=100, **options):
        storage = originals_storage()
        rows_by_file = {}
        for evidence in Evidence.objects.only("pk", "sha256", "original").order_by("pk"):
            rows_by_file.setdefault(evidence.original.name, []).append(evidence)
        total = len(rows_by_file)
        self.stdout.write(f"Checking {total} stored original(s) of {_count_rows(rows_by_file)}.")

        problems = []
        for done, (name, rows) in enumerate(rows_by_file.items(), start=1):
            actual = stored_sha256(storage, name) if name else None
            for evidence in rows:
                if actual == evidence.sha256:
                    action, detail = CustodyAction.VERIFIED, {"sha256": actual}
                else:
                    problem = "missing" if actual is None else "altered"
                    action = CustodyAction.MISMATCH
                    detail = {"problem": problem, "expected": evidence.sha256, "actual": actual}
                    problems.append(f"{problem}: {name or '(no file)'} (evidence {evidence.pk})")
                record_custody(evidence=evidence, action=action, actor=None, detail=detail)
            if done % progress_every == 0 or done == total:
                self.stdout.write(f"  {done}/{total} checked, {len(problems)} problem(s)")

        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} evidence file(s) missing or altered; see the lines above."
            )
        self.stdout.write(self.style.SUCCESS(f"All {total} original(s) match their SHA-256."))


def _count_rows(rows_by_file):
    count = sum(len(rows) for rows in rows_by_file.values())
    return f"{count} evidence record(s)"
