"""Create an API key for a partner organisation and print it, once."""

from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework_api_key.models import APIKey


def parse_expiry(value):
    """Return an aware datetime from YYYY-MM-DD (end of that day, UTC) or ISO 8601."""
    # A bare date first: parse_datetime() would read it as that day's first moment.
    day = parse_date(value)
    moment = datetime.combine(day, time.max) if day else parse_datetime(value)
    if moment is None:
        raise ValueError
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


class Command(BaseCommand):
    help = (
        "Create a partner API key and print it as the last line. The key is stored hashed: "
        "it cannot be shown again. Revoke it in the admin (API keys) when no longer needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for, e.g. 'Kyiv Independent data desk'.")
        parser.add_argument(
            "--expires",
            metavar="DATE",
            help="Expiry, YYYY-MM-DD (end of that day, UTC) or an ISO 8601 date and time.",
        )

    def handle(self, *args, name, expires=None, **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the key a name saying who it is for.")
        max_length = APIKey._meta.get_field("name").max_length
        if len(name) > max_length:
            raise CommandError(f"The name is longer than {max_length} characters.")
        expiry_date = None
        if expires:
            try:
                expiry_date = parse_expiry(expires)
            except ValueError:
                raise CommandError(
                    f"--expires {expires!r} is not a date: use YYYY-MM-DD or ISO 8601."
                ) from None
            if expiry_date <= timezone.now():
                raise CommandError("--expires is in the past.")
        api_key, key = APIKey.objects.create_key(name=name, expiry_date=expiry_date)
        until = f" until {api_key.expiry_date:%Y-%m-%d %H:%M} UTC" if expiry_date else ""
        self.stdout.write(
            f"Created API key {api_key.prefix} for {name!r}{until}. Send it to the partner "
            "over a secure channel; it is shown only this once. They send it as:\n"
            "  Authorization: Api-Key <key>"
        )
        self.stdout.write(key)
