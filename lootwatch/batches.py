"""Refusals of the services that write many records at once (an import's new incidents and
their reviews): which item of the batch was refused, and why, in the words the one-record
service would have used."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import DatabaseDefault


class BatchRefusal(ValidationError):
    """A batch service refused the item at ``index`` (its position in the batch), and with it
    the whole batch: nothing was written. ``part`` names the refused part of that item as
    the one-record service's SubmissionError would ("claims.2"), or is "" for the item
    itself."""

    def __init__(self, error, *, index, part=""):
        super().__init__(error)
        self.index = index
        self.part = part


@contextmanager
def refusing(index, part=""):
    """Turn a ValidationError raised in the block into a BatchRefusal of item ``index``."""
    try:
        yield
    except BatchRefusal:
        raise
    except ValidationError as error:
        raise BatchRefusal(error, index=index, part=getattr(error, "part", part)) from error


def refuse_duplicates(model, objects, field="public_id"):
    """Raise a BatchRefusal for the first of ``objects`` (unsaved) whose ``field`` (a unique
    field) another of them, or a stored row, already holds: in one query, with the message
    ``full_clean`` would give."""
    seen = {}
    to_python = model._meta.get_field(field).to_python
    for index, obj in enumerate(objects):
        value = to_python(getattr(obj, field))
        if value in seen:
            raise BatchRefusal(_unique_error(obj, field), index=index)
        seen[value] = index
    for value in stored_values(model, field, seen):
        index = seen[value]
        raise BatchRefusal(_unique_error(objects[index], field), index=index)


def stored_values(model, field, values):
    """Which of ``values`` (of ``field``, a unique field) rows of ``model`` hold, in one
    query, as the field's Python values. On PostgreSQL the values go as one array: an IN
    list of thousands (an import's batch, a file's ids) cost Django and psycopg more than
    the database's answer."""
    values = list(values)
    if not values:
        return set()
    column = model._meta.get_field(field)
    if connection.vendor != "postgresql":
        held = model._base_manager.filter(**{f"{field}__in": values})
        return {column.to_python(value) for value in held.values_list(field, flat=True)}
    quote = connection.ops.quote_name
    prepared = [column.get_db_prep_value(value, connection) for value in values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(column.column)} = ANY(%s)",
            [prepared],
        )
        return {column.to_python(row[0]) for row in cursor.fetchall()}


def _unique_error(obj, field):
    return ValidationError({field: obj.unique_error_message(type(obj), (field,))})


def refuse_missing(model, objects, field):
    """Raise a BatchRefusal for the first of ``objects`` whose foreign key ``field`` names
    no stored row (what ``full_clean`` checks one query a row): in one query."""
    wanted = {getattr(obj, f"{field}_id") for obj in objects} - {None}
    if not wanted:
        return
    target = model._meta.get_field(field).related_model
    found = set(target._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
    for index, obj in enumerate(objects):
        value = getattr(obj, f"{field}_id")
        if value is not None and value not in found:
            relation = model._meta.get_field(field)
            message = relation.error_messages["invalid"] % {
                "model": target._meta.verbose_name,
                "pk": value,
                "field": relation.remote_field.field_name,
                "value": value,
            }
            raise BatchRefusal(ValidationError({field: message}), index=index)


class FieldChecks:
    """``full_clean(exclude=…, validate_unique=False, validate_constraints=False)`` for
    many new rows of ``model`` (one batch of a batch service), each distinct value of a
    field checked once.

    A field's ``clean`` (its conversion, its validators, choices, blank and null) answers
    for the value alone: the relations, whose checks ask the database about the row, are
    excluded here and checked for the batch at once (refuse_missing). So the answer for a
    value is the answer for every row of the batch holding it, and is kept for the batch
    (not longer: unique texts would pile up). The rules stay the fields' own, in the
    model, asked fewer times (a status, a medium, a language or a date recurs on most
    rows), rather than re-written here; the model's own ``clean()`` runs for every row, as
    in ``full_clean``."""

    def __init__(self, model, *, exclude=()):
        self.fields = [
            field
            for field in model._meta.fields
            if field.name not in exclude and not field.generated
        ]
        self.known = {}

    def full_clean(self, obj):
        """Raise the ValidationError ``obj.full_clean`` would (without unique and
        constraint checks); set each field's cleaned value, as it does."""
        errors = {}
        for field in self.fields:
            raw = getattr(obj, field.attname)
            # Skipped as Model.clean_fields skips them.
            if (field.blank and raw in field.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            key = (field.attname, type(raw), raw)
            try:
                cleaned = self.known[key]
            except KeyError:
                try:
                    cleaned = self.known[key] = field.clean(raw, obj)
                except ValidationError as error:
                    errors[field.name] = error.error_list
                    continue
            except TypeError:  # not hashable (a list, a dict): asked each time
                try:
                    cleaned = field.clean(raw, obj)
                except ValidationError as error:
                    errors[field.name] = error.error_list
                    continue
            setattr(obj, field.attname, cleaned)
        try:
            obj.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
