"""Make an immutable, citable dataset release of what partners see now."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.services import make_release


class Command(BaseCommand):
    help = (
        "Snapshot what partners see as release VERSION: incidents.jsonl, claims.csv, "
        "incidents.geojson, changelog.json, CITATION.cff and manifest.json, in the media "
        "storage under releases/VERSION/. A release is never changed afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("version")
        parser.add_argument("--notes", default="", help="What changed, for readers.")

    def handle(self, *args, version, notes, **options):
        try:
            release = make_release(version=version, notes=notes)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        counts = release.counts
        log = release.manifest["changelog"]
        self.stdout.write(
            f"Release {release.version}: {counts['incidents']} incidents, {counts['claims']} "
            f"claims; since {log['previous'] or 'the start'}: {log['added']} added, "
            f"{log['changed']} changed, {log['withdrawn']} withdrawn."
        )
