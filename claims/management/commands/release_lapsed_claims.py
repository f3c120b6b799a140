"""Write down the release of claims taken for review and left untouched for a day."""

from django.core.management.base import BaseCommand

from claims import services


class Command(BaseCommand):
    help = (
        "Release, on each claim's history, the claims editors took for review and left "
        "untouched for 24 hours (the queue already treats them as free). Run it from cron."
    )

    def handle(self, *args, **options):
        released = services.release_lapsed_claims()
        self.stdout.write(f"{released} claims released.")
