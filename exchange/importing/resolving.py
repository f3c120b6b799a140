"""Finding what an import's records refer to, the way a person would: categories by slug,
places by id or by name and country (the nearest, when coordinates are given), sources and
actors by id or by name. An id names a record only if the record it names agrees with the
name given (ids are local to one installation). What is not found is created through the
services (create_place, create_actor, create_source), or refused with ``no_create``; for
a line held for a batch (``defer``), it is checked on its line and created with the batch,
all at once (create_places, create_actors, create_sources: a few statements a batch
rather than some ten a record).

Everything already looked up is kept in memory, so a large file costs few queries.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from claims.models import Source
from claims.rules import WITHHELD_TRANSLATORS
from claims.services import check_new_source, create_source, create_sources
from incidents.models import Actor, ItemCategory, Place
from incidents.services import (
    check_new_actor,
    check_new_place,
    create_actor,
    create_actors,
    create_place,
    create_places,
)
from lootwatch.copying import BulkWriter

# The services creating new records: (the field a refusal is named after, the services'
# argument, the checks of one on its line, create one, create many, their argument).
SERVICES = {
    Place: ("place", "place", check_new_place, create_place, create_places, "places"),
    Actor: ("actors", "actor", check_new_actor, create_actor, create_actors, "actors"),
    Source: ("source", "source", check_new_source, create_source, create_sources, "sources"),
}


def decimal_or_none(value, field):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({field: f"{value!r} is not a number."}) from error
    if not number.is_finite():
        raise ValidationError({field: f"{value!r} is not a number."})
    return number


def _about(prefix, create, **kwargs):
    """Call a create service; name the refused fields after the reference, e.g.
    "source.kind"."""
    try:
        return create(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {f"{prefix}.{name}": messages for name, messages in error.message_dict.items()}
            ) from error
        raise ValidationError({prefix: error.messages}) from error


class References:
    """The reference records an import uses, created when missing (and remembered)."""

    def __init__(self, *, user, no_create=False):
        self.user = user
        self.no_create = no_create
        self.categories = {category.slug: category for category in ItemCategory.objects.all()}
        self._places = {}
        self._actors = {}
        self._sources = {}
        self._by_id = {Place: {}, Actor: {}, Source: {}}
        self.created = {"places": [], "actors": [], "sources": []}
        self._pending = []
        self._queued = []  # (kind, key, index, record) created with the next batch
        self._writer = BulkWriter()
        self._ids = {Place: [], Actor: [], Source: []}
        # Names known to name no stored record (exchange.importing.names.look_up).
        self._absent = {Actor: set(), Source: set()}

    # True while reading a line held for a batch: its new records wait for write_new.
    defer = False

    # Records created while importing one incident are forgotten if that incident fails.

    def begin(self):
        self._pending = []

    def forget_pending(self):
        self._forget(self._pending)
        self._pending = []

    def _forget(self, entries):
        for kind, key, index, record in entries:
            index.pop(key, None)
            self._by_id[type(record)].pop(record.pk, None)
            self.created[kind].remove(_summary_name(record))
        forgotten = {id(entry[3]) for entry in entries}
        self._queued = [entry for entry in self._queued if id(entry[3]) not in forgotten]

    def write_new(self):
        """Create the new records the lines held for the batch named (places and
        organisations before what refers to them; their ids are set already)."""
        for model in (Place, Actor, Source):
            records = [entry[3] for entry in self._queued if type(entry[3]) is model]
            if records:
                __, __, __, __, create_many, argument = SERVICES[model]
                create_many(**{argument: records, "created_by": self.user})

    def written(self):
        """The batch is written, with the records write_new created."""
        self._queued = []

    def forget_unwritten(self):
        """The batch was refused (and rolled back): forget the records it was to create,
        so that its lines, applied again one by one, create them through the services."""
        self._forget(list(self._queued))
        self._queued = []

    def _create(self, model, record):
        """Create ``record`` through its service, or (``defer``) check it on its line and
        give it an id, for write_new."""
        prefix, field, check, create, __, __ = SERVICES[model]
        if not self.defer:
            return _about(prefix, create, **{field: record}, created_by=self.user)
        _about(prefix, check, **{field: record}, created_by=self.user)
        if not self._ids[model]:
            # Drawn a block at a time from PostgreSQL's sequence (unused ones are gaps);
            # elsewhere one at a time, past the rows written since.
            self._ids[model] = list(
                self._writer.reserve_ids(model, 200 if self._writer.copy else 1)
            )
        record.pk = self._ids[model].pop(0)
        return record

    def _remember(self, kind, index, key, record, value=None):
        index[key] = record if value is None else value
        self._by_id[type(record)][record.pk] = record
        self.created[kind].append(_summary_name(record))
        self._pending.append((kind, key, index, record))
        if self.defer:
            self._queued.append((kind, key, index, record))

    def _get(self, model, pk):
        if pk in (None, ""):
            return None
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        known = self._by_id[model]
        if pk not in known:
            known[pk] = model.objects.filter(pk=pk).first()
        return known[pk]

    def _refuse_new(self, field, what):
        raise ValidationError({field: f"{what} is not in Lootwatch, and --no-create is set."})

    def category(self, slug):
        try:
            return self.categories[slug]
        except KeyError:
            raise ValidationError({"items": f"unknown category {slug!r}"}) from None

    def place(self, given, *, staff=None, current=None):
        """The Place ``given`` (an API place, with ``staff`` its staff-only part) names."""
        staff = staff or {}
        name = (staff.get("name") or given.get("name") or "").strip()
        country = (given.get("country") or "").strip().upper()
        if not name or not country:
            raise ValidationError({"place": "Give the place's name and country."})
        names = {name, (given.get("name") or "").strip()}
        if (
            current is not None
            and current.country == country
            and (names & {current.name, current.public_name})
        ):
            return current
        by_id = self._get(Place, given.get("id"))
        if (
            by_id is not None
            and by_id.country == country
            and names & {by_id.name, by_id.public_name}
        ):
            return by_id
        latitude = decimal_or_none(staff.get("latitude") or given.get("latitude"), "latitude")
        longitude = decimal_or_none(staff.get("longitude") or given.get("longitude"), "longitude")
        key = (name.lower(), country)
        if key not in self._places:
            self._places[key] = list(
                Place.objects.filter(name__iexact=name, country=country).order_by("pk")
            )
        candidates = self._places[key]
        if candidates:
            if latitude is None or longitude is None:
                return candidates[0]
            return min(
                candidates,
                key=lambda p: abs(p.latitude - latitude) + abs(p.longitude - longitude),
            )
        if self.no_create:
            self._refuse_new("place", f"The place {name!r} ({country})")
        if latitude is None or longitude is None:
            raise ValidationError(
                {"latitude": f"{name!r} ({country}) is a new place: give its coordinates."}
            )
        if not given.get("precision"):
            raise ValidationError(
                {
                    "place.precision": f"{name!r} ({country}) is a new place: give its precision "
                    "(location_precision: exact, settlement, district, region or country), so "
                    "that a home is never published unrounded."
                }
            )
        place = self._create(
            Place,
            Place(
                name=name,
                country=country,
                admin1=given.get("admin1") or "",
                admin2=staff.get("admin2") or "",
                alternative_names=staff.get("alternative_names") or [],
                latitude=latitude,
                longitude=longitude,
                precision=given["precision"],
                exact_location_public=bool(staff.get("exact_location_public")),
            ),
        )
        self._remember("places", self._places, key, place, value=[place])
        return place

    def actor(self, given):
        name = (given.get("name") or "").strip()
        if not name:
            raise ValidationError({"actors": "An actor needs a name."})
        by_id = self._get(Actor, given.get("id"))
        if by_id is not None and by_id.name == name:
            return by_id
        key = name.lower()
        if key not in self._actors and key not in self._absent[Actor]:
            found = Actor.objects.filter(name__iexact=name).order_by("pk").first()
            if found is not None:
                self._actors[key] = found
        if key in self._actors:
            return self._actors[key]
        if self.no_create:
            self._refuse_new("actors", f"The actor {name!r}")
        actor = self._create(Actor, Actor(name=name, kind=given.get("kind") or "unknown"))
        self._remember("actors", self._actors, key, actor)
        return actor

    def source(self, given, *, staff=None):
        staff = staff or {}
        name = (staff.get("name") or given.get("name") or "").strip()
        if not name:
            raise ValidationError({"source": "A claim needs its source's name."})
        names = {name, (given.get("name") or "").strip()}
        by_id = self._get(Source, given.get("id"))
        if by_id is not None and names & {by_id.name, by_id.public_label}:
            return by_id
        key = name.lower()
        if key not in self._sources and key not in self._absent[Source]:
            found = Source.objects.filter(name__iexact=name).order_by("pk").first()
            if found is not None:
                self._sources[key] = found
        if key in self._sources:
            return self._sources[key]
        if self.no_create:
            self._refuse_new("source", f"The source {name!r}")
        organisation = None
        if staff.get("organisation"):
            organisation = self.source({"name": staff["organisation"], "kind": "government"})
        source = self._create(
            Source,
            Source(
                name=name,
                kind=given.get("kind") or "other",
                country=staff.get("country") or "",
                url=staff.get("url") or "",
                identity_protected=bool(staff.get("identity_protected")),
                # Kept if still free, so a protected source keeps its public label.
                public_code=staff.get("public_code") or "",
                organisation=organisation,
            ),
        )
        if source.identity_protected and not staff.get("public_code"):
            # Its label is drawn at random when it is written: a dry run's would not be the
            # one the import gives, so the summary names neither (nor the protected name).
            source.summary_name = f"{source.public_label.removesuffix(source.public_code)}…"
        self._remember("sources", self._sources, key, source)
        return source


def translator(given, staff):
    """(translated_by, translator_kind) from a claim's representation: the staff part names
    the translator; a partner file names only organisations (and the labels of the rest)."""
    if staff and "translator_kind" in staff:
        return staff.get("translated_by") or "", staff.get("translator_kind") or ""
    text = (given.get("translated_by") or "").strip()
    if not text:
        return "", ""
    for kind, label in WITHHELD_TRANSLATORS.items():
        if text == label:
            return label, kind
    return text, "organisation"


def _summary_name(record):
    """How the import's summary names a record it creates (see source())."""
    return getattr(record, "summary_name", None) or str(record)
