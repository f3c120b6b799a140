"""Telling, before any service is called, whether a record of an import would change what
is stored: an unchanged line is reported as unchanged without calling a service, so
re-importing a file is a no-op even where the caller may no longer edit (a withdrawn
incident, a published one for a journalist)."""

from claims.models import Claim
from claims.services.recording import EDITABLE_FIELDS

# The stored values (ids for relations) of what people type about a claim.
CLAIM_VALUES = tuple(Claim._meta.get_field(name).attname for name in EDITABLE_FIELDS)


def claim_values(claim):
    return {name: getattr(claim, name) for name in CLAIM_VALUES}


def claim_unchanged(claim):
    """True if ``claim`` (stored, its fields set from the file) equals what was stored
    (``claim._before``, taken by the importer before it set them)."""
    before = getattr(claim, "_before", None)
    return before is not None and claim_values(claim) == before


def incident_unchanged(existing, fields, place, actors, items):
    """True if ``fields``, ``place``, ``actors`` and ``items`` (None: not in the file) are
    what ``existing`` holds."""
    if any(getattr(existing, name) != value for name, value in fields.items()):
        return False
    if place.pk != existing.place_id:
        return False
    if actors is not None and {a.pk for a in actors} != set(
        existing.actors.values_list("pk", flat=True)
    ):
        return False
    if items is None:
        return True
    stored = list(existing.items.order_by("pk"))
    return len(stored) == len(items) and all(
        (old.category_id, old.description, old.quantity_min, old.quantity_max)
        == (new.category.pk, new.description, new.quantity_min, new.quantity_max)
        for old, new in zip(stored, items, strict=True)
    )
