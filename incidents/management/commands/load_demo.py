"""Load the demo data: the incidents and claims of the April 2022 report on looting around
Kyiv (shared/seed), in every editorial state, and the demo accounts.

Running it again changes nothing that is already there: records are found by fixed ids,
and a demo account keeps its password while the password in demo-accounts.txt still works.
"""

import io
import secrets
import uuid
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import ExifTags, Image, ImageDraw

from claims import services as claim_services
from claims.models import Claim, ClaimStatus, Medium, Source, SourceKind
from incidents import services as incident_services
from incidents.models import (
    Actor,
    ActorKind,
    DatePrecision,
    Incident,
    IncidentItem,
    ItemCategory,
    Place,
    PlacePrecision,
)

DEMO_NAMESPACE = uuid.UUID("5b0c8f3e-6a1d-4a53-9d0e-2f1c7f1e9a10")
CREDENTIALS_FILE = settings.BASE_DIR / "demo-accounts.txt"
DEMO_NOTE = "Demo record modelled on the HuffPost report of April 2022; URLs are illustrative."
REPORT_URL = "https://www.huffpost.com/entry/russia-troops-looting-ukraine-kyiv_n_62487a"


def demo_id(name):
    return uuid.uuid5(DEMO_NAMESPACE, name)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def demo_photo():
    """Return a stand-in for the photo in the Defence Ministry's tweet: a JPEG drawn with
    Pillow, carrying the camera and GPS EXIF tags a real photo would (the demo shows that
    derivatives drop them). The same bytes on every run."""
    image = Image.new("RGB", (1200, 800), (148, 160, 171))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 800), fill=(92, 84, 70))  # road
    draw.rectangle((140, 300, 900, 600), fill=(44, 40, 38))  # burnt truck bed
    draw.rectangle((900, 380, 1080, 600), fill=(60, 52, 48))  # cab
    for left in range(180, 860, 135):  # washing machines
        draw.rectangle((left, 330, left + 110, 450), fill=(205, 205, 200))
        draw.ellipse((left + 25, 355, left + 85, 415), fill=(70, 70, 75))
    for centre in (260, 760, 1000):
        draw.ellipse((centre - 55, 555, centre + 55, 665), fill=(20, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS 5D Mark IV"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2022:04:01 15:12:40"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 31.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 15.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, exif=exif)
    return ContentFile(buffer.getvalue(), name="defenceu-1510265447712448514-photo.jpg")


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
        with transaction.atomic():
            accounts = self.ensure_accounts()
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
            )
            self.stdout.write("Demo log-ins (development only):")
            for name, (_, password) in accounts.items():
                self.stdout.write(f"  {name:<11} password: {password}")

    def ensure_accounts(self):
        """Create the journalist and editor accounts, keeping known passwords."""
        known = {}
        if CREDENTIALS_FILE.exists():
            for line in CREDENTIALS_FILE.read_text().splitlines():
                name, _, password = line.partition(" ")
                known[name] = password
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
        journalist = User.objects.get(pk=journalist.pk)
        editor = User.objects.get(pk=editor.pk)

        kyiv_suburbs, _ = Place.objects.get_or_create(
            name="Kyiv suburbs",
            country="UA",
            defaults={
                "alternative_names": ["Kyiv Oblast", "Київська область"],
                "admin1": "Kyiv Oblast",
                "latitude": "50.530000",
                "longitude": "30.250000",
                "precision": PlacePrecision.REGION,
            },
        )
        naroulia, _ = Place.objects.get_or_create(
            name="Narowlya",
            country="BY",
            defaults={
                "alternative_names": ["Naroulia", "Narovlya", "Наровля", "Нароўля"],
                "admin1": "Gomel Region",
                "admin2": "Narowlya District",
                "latitude": "51.799400",
                "longitude": "29.499200",
                "precision": PlacePrecision.SETTLEMENT,
            },
        )
        buryn, _ = Place.objects.get_or_create(
            name="Buryn",
            country="UA",
            defaults={
                "alternative_names": ["Буринь"],
                "admin1": "Sumy Oblast",
                "admin2": "Konotop Raion",
                "latitude": "51.200000",
                "longitude": "33.816700",
                "precision": PlacePrecision.SETTLEMENT,
            },
        )
        russian_forces, _ = Actor.objects.get_or_create(
            name="Armed Forces of the Russian Federation",
            defaults={"kind": ActorKind.ARMED_FORCES, "country": "RU"},
        )

        government, _ = Source.objects.get_or_create(
            name="Government of Ukraine",
            defaults={"kind": SourceKind.GOVERNMENT, "country": "UA"},
        )
        defence_ministry, _ = Source.objects.get_or_create(
            name="Ministry of Defence of Ukraine",
            defaults={
                "kind": SourceKind.MILITARY,
                "country": "UA",
                "url": "https://twitter.com/DefenceU",
                "organisation": government,
            },
        )
        nikolenko, _ = Source.objects.get_or_create(
            name="Oleg Nikolenko, Ministry of Foreign Affairs of Ukraine spokesperson",
            defaults={
                "kind": SourceKind.SPOKESPERSON,
                "country": "UA",
                "url": "https://twitter.com/OlegNikolenko_",
                "organisation": government,
            },
        )
        huffpost, _ = Source.objects.get_or_create(
            name="HuffPost",
            defaults={
                "kind": SourceKind.MEDIA,
                "country": "US",
                "url": "https://www.huffpost.com",
            },
        )
        business_insider, _ = Source.objects.get_or_create(
            name="Business Insider",
            defaults={
                "kind": SourceKind.MEDIA,
                "country": "US",
                "url": "https://www.businessinsider.com",
            },
        )

        created = 0

        # 1. Homes looted in the Kyiv suburbs: published, corroborated.
        incident, new = self.incident(
            "kyiv-suburbs",
            created_by=journalist,
            title="Homes in the Kyiv suburbs looted by retreating Russian troops",
            summary=(
                "Ukrainian authorities allege that Russian troops retreating from the suburbs "
                "of Kyiv looted civilians' homes, taking electronics, jewellery, cars, home "
                "appliances, children's toys, carpets, clothes, shoes and cosmetics."
            ),
            place=kyiv_suburbs,
            occurred_from=date(2022, 3, 28),
            occurred_to=date(2022, 4, 2),
            actors=[russian_forces],
            items=[
                ("cars", "cars loaded with loot", 100, 999),
                ("washing-machines", "washing machines", None, None),
                ("childrens-toys", "children's toys", None, None),
                ("carpets", "carpets", None, None),
                ("electronics", "electronics", None, None),
                ("jewellery-and-valuables", "jewellery", None, None),
                ("clothing-and-shoes", "clothes and shoes", None, None),
                ("cosmetics", "cosmetics", None, None),
            ],
        )
        if new:
            created += 1
            report = self.claim(
                "kyiv-suburbs/huffpost",
                incident=incident,
                source=huffpost,
                submitted_by=journalist,
                medium=Medium.PRESS_REPORT,
                url=REPORT_URL,
                published_at=utc(2022, 4, 3, 9, 0),
                language="en",
                original_text=(
                    "Ukrainian authorities allege that retreating Russian troops are looting "
                    "the homes of citizens around Kyiv, taking with them electronics, jewelry, "
                    "cars, home appliances, children's toys and other items of value."
                ),
            )
            tweet = self.claim(
                "kyiv-suburbs/defence-ministry-tweet",
                incident=incident,
                source=defence_ministry,
                submitted_by=journalist,
                medium=Medium.TWEET,
                url="https://twitter.com/DefenceU/status/1510265447712448514",
                published_at=utc(2022, 4, 2, 11, 40),
                language="en",
                original_text=(
                    "Not every military trophy reaches Russia. Hundreds of cars with loot from "
                    "the suburbs of Kyiv ― from children's toys, carpets to, as in this photo, "
                    "washing machines, were grabbed in the last few days by retreating Russian "
                    "troops."
                ),
            )
            claim_services.attach_evidence(claim=tweet, file=demo_photo(), uploaded_by=journalist)
            spokesperson = self.claim(
                "kyiv-suburbs/nikolenko-tweet",
                incident=incident,
                source=nikolenko,
                submitted_by=journalist,
                medium=Medium.TWEET,
                url="https://twitter.com/OlegNikolenko_/status/1510308712960561155",
                published_at=utc(2022, 4, 2, 14, 32),
                language="en",
                original_text=(
                    "Electronics, clothes, shoes, cosmetics. This is not an army. This is a "
                    "disgrace. We will never forget and we will never forgive."
                ),
            )
            claim_services.review_claim(
                claim=tweet,
                reviewer=editor,
                to_status=ClaimStatus.VERIFIED,
                note="Tweet found on the ministry's verified account; archived copy matches.",
            )
            claim_services.review_claim(
                claim=spokesperson,
                reviewer=editor,
                to_status=ClaimStatus.VERIFIED,
                note="Tweet on the spokesperson's verified account, quoted by several outlets.",
            )
            claim_services.review_claim(
                claim=report,
                reviewer=editor,
                to_status=ClaimStatus.VERIFIED,
                note="Report retrieved from HuffPost; quotes match the original tweets.",
            )
            incident_services.publish_incident(incident=incident, editor=editor)

        # 2. A market for stolen goods in Narowlya, Belarus: published, contested.
        incident, new = self.incident(
            "naroulia-market",
            created_by=journalist,
            title="Market for goods looted in Ukraine opened in Narowlya, Belarus",
            summary=(
                "Ukraine's Defence Ministry said Russian troops opened a market across the "
                "border in Narowlya (Naroulia), Belarus, to sell items looted in Ukraine."
            ),
            place=naroulia,
            occurred_from=date(2022, 3, 28),
            occurred_to=date(2022, 4, 2),
            actors=[russian_forces],
            items=[("other", "items looted in the Kyiv region", None, None)],
        )
        if new:
            created += 1
            report = self.claim(
                "naroulia-market/huffpost",
                incident=incident,
                source=huffpost,
                submitted_by=journalist,
                medium=Medium.PRESS_REPORT,
                url=REPORT_URL,
                published_at=utc(2022, 4, 3, 9, 0),
                language="en",
                original_text=(
                    "The Ukrainian Defense Ministry said on Saturday that the Russians have "
                    "opened a market for the stolen items across the border in Naroulia, Belarus."
                ),
            )
            statement = self.claim(
                "naroulia-market/defence-ministry-statement",
                incident=incident,
                source=defence_ministry,
                submitted_by=journalist,
                medium=Medium.OFFICIAL_STATEMENT,
                published_at=utc(2022, 4, 2, 10, 0),
                language="en",
                original_text="The Russians have opened a market for the stolen items in Naroulia.",
                reported_via=report,
            )
            claim_services.review_claim(
                claim=report,
                reviewer=editor,
                to_status=ClaimStatus.VERIFIED,
                note="The report says this; checked against the published article.",
            )
            claim_services.review_claim(
                claim=statement,
                reviewer=editor,
                to_status=ClaimStatus.DISPUTED,
                note=(
                    "The ministry's own statement could not be found on its channels, and no "
                    "imagery or witness from Narowlya confirms a market."
                ),
            )
            incident_services.publish_incident(incident=incident, editor=editor)

        # 3. A truck column from Buryn towards the Russian border: submitted, unverified.
        incident, new = self.incident(
            "buryn-column",
            created_by=journalist,
            title="Truck column with looted property moving from Buryn towards Russia",
            summary=(
                "Ukraine's Defence Ministry said on Facebook that a Russian column of trucks "
                "carrying industrial goods and household things was seen moving from Buryn "
                "towards the Russian border."
            ),
            place=buryn,
            occurred_from=date(2022, 4, 1),
            occurred_to=date(2022, 4, 3),
            actors=[russian_forces],
            items=[
                ("industrial-goods", "industrial goods", None, None),
                ("other", "household things", None, None),
                ("trucks-and-vans", "column of trucks", None, None),
            ],
        )
        if new:
            created += 1
            report = self.claim(
                "buryn-column/huffpost",
                incident=incident,
                source=huffpost,
                submitted_by=journalist,
                medium=Medium.PRESS_REPORT,
                url=REPORT_URL,
                published_at=utc(2022, 4, 3, 9, 0),
                language="en",
                original_text=(
                    'The Ukrainian defense ministry said on Facebook that a Russian "column of '
                    'trucks with various properties," including "industrial goods and '
                    'household things," was also spotted en route from the Ukrainian city of '
                    "Buryn towards the Russian border, according to a translation from "
                    "Business Insider."
                ),
            )
            translation = self.claim(
                "buryn-column/business-insider",
                incident=incident,
                source=business_insider,
                submitted_by=journalist,
                medium=Medium.PRESS_REPORT,
                url="https://www.businessinsider.com/russian-troops-looting-ukraine-homes-2022-4",
                published_at=utc(2022, 4, 2, 18, 0),
                language="en",
                original_text=(
                    "A column of trucks with various properties, including industrial goods "
                    "and household things, was spotted moving from Buryn towards the Russian "
                    "border."
                ),
                reported_via=report,
            )
            self.claim(
                "buryn-column/defence-ministry-facebook",
                incident=incident,
                source=defence_ministry,
                submitted_by=journalist,
                medium=Medium.FACEBOOK_POST,
                url="https://www.facebook.com/MinistryofDefence.UA/posts/demo-buryn-column",
                published_at=utc(2022, 4, 2, 12, 0),
                language="uk",
                original_text=(
                    "[Original Ukrainian text not yet captured: the post is known through "
                    "Business Insider's translation.]"
                ),
                translation=(
                    "A column of trucks with various properties, including industrial goods "
                    "and household things, moving from Buryn towards the Russian border."
                ),
                translated_by="Business Insider",
                reported_via=translation,
            )
            incident_services.submit_incident(incident=incident, user=journalist)

        # 4. A journalist's draft citing the same tweet as incident 1: a likely duplicate.
        incident, new = self.incident(
            "burnt-truck-draft",
            created_by=journalist,
            title="Bombed-out truck packed with charred washing machines",
            summary="Photo posted by the Defence Ministry; location of the truck still unknown.",
            place=kyiv_suburbs,
            occurred_from=date(2022, 3, 30),
            occurred_to=date(2022, 4, 2),
            actors=[russian_forces],
            items=[("washing-machines", "washing machines", None, None)],
        )
        if new:
            created += 1
            draft_claim = self.claim(
                "burnt-truck-draft/defence-ministry-tweet",
                incident=incident,
                source=defence_ministry,
                submitted_by=journalist,
                medium=Medium.PHOTO_VIDEO,
                url="https://twitter.com/DefenceU/status/1510265447712448514",
                published_at=utc(2022, 4, 2, 11, 40),
                language="en",
                original_text="Not every military trophy reaches Russia. [photo of a burnt truck]",
            )
            # The same photo as incident 1's tweet: linked to the file already held, and the
            # journalist is told where it already appears.
            claim_services.attach_evidence(
                claim=draft_claim, file=demo_photo(), uploaded_by=journalist
            )
        return created

    def incident(self, key, *, created_by, actors, items, **fields):
        """Return (incident, created) for the demo incident ``key``."""
        public_id = demo_id(f"incident/{key}")
        existing = Incident.objects.filter(public_id=public_id).first()
        if existing:
            return existing, False
        incident = Incident(
            public_id=public_id,
            date_precision=DatePrecision.RANGE,
            internal_notes=DEMO_NOTE,
            **fields,
        )
        incident_services.create_incident(incident=incident, created_by=created_by)
        incident.actors.set(actors)
        for slug, description, quantity_min, quantity_max in items:
            IncidentItem.objects.create(
                incident=incident,
                category=ItemCategory.objects.get(slug=slug),
                description=description,
                quantity_min=quantity_min,
                quantity_max=quantity_max,
            )
        return incident, True

    def claim(self, key, *, submitted_by, **fields):
        claim = Claim(public_id=demo_id(f"claim/{key}"), internal_notes=DEMO_NOTE, **fields)
        return claim_services.create_claim(claim=claim, submitted_by=submitted_by)
