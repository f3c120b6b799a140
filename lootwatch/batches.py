"""Refusals of the services that write many records at once (an import's new incidents and
their reviews): which item of the batch was refused, and why, in the words the one-record
service would have used."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError


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
    held = model._default_manager.filter(**{f"{field}__in": list(seen)}).values_list(
        field, flat=True
    )
    for value in held:
        index = seen[to_python(value)]
        raise BatchRefusal(_unique_error(objects[index], field), index=index)


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
