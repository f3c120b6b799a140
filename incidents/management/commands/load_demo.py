"""Load the demo data (incidents.demo) and the demo accounts.

Running it again changes nothing that is already there: records are found by fixed ids,
a demo account keeps its password while the password in demo-accounts.txt still works, and
the demo partner's API key is kept likewise.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework_api_key.models import APIKey

from accounts.notifications import silenced
from claims.models import Claim
from incidents.demo import loader
from incidents.models import Incident

CREDENTIALS_FILE = settings.BASE_DIR / "demo-accounts.txt"
# Its line in demo-accounts.txt.
PARTNER_KEY = "partner-key"


class Command(BaseCommand):
    help = "Load the demo incidents, claims and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the data but create no demo log-ins.",
        )

    def handle(self, *args, no_accounts=False, **options):
        if not settings.DEBUG and not no_accounts:
            raise CommandError(
                "Demo accounts have known log-ins and are for development only (DEBUG=1). "
                "Use --no-accounts to load only the demo data."
            )
        # The demo's decisions are nobody's news: no emails about them.
        known = self.known_credentials()
        with silenced(), transaction.atomic():
            accounts = self.ensure_accounts(known)
            partner_key = None if no_accounts else self.ensure_partner_key(known)
            created = self.load_records(
                journalist=accounts["journalist"][0], editor=accounts["editor"][0]
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created} new incidents, "
                f"{Incident.objects.count()} incidents and {Claim.objects.count()} claims in all."
            )
        )
        if not no_accounts:
            CREDENTIALS_FILE.write_text(
                "".join(f"{name} {password}\n" for name, (_, password) in accounts.items())
                + f"{PARTNER_KEY} {partner_key}\n"
            )
            self.stdout.write("Demo log-ins (development only):")
            for name, (_, password) in accounts.items():
                self.stdout.write(f"  {name:<11} password: {password}")
            api = f"{settings.SITE_URL.rstrip('/')}/api/v1/incidents/"
            self.stdout.write(f"  partner API key: {partner_key}")
            self.stdout.write(f'    curl -H "Authorization: Api-Key {partner_key}" {api}')

    def known_credentials(self):
        """{account or PARTNER_KEY: its password or key} from demo-accounts.txt."""
        known = {}
        if CREDENTIALS_FILE.exists():
            for line in CREDENTIALS_FILE.read_text().splitlines():
                name, _, secret = line.partition(" ")
                known[name] = secret
        return known

    def ensure_partner_key(self, known):
        """A partner API key to try the API with, kept while the one in demo-accounts.txt
        still works (a key is stored hashed: it can be shown only when made)."""
        key = known.get(PARTNER_KEY)
        if key and APIKey.objects.is_valid(key):
            return key
        __, key = APIKey.objects.create_key(name="Demo partner (make run)")
        return key

    def ensure_accounts(self, known):
        """Create the journalist and editor accounts, keeping known passwords."""
        User = get_user_model()
        accounts = {}
        for name, is_staff in (("journalist", False), ("editor", True)):
            user, _ = User.objects.get_or_create(
                username=name, defaults={"email": f"{name}@lootwatch.invalid"}
            )
            user.is_staff = is_staff
            user.groups.add(Group.objects.get(name=name))
            password = known.get(name)
            if not password or not user.check_password(password):
                password = secrets.token_urlsafe(12)
                user.set_password(password)
            user.save()
            accounts[name] = (user, password)
        return accounts

    def load_records(self, *, journalist, editor):
        User = get_user_model()
        # Fresh user objects: permissions are cached per instance and groups just changed.
        return loader.load(
            journalist=User.objects.get(pk=journalist.pk), editor=User.objects.get(pk=editor.pk)
        )
