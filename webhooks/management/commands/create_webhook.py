"""Register a partner's webhook endpoint and print its signing secret, once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rest_framework_api_key.models import APIKey

from webhooks.models import Event
from webhooks.services import create_endpoint


class Command(BaseCommand):
    help = (
        "Register a webhook endpoint for a partner API key and print its signing secret as "
        "the last line. The secret is shown only this once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--key", required=True, metavar="NAME", help="The partner key's name (or prefix)."
        )
        parser.add_argument("--url", required=True, help="Where to POST the events (https://…).")
        parser.add_argument(
            "--events",
            nargs="+",
            choices=Event.values,
            metavar="EVENT",
            help=f"Events to send (default: all): {', '.join(Event.values)}.",
        )

    def handle(self, *args, key, url, events=None, **options):
        keys = list(APIKey.objects.filter(name=key, revoked=False)) or list(
            APIKey.objects.filter(prefix=key, revoked=False)
        )
        if not keys:
            raise CommandError(f"No valid API key is named {key!r}: see create_partner_key.")
        if len(keys) > 1:
            prefixes = ", ".join(found.prefix for found in keys)
            raise CommandError(f"Several keys are named {key!r}; give the prefix ({prefixes}).")
        try:
            endpoint, secret = create_endpoint(api_key=keys[0], url=url, events=events)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Registered {endpoint.url} for {keys[0].name!r} ({', '.join(endpoint.events)}). "
            "Deliveries carry X-Lootwatch-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
            '"<t>.<body>">. The signing secret, shown only this once:'
        )
        self.stdout.write(secret)
