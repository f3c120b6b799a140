"""Writing many rows at once, for synthetic data: lootwatch.copying.BulkWriter (COPY on
PostgreSQL, bulk_create elsewhere), with the times given kept."""

from contextlib import contextmanager

from lootwatch.copying import BATCH, BulkWriter

__all__ = ["BATCH", "BulkWriter", "timestamps_as_given"]


@contextmanager
def timestamps_as_given(*models):
    """Let bulk inserts keep the times given: ``auto_now``/``auto_now_add`` would stamp every
    row with the moment of insertion, but a war's record spans years (and a claim added
    after publication must be later than the publication)."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
