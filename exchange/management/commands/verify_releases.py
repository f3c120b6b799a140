"""Re-hash every release file against its manifest; exit non-zero on any mismatch."""

from django.core.management.base import BaseCommand, CommandError

from exchange.models import Release
from exchange.services import verify_release


class Command(BaseCommand):
    help = "Re-hash every release's files against its manifest; fail on any mismatch."

    def handle(self, *args, **options):
        problems, count = [], 0
        for release in Release.objects.order_by("created_at", "pk"):
            problems += verify_release(release)
            count += 1
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} release file(s) do not match their manifest.")
        self.stdout.write(f"{count} release(s): every file matches its manifest.")
