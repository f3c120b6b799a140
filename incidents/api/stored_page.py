"""The partner API's first page of incidents as a statement compiled once per page shape.

Building the list's annotated queryset and compiling it cost about 1.7 ms of every request
(issue 11, round 4), for a statement that is the same text with the same parameters for
every first page of the same size, format, address and time zone: the visibility rules
(incidents.rules.visible_to_partners(), claims.selectors.visible_claims()) are the same for
every reader of the API, partner or staff, and are written into the statement as SQL, not
as its results. So the first statement of each shape is compiled by the ORM as before, and
kept with what Django's compiler knew of its columns (which make the model instances, their
place and their annotations); later requests of that shape execute it as it is, and Django's
own ModelIterable reads the rows. Only first pages without a filter are kept: a filter's or
a cursor's values are the request's own.

What is kept is SQL and column bookkeeping, never rows: every request reads the database.

On PostgreSQL the statement is also prepared once per connection (``PREPARE``, sent on the
connection itself as Django sends its own set-up), then run with ``EXECUTE``: planning the
page's subqueries cost PostgreSQL ~2.3 ms of the ~8 ms it spent per page of 50, and the text
has no parameters, so its plan is made once. Behind a pooler in transaction mode, where a
connection's prepared statements do not follow it, Django's DISABLE_SERVER_SIDE_CURSORS
(which that setup needs anyway) turns this off; a prepared statement found missing, or
refused because a migration changed the type of one of its columns, is prepared again once
outside a transaction. A connection keeps at most MAX_PREPARED of them: each holds its
parsed text in the server's memory (~600 KB), and a reader walking through page sizes grew
one connection by ~490 MB in 800 requests before the bound.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import connection, connections
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.db.utils import DatabaseError
from django.utils import translation

# At most this many shapes (page sizes × formats × addresses × languages) are kept.
MAX_SHAPES = 256
# At most this many are prepared on one connection at a time; the next one deallocates them.
MAX_PREPARED = 16
# PostgreSQL's errors of a prepared statement the connection lost, and of one whose
# columns changed type since ("cached plan must not change result type").
_PREPARE_AGAIN = {"26000", "0A000"}


@dataclass(frozen=True)
class StoredStatement:
    """A compiled statement and the compiler's reading of its columns."""

    sql: str
    params: tuple
    select: list
    klass_info: dict
    annotation_col_map: dict
    col_count: int
    has_extra_select: bool
    # PostgreSQL: the statement's name and its text with the parameters written in.
    name: str = ""
    text: str = field(default="", repr=False)


class StoredCompiler(SQLCompiler):
    """A compiler that hands over the stored statement instead of compiling its query."""

    def __init__(self, stored, query, connection, using, elide_empty=True):
        super().__init__(query, connection, using, elide_empty)
        self.stored = stored

    def pre_sql_setup(self, with_col_aliases=False):
        raise NotImplementedError("A stored statement is never compiled again.")

    def as_sql(self, with_limits=True, with_col_aliases=False):
        stored = self.stored
        self.select, self.klass_info = stored.select, stored.klass_info
        self.annotation_col_map = stored.annotation_col_map
        self.col_count, self.has_extra_select = stored.col_count, stored.has_extra_select
        # Asked for a subquery (an aggregate over the page), the statement's own text.
        if stored.name and not with_col_aliases and _prepared(self.connection, stored):
            return f"EXECUTE {stored.name}", ()
        return stored.sql, stored.params

    def execute_sql(self, *args, **kwargs):
        try:
            return super().execute_sql(*args, **kwargs)
        except DatabaseError as error:
            # The connection lost its prepared statements (DISCARD ALL, a pooler), or a
            # migration changed a column's type: prepare again, once, where nothing else of
            # the request's is undone by the error.
            again = getattr(error.__cause__, "sqlstate", None) in _PREPARE_AGAIN
            if not (again and self.stored.name) or self.connection.in_atomic_block:
                raise
            _deallocate(self.connection)
            return super().execute_sql(*args, **kwargs)


def _prepared(wrapper, stored):
    """Prepare ``stored`` on the connection unless it is; False where it may not be."""
    if wrapper.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return False
    wrapper.ensure_connection()
    raw = wrapper.connection
    known = getattr(wrapper, "_lootwatch_prepared", None)
    if known is None or known[0] is not raw:
        known = wrapper._lootwatch_prepared = (raw, set())
    if stored.name not in known[1]:
        if len(known[1]) >= MAX_PREPARED:
            _deallocate(wrapper)
            known = wrapper._lootwatch_prepared = (raw, set())
        with raw.cursor() as cursor:
            cursor.execute(f"PREPARE {stored.name} AS {stored.text}")
        known[1].add(stored.name)
    return True


def _deallocate(wrapper):
    """Drop the connection's prepared statements (only ours: Django has psycopg prepare
    none), which DEALLOCATE ALL does without failing on any already gone."""
    with wrapper.connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    _forget_prepared(wrapper)


def _forget_prepared(wrapper):
    wrapper._lootwatch_prepared = None


class StoredQuery(Query):
    """A query whose compiler is the stored statement's: the pagination may order and slice
    it (it asks for the ordering and the size the statement was compiled with), which
    changes nothing."""

    def __init__(self, model, stored):
        super().__init__(model)
        self.stored = stored

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if connection is None:
            connection = connections[using]
        return StoredCompiler(self.stored, self, connection, using, elide_empty)


_STORED = {}


def store(queryset) -> StoredStatement:
    """Compile ``queryset`` (ordered and sliced) as a ModelIterable would, and keep what it
    reads."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    name = text = ""
    if compiler.connection.vendor == "postgresql":
        text = compiler.connection.ops.compose_sql(sql, params)
        name = f"lootwatch_page_{hashlib.sha256(text.encode()).hexdigest()[:24]}"
    return StoredStatement(
        name=name,
        text=text,
        sql=sql,
        params=tuple(params),
        select=compiler.select,
        klass_info=compiler.klass_info,
        annotation_col_map=compiler.annotation_col_map,
        col_count=compiler.col_count,
        has_extra_select=compiler.has_extra_select,
    )


def first_page(shape, build, *, model):
    """A queryset of the first page of ``shape`` (a tuple naming everything the statement
    depends on besides the database: format, page size, links, time zone), executing the
    statement kept for that shape; ``build()`` gives the ordered and sliced queryset the
    first time (and its rows are read through the statement just kept)."""
    key = (connection.alias, connection.vendor, translation.get_language(), *shape)
    stored = _STORED.get(key)
    if stored is None:
        stored = store(build())
        if len(_STORED) >= MAX_SHAPES:
            _STORED.clear()
        _STORED[key] = stored
    queryset = model._base_manager.all()
    queryset.query = StoredQuery(model, stored)
    return queryset


def forget():
    """Forget every kept statement (tests; a change of schema restarts the workers)."""
    _STORED.clear()
