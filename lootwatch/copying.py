"""Writing many rows at once: PostgreSQL's COPY, and bulk_create elsewhere (SQLite, in tests),
with primary keys reserved beforehand so that rows can refer to each other before they
are written.

Used by the synthetic data generator (incidents.demo) and by the batch services an import
goes through (incidents.services.log_incidents, claims.services.create_claims and
review_each). COPY takes values as they are (no per-value preparation by Django's model
layer, which dominated those services' time at hundreds of thousands of rows), so what
the model layer would do on the way is done here: ``auto_now`` times stamped, foreign keys
to rows saved since they were assigned read again, and each history row
(django-simple-history) built as a tuple of the tracked fields, as
``bulk_history_create`` builds it, rather than as a model instance.
"""

from django.db import connection, models
from django.utils import timezone

BATCH = 5000


class BulkWriter:
    """Insert many rows at once: COPY on PostgreSQL (about ten times faster than Django's
    bulk_create, whose per-value preparation dominates at hundreds of thousands of rows),
    and bulk_create elsewhere."""

    def __init__(self, using=connection):
        self.connection = using
        self.copy = using.vendor == "postgresql"
        self._next = {}  # model -> the next id free of reservations (not PostgreSQL)

    def reserve_ids(self, model, count):
        """Primary keys for ``count`` new rows, so that rows referring to them can be built
        before they are written (COPY returns no ids)."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.copy:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                # Drawn one by one from the sequence (not set past a range), so that
                # rows other sessions insert meanwhile never take one of them.
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            first = max(cursor.fetchone()[0], self._next.get(model, 0))
        self._next[model] = first + count
        return range(first, first + count)

    def assign_ids(self, model, objects):
        """Give each of ``objects`` (unsaved) a reserved primary key."""
        for obj, pk in zip(objects, self.reserve_ids(model, len(objects)), strict=True):
            obj.pk = pk

    def write(self, model, objects, *, with_ids):
        """Insert ``objects`` (unsaved instances; ``with_ids``: their primary keys set)."""
        objects = list(objects)
        if not objects:
            return
        if not self.copy:
            model._default_manager.bulk_create(objects, batch_size=BATCH)
            return
        fields = [
            field for field in model._meta.concrete_fields if with_ids or not field.primary_key
        ]
        stamped = [
            field
            for field in fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        relations = [field for field in fields if field.is_relation and field.many_to_one]
        for obj in objects:
            for field in stamped:
                # Stamped as bulk_create would, unless given (the synthetic data's times).
                if getattr(obj, field.attname) is None:
                    field.pre_save(obj, add=True)
            for field in relations:
                # Assigned while the row it names was unsaved (as bulk_create does).
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    related = field.get_cached_value(obj)
                    if related is not None:
                        setattr(obj, field.attname, related.pk)
        getters = [self._getter(field) for field in fields]
        self.copy_rows(
            model,
            [field.column for field in fields],
            ([get(obj) for get in getters] for obj in objects),
        )
        for obj in objects:
            obj._state.adding = False
            obj._state.db = self.connection.alias

    def write_history(self, model, objects, *, history_type="+", date=None):
        """Insert a history row (django-simple-history) for each of ``objects`` (saved),
        as ``model.history.bulk_history_create`` does: who and why from each object's
        ``_history_user`` and ``_change_reason``, its tracked fields as they are now."""
        objects = list(objects)
        if not objects:
            return
        history = model.history.model
        if not self.copy:
            model.history.bulk_history_create(
                objects, batch_size=BATCH, update=history_type == "~", default_date=date
            )
            return
        date = date or timezone.now()
        tracked = [field.attname for field in history.tracked_fields]
        columns = [history._meta.get_field(name).column for name in tracked]
        columns += ["history_date", "history_type", "history_change_reason", "history_user_id"]
        rows = (
            [
                *(getattr(obj, name) for name in tracked),
                getattr(obj, "_history_date", date),
                history_type,
                getattr(obj, "_change_reason", "") or "",
                _pk(getattr(obj, "_history_user", None)),
            ]
            for obj in objects
        )
        self.copy_rows(history, columns, rows)

    def copy_rows(self, model, columns, rows):
        """COPY ``rows`` (sequences of values in the order of ``columns``) into ``model``'s
        table. JSON values are wrapped for psycopg."""
        table = self.connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(self.connection.ops.quote_name(column) for column in columns)
        by_column = {field.column: field for field in model._meta.concrete_fields}
        wrapped = [
            index
            for index, column in enumerate(columns)
            if isinstance(by_column.get(column), models.JSONField | models.FileField)
        ]
        sql = f"COPY {table} ({quoted}) FROM STDIN"
        # The raw cursor's errors are not Django's: wrapped, a refused row raises
        # django.db.IntegrityError, as an INSERT's would.
        with (
            self.connection.wrap_database_errors,
            self.connection.cursor() as cursor,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                if wrapped:
                    row = list(row)
                    for index in wrapped:
                        row[index] = self._wrap(by_column[columns[index]], row[index])
                copy.write_row(row)

    @staticmethod
    def _wrap(field, value):
        if isinstance(field, models.JSONField):
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value.name if value else ""

    @staticmethod
    def _getter(field):
        attname = field.attname
        return lambda obj: getattr(obj, attname)


def _pk(user):
    return None if user is None else user.pk
