"""Finding what an import's records refer to, the way a person would: categories by slug,
places by id or by name and country (the nearest, when coordinates are given), sources and
actors by id or by name. An id names a record only if the record it names agrees with the
name given (ids are local to one installation). What is not found is created through the
services (create_place, create_actor, create_source), or refused with ``no_create``.

Everything already looked up is kept in memory, so a large file costs few queries.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from claims.models import Source
from claims.rules import WITHHELD_TRANSLATORS
from claims.services import create_source
from incidents.models import Actor, ItemCategory, Place
from incidents.services import create_actor, create_place


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

    # Records created while importing one incident are forgotten if that incident fails.

    def begin(self):
        self._pending = []

    def forget_pending(self):
        for kind, key, index, record in self._pending:
            index.pop(key, None)
            self._by_id[type(record)].pop(record.pk, None)
            self.created[kind].remove(str(record))
        self._pending = []

    def _remember(self, kind, index, key, record, value=None):
        index[key] = record if value is None else value
        self._by_id[type(record)][record.pk] = record
        self.created[kind].append(str(record))
        self._pending.append((kind, key, index, record))

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
        place = _about(
            "place",
            create_place,
            place=Place(
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
            created_by=self.user,
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
        if key not in self._actors:
            found = Actor.objects.filter(name__iexact=name).order_by("pk").first()
            if found is not None:
                self._actors[key] = found
        if key in self._actors:
            return self._actors[key]
        if self.no_create:
            self._refuse_new("actors", f"The actor {name!r}")
        actor = _about(
            "actors",
            create_actor,
            actor=Actor(name=name, kind=given.get("kind") or "unknown"),
            created_by=self.user,
        )
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
        if key not in self._sources:
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
        source = _about(
            "source",
            create_source,
            source=Source(
                name=name,
                kind=given.get("kind") or "other",
                country=staff.get("country") or "",
                url=staff.get("url") or "",
                identity_protected=bool(staff.get("identity_protected")),
                # Kept if still free, so a protected source keeps its public label.
                public_code=staff.get("public_code") or "",
                organisation=organisation,
            ),
            created_by=self.user,
        )
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
