"""Make an immutable, citable dataset release of what partners see now."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.actors import SYSTEM_USERNAME, acting_user
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
        parser.add_argument(
            "--as",
            dest="username",
            help="The editor (or superuser) the release is recorded as made by; without it, "
            f"the system account {SYSTEM_USERNAME!r} (a shell on the server).",
        )

    def handle(self, *args, version, notes, username, **options):
        try:
            release = make_release(version=version, notes=notes, made_by=acting_user(username))
        except LookupError as error:
            raise CommandError(str(error.args[0])) from error
        except PermissionDenied as error:
            raise CommandError(f"{username}: {error}") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        counts = release.counts
        log = release.manifest["changelog"]
        self.stdout.write(
            f"Release {release.version}: {counts['incidents']} incidents, {counts['claims']} "
            f"claims; since {log['previous'] or 'the start'}: {log['added']} added, "
            f"{log['changed']} changed, {log['withdrawn']} withdrawn."
        )
