"""Keeping the reference data clean: places, alleged actors and item categories.

An edit of a record that incidents show (a place renamed or made private, an actor renamed)
moves the ``updated_at`` of every incident showing it, since partners see the record inside
each incident and their mirrors (and webhooks) must learn of the change.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from incidents.gazetteer import region_code
from incidents.models import Actor, Incident, IncidentItem, Place, RoutePoint
from incidents.rules import require, visible_to_partners
from lootwatch.batches import refusing
from lootwatch.copying import BulkWriter
from lootwatch.versioning import history_reason
from webhooks.models import Event
from webhooks.services import announce


def _published(*conditions, **where):
    """The incidents partners see among those matching the conditions: whose webhooks to
    send."""
    return Incident.objects.filter(visible_to_partners(), *conditions, **where)


def _save_new(record, *, user, permission, refusal):
    require(user, permission, refusal)
    record.full_clean()
    record._history_user = user
    record._change_reason = "added"
    record.save()
    return record


def _save_many_new(model, records, *, user, permission, refusal, check=None):
    """What _save_new does to each of ``records``, for many at once (an import's new
    places and actors, one batch of its lines): the permission asked once, each record
    checked (``check``, then each field's and the model's own ``full_clean`` checks), and
    the rows and their history written in one COPY each. Their check constraints are the
    database's to refuse (the batch is then rolled back, and an import applies its lines
    again one at a time through _save_new, which names the refused line); these models
    have no unique field. A record may have its id already (lootwatch.copying.BulkWriter
    reserve_ids). Raise a BatchRefusal naming the refused record's position."""
    require(user, permission, refusal)
    for index, record in enumerate(records):
        with refusing(index):
            if check is not None:
                check(record)
            record.full_clean(validate_unique=False, validate_constraints=False)
        record._history_user = user
        record._change_reason = "added"
    writer = BulkWriter()
    writer.assign_ids(model, [record for record in records if record.pk is None])
    writer.write(model, records, with_ids=True)
    writer.write_history(model, records)
    return records


def _save_changed(record, *, user, permission, refusal, fields):
    require(user, permission, refusal)
    record.full_clean()
    if not fields:
        return False
    record._history_user = user
    record._change_reason = history_reason(f"edited: {', '.join(sorted(fields))}")
    record.save(update_fields=fields)
    return True


def _read_region(place, fields=None):
    """Set the place's ISO 3166-2 region code from its region's name, and return the fields
    to save (``fields`` plus the code when the name or country changed)."""
    place.admin1_code = region_code(place.admin1, country=place.country)
    if fields is None or not {"admin1", "country"} & set(fields):
        return fields
    return [*fields, "admin1_code"]


def _exact_location_allowed(place, user, fields=None):
    """Only editors (who may edit places) make an exact location public: a home's
    coordinates reach partners unrounded then. Checked here for every caller (forms, the
    admin, imports, routes, the demo)."""
    if place.exact_location_public and (fields is None or "exact_location_public" in fields):
        require(
            user,
            "incidents.change_place",
            _("You are not allowed to make an exact location public."),
        )


@transaction.atomic
def create_place(*, place, created_by):
    """Save a new place (built by a form), e.g. one a journalist adds while logging."""
    _exact_location_allowed(place, created_by)
    _read_region(place)
    return _save_new(
        place,
        user=created_by,
        permission="incidents.add_place",
        refusal=_("You are not allowed to add places."),
    )


def check_new_place(*, place, created_by):
    """The checks of create_place that need no database (its permission, an exact
    location's, each field's and the model's own): what an import asks of each new place
    on its line, before the batch creates them all (create_places)."""
    require(created_by, "incidents.add_place", _("You are not allowed to add places."))
    _exact_location_allowed(place, created_by)
    _read_region(place)
    place.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_places(*, places, created_by):
    """create_place for many new places at once (see _save_many_new)."""

    def check(place):
        _exact_location_allowed(place, created_by)
        _read_region(place)

    return _save_many_new(
        Place,
        places,
        user=created_by,
        permission="incidents.add_place",
        refusal=_("You are not allowed to add places."),
        check=check,
    )


@transaction.atomic
def create_actors(*, actors, created_by):
    """create_actor for many new actors at once (see _save_many_new)."""
    return _save_many_new(
        Actor,
        actors,
        user=created_by,
        permission="incidents.add_actor",
        refusal=_("You are not allowed to add actors."),
    )


def check_new_actor(*, actor, created_by):
    """The checks of create_actor that need no database (see check_new_place)."""
    require(created_by, "incidents.add_actor", _("You are not allowed to add actors."))
    actor.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def update_place(*, place, editor, fields):
    """Save ``fields`` already set on ``place``, with history, and move the ``updated_at``
    of every incident at that place or whose route passes there (e.g. an exact location made
    private must reach partners' mirrors rounded)."""
    _exact_location_allowed(place, editor, fields)
    fields = _read_region(place, fields)
    changed = _save_changed(
        place,
        user=editor,
        permission="incidents.change_place",
        refusal=_("You are not allowed to edit places."),
        fields=fields,
    )
    if changed:
        on_a_route = RoutePoint.objects.filter(place=place).values("incident")
        showing = Q(place=place) | Q(pk__in=on_a_route)
        Incident.objects.filter(showing).mark_changed()
        announce(Event.INCIDENT_UPDATED, incidents=_published(showing))
    return place


@transaction.atomic
def create_actor(*, actor, created_by):
    """Save a new alleged actor (built by a form): an army, a unit within it, a person."""
    return _save_new(
        actor,
        user=created_by,
        permission="incidents.add_actor",
        refusal=_("You are not allowed to add actors."),
    )


@transaction.atomic
def update_actor(*, actor, editor, fields):
    """Save ``fields`` already set on ``actor``, with history, and move the ``updated_at``
    of every incident alleging that actor (partners see its name and kind there)."""
    changed = _save_changed(
        actor,
        user=editor,
        permission="incidents.change_actor",
        refusal=_("You are not allowed to edit actors."),
        fields=fields,
    )
    if changed:
        Incident.objects.filter(actors=actor).mark_changed()
        announce(Event.INCIDENT_UPDATED, incidents=_published(actors=actor))
    return actor


@transaction.atomic
def create_category(*, category, created_by):
    """Save a new item category (built by a form), with history."""
    return _save_new(
        category,
        user=created_by,
        permission="incidents.add_itemcategory",
        refusal=_("You are not allowed to add item categories."),
    )


@transaction.atomic
def update_category(*, category, editor, fields):
    """Save ``fields`` already set on ``category``, with history. Slugs never change:
    partners filter by them. Incidents listing items of the category show its name, so
    their ``updated_at`` moves."""
    if "slug" in fields:
        raise ValueError("A category's slug never changes: partners filter by it.")
    changed = _save_changed(
        category,
        user=editor,
        permission="incidents.change_itemcategory",
        refusal=_("You are not allowed to edit item categories."),
        fields=fields,
    )
    if changed:
        items = IncidentItem.objects.filter(category=category).values("incident_id")
        Incident.objects.filter(pk__in=items).mark_changed()
        announce(Event.INCIDENT_UPDATED, incidents=_published(pk__in=items))
    return category
