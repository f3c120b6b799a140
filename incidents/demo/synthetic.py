"""Synthetic data at the size of a war, for benchmarks and load tests: N incidents with
their places, actors, sources, claims, reviews, items, evidence, routes and links, through
bulk inserts.

Unlike the demo data (incidents.demo.data, logged through the services one by one), this
writes rows directly, thousands at a time: the services' per-record history and checks
would take hours at 100,000 incidents. Everything it writes is marked as synthetic (it is
logged by the account SYNTHETIC_USERNAME), so that a database holding real records can be
recognised and left alone. The same seed gives the same data. Search documents are built
in one statement at the end, not by triggers per row (incidents.fulltext.deferred)."""

import hashlib
import io
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from PIL import Image, ImageDraw

from claims.evidence import storage as evidence_storage
from claims.evidence.derivatives import make_derivatives
from claims.evidence.formats import InspectedFile
from claims.models import Claim, Evidence, Review, Source
from claims.services.summaries import refresh_summaries
from incidents import fulltext
from incidents.demo.bulk import BATCH, BulkWriter, timestamps_as_given
from incidents.demo.synthetic_routes import make_routes_and_links
from incidents.demo.vocabulary import (
    GOODS,
    MEDIUMS,
    OUTLETS,
    RARE_WORD,
    REGIONS,
    SETTLEMENT_PREFIXES,
    SETTLEMENT_STEMS,
    STREETS,
    TEXTS,
)
from incidents.models import Actor, Incident, IncidentItem, ItemCategory, Place

SYNTHETIC_USERNAME = "synthetic-data"


@dataclass
class Counts:
    places: int = 0
    actors: int = 0
    sources: int = 0
    incidents: int = 0
    claims: int = 0
    reviews: int = 0
    items: int = 0
    evidence: int = 0
    route_points: int = 0
    links: int = 0


def synthetic_user():
    """The account that logs and reviews every synthetic record."""
    user, _ = get_user_model().objects.get_or_create(
        username=SYNTHETIC_USERNAME,
        defaults={"email": "synthetic@lootwatch.invalid", "is_active": False},
    )
    return user


def real_incidents():
    """Incidents not made by this generator: what it must not be mixed with."""
    return Incident.objects.exclude(created_by__username=SYNTHETIC_USERNAME)


class Generator:
    """Generate ``incidents`` incidents and everything they need, from ``seed``."""

    def __init__(self, *, incidents, seed, progress=None):
        self.total = incidents
        self.random = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.progress = progress or (lambda step, done: None)
        self.counts = Counts()
        self.start = datetime(2022, 2, 24, tzinfo=UTC)
        self.writer = BulkWriter()

    def uuid(self):
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def moment(self, after, days):
        return after + timedelta(seconds=self.random.randrange(max(1, int(days * 86400))))

    def assign_ids(self, model, rows):
        for row, pk in zip(rows, self.writer.reserve_ids(model, len(rows)), strict=True):
            row.pk = pk

    def insert(self, model, rows, *, with_ids=False):
        """Write ``rows`` (unsaved instances); with ``with_ids`` they get their primary keys
        first, for rows that refer to them."""
        if with_ids and rows and rows[0].pk is None:
            self.assign_ids(model, rows)
        for first in range(0, len(rows), BATCH):
            self.writer.write(model, rows[first : first + BATCH], with_ids=with_ids)
            self.progress(model._meta.verbose_name_plural, min(first + BATCH, len(rows)))
        return rows

    @transaction.atomic
    def run(self):
        self.user = synthetic_user()
        with timestamps_as_given(Incident, Claim), fulltext.deferred():
            self.places = self.make_places()
            self.actors = self.make_actors()
            self.sources, self.witnesses = self.make_sources()
            self.categories = {category.slug: category for category in ItemCategory.objects.all()}
            incidents = self.make_incidents()
            self.make_items_and_actors(incidents)
            claims = self.make_claims(incidents)
            self.make_reviews(claims)
            self.make_evidence(claims)
            make_routes_and_links(self, incidents, claims)
        # Every stored verification summary, in the one statement the services run.
        refresh_summaries(Incident.objects.all())
        self.user.first_name = f"generated {self.total} incidents"
        self.user.save(update_fields=["first_name"])
        return self.counts

    def make_places(self):
        rows = []
        for number in range(max(20, self.total // 8)):
            region, code, latitude, longitude = self.random.choice(REGIONS)
            home = self.random.random() < 0.15
            if home:
                name = f"{self.random.choice(STREETS)} Street {self.random.randint(1, 120)}"
            else:
                prefix = self.random.choice(SETTLEMENT_PREFIXES)
                name = f"{prefix}{self.random.choice(SETTLEMENT_STEMS)}"
            rows.append(
                Place(
                    name=f"{name} ({number})" if not home else name,
                    country="UA",
                    admin1=region,
                    admin1_code=code,
                    latitude=round(latitude + self.random.uniform(-0.6, 0.6), 6),
                    longitude=round(longitude + self.random.uniform(-0.9, 0.9), 6),
                    precision="exact" if home else "settlement",
                )
            )
        self.counts.places = len(places := self.insert(Place, rows, with_ids=True))
        return places

    def make_actors(self):
        army = Actor.objects.create(
            name="Armed Forces of the Russian Federation (synthetic)",
            kind="armed_forces",
            country="RU",
        )
        units = self.insert(
            Actor,
            with_ids=True,
            rows=[
                Actor(
                    name=f"{number}th Separate Motor Rifle Brigade (synthetic)",
                    kind="unit",
                    parent=army,
                    country="RU",
                )
                for number in range(1, 41)
            ],
        )
        others = self.insert(
            Actor,
            with_ids=True,
            rows=[
                Actor(name="Rosgvardia (synthetic)", kind="paramilitary", country="RU"),
                Actor(name="Wagner Group (synthetic)", kind="private_military_company"),
                Actor(name="Unknown armed men (synthetic)", kind="unknown"),
            ],
        )
        self.counts.actors = 1 + len(units) + len(others)
        return [army, *units, *others]

    def make_sources(self):
        government = Source.objects.create(
            name="Government of Ukraine (synthetic)", kind="government", country="UA"
        )
        members = [
            Source(name=f"{name} (synthetic)", kind=kind, country="UA", organisation=government)
            for name, kind in (
                ("Ministry of Defence of Ukraine", "military"),
                ("National Police of Ukraine", "government"),
                ("Prosecutor General's Office", "government"),
                ("Ministry of Foreign Affairs spokesperson", "official_spokesperson"),
            )
        ]
        outlets = [Source(name=f"{name} (synthetic)", kind="media_outlet") for name in OUTLETS]
        accounts = [
            Source(name=f"Telegram channel {number} (synthetic)", kind="social_media_account")
            for number in range(200)
        ]
        witnesses = [
            Source(
                name=f"Witness {number} (synthetic)",
                kind="witness",
                country="UA",
                identity_protected=True,
            )
            for number in range(max(10, self.total // 20))
        ]
        sources = self.insert(Source, [*members, *outlets, *accounts], with_ids=True)
        witnesses = self.insert(Source, witnesses, with_ids=True)
        self.counts.sources = 1 + len(sources) + len(witnesses)
        return [government, *sources], witnesses

    def make_incidents(self):
        rows, merge_into = [], []
        for number in range(self.total):
            occurred_from = (self.start + timedelta(days=self.random.randrange(1000))).date()
            occurred_to = occurred_from + timedelta(days=self.random.choice((0, 0, 1, 2, 5)))
            created_at = self.moment(datetime.combine(occurred_to, datetime.min.time(), UTC), 20)
            roll = self.random.random()
            status = (
                "draft"
                if roll < 0.04
                else "submitted"
                if roll < 0.08
                else "withdrawn"
                if roll < 0.13
                else "published"
            )
            goods, _ = self.random.choice(GOODS)
            place = self.random.choice(self.places)
            published_at = (
                self.moment(created_at, 10) if status in ("published", "withdrawn") else None
            )
            withdrawn_at = self.moment(published_at, 60) if status == "withdrawn" else None
            rows.append(
                Incident(
                    public_id=self.uuid(),
                    title=f"{goods.capitalize()} taken in {place.name}",
                    summary=f"Reports say {goods} were taken from homes in {place.name}.",
                    place=place,
                    occurred_from=occurred_from,
                    occurred_to=occurred_to,
                    date_precision="range" if occurred_to > occurred_from else "day",
                    status=status,
                    created_by=self.user,
                    created_at=created_at,
                    updated_at=withdrawn_at or published_at or created_at,
                    submitted_at=created_at if status != "draft" else None,
                    published_at=published_at,
                    withdrawn_at=withdrawn_at,
                    withdrawal_reason="Synthetic withdrawal." if withdrawn_at else "",
                )
            )
            if status == "withdrawn" and self.random.random() < 0.3:
                merge_into.append(number)
        self.assign_ids(Incident, rows)
        published = [incident for incident in rows if incident.status == "published"]
        for number in merge_into:
            rows[number].merged_into = self.random.choice(published)
        incidents = self.insert(Incident, rows, with_ids=True)
        self.counts.incidents = len(incidents)
        return incidents

    def make_items_and_actors(self, incidents):
        items, alleged = [], []
        Alleged = Incident.actors.through
        for incident in incidents:
            for goods, slug in self.random.sample(GOODS, self.random.choice((1, 1, 2, 3))):
                low = self.random.choice((None, None, 1, 10, 100))
                items.append(
                    IncidentItem(
                        incident=incident,
                        category=self.categories[slug],
                        description=goods,
                        quantity_min=low,
                        quantity_max=low * 10 - 1 if low and low > 1 else low,
                    )
                )
            for actor in self.random.sample(self.actors, self.random.choice((0, 1, 1, 2))):
                alleged.append(Alleged(incident_id=incident.pk, actor_id=actor.pk))
        self.counts.items = len(self.insert(IncidentItem, items))
        self.insert(Alleged, alleged)

    def make_claims(self, incidents):
        rows = []
        for incident in incidents:
            late = incident.status == "published" and self.random.random() < 0.05
            count = self.random.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8))
            for position in range(count + (1 if late else 0)):
                is_late = late and position == count
                language = self.random.choice(("uk", "uk", "ru", "en", "en"))
                goods = self.random.choice(GOODS)[0]
                text = TEXTS[language].format(place=incident.place.name, goods=goods)
                if self.random.random() < 0.001:
                    text += f" A {RARE_WORD} was taken too."
                source = (
                    self.random.choice(self.witnesses)
                    if self.random.random() < 0.15
                    else self.random.choice(self.sources)
                )
                medium = (
                    "witness_statement" if source.kind == "witness" else self.random.choice(MEDIUMS)
                )
                created_at = (
                    self.moment(incident.published_at, 30)
                    if is_late
                    else incident.created_at + timedelta(minutes=position)
                )
                status = self._claim_status(incident, is_late)
                rows.append(
                    Claim(
                        public_id=self.uuid(),
                        incident=incident,
                        source=source,
                        medium=medium,
                        url=f"https://example.org/synthetic/{incident.pk}/{position}",
                        published_at=created_at - timedelta(days=1),
                        language=language,
                        original_text=text,
                        translation=(
                            TEXTS["en"].format(place=incident.place.name, goods=goods)
                            if language != "en"
                            else ""
                        ),
                        translated_by="Lootwatch staff" if language != "en" else "",
                        translator_kind="staff" if language != "en" else "",
                        status=status,
                        status_changed_at=(
                            created_at + timedelta(hours=6) if status != "unverified" else None
                        ),
                        submitted_by=self.user,
                        created_at=created_at,
                        updated_at=created_at,
                    )
                )
        claims = self.insert(Claim, rows, with_ids=True)
        self.counts.claims = len(claims)
        return claims

    def _claim_status(self, incident, late):
        if late or incident.status in ("draft", "submitted"):
            return "unverified"
        roll = self.random.random()
        return "verified" if roll < 0.6 else "disputed" if roll < 0.75 else "unverified"

    def make_reviews(self, claims):
        reviews = []
        for claim in claims:
            if claim.status == "unverified":
                continue
            reviews.append(
                Review(
                    claim=claim,
                    reviewer=self.user,
                    from_status="unverified",
                    to_status=claim.status,
                    note="Synthetic review.",
                    created_at=claim.status_changed_at,
                )
            )
        self.counts.reviews = len(self.insert(Review, reviews))

    def make_evidence(self, claims):
        """Evidence for about one claim in ten. The files are a few small pictures, each
        stored once, as the same photo shared on many channels would be."""
        pictures = [self._picture(number) for number in range(12)]
        rows = []
        for claim in claims:
            if self.random.random() >= 0.1:
                continue
            picture = self.random.choice(pictures)
            rows.append(
                Evidence(
                    public_id=self.uuid(),
                    claim=claim,
                    kind="image",
                    original=picture["original"],
                    original_filename="photo.jpg",
                    sha256=picture["sha256"],
                    size_bytes=picture["size"],
                    content_type="image/jpeg",
                    width=picture["width"],
                    height=picture["height"],
                    metadata={"format": "JPEG", "synthetic": True},
                    display=picture["display"],
                    thumbnail=picture["thumbnail"],
                    uploaded_by=self.user,
                    uploaded_at=claim.created_at,
                )
            )
        self.counts.evidence = len(self.insert(Evidence, rows))

    def _picture(self, number):
        image = Image.new("RGB", (320, 240), (40 + number * 15, 90, 140))
        ImageDraw.Draw(image).rectangle((20, 20, 120 + number * 10, 160), fill=(230, 230, 220))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        data = buffer.getvalue()
        inspected = InspectedFile(
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            kind="image",
            content_type="image/jpeg",
            width=320,
            height=240,
        )
        original, _ = evidence_storage.store_original(inspected)
        derivatives = make_derivatives(inspected)
        return {
            "original": original,
            "sha256": inspected.sha256,
            "size": inspected.size,
            "width": 320,
            "height": 240,
            "display": evidence_storage.store_derivative(derivatives["display"]),
            "thumbnail": evidence_storage.store_derivative(derivatives["thumbnail"]),
        }
