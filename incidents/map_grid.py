"""Incidents counted on a grid for the map, and the per-place counts that spare the map a
pass over every incident.

Unfiltered, the map shows what every journalist sees (submitted and published incidents)
plus the reader's own drafts. PostgreSQL keeps the first count per place in
``incidents_place_listed`` with a trigger on incidents (installed by migration 0017), so
the groups at a country's zoom read some thousand places instead of joining 100,000
incidents; the reader's drafts are counted beside it. Filtered maps, and SQLite, count
the filtered incidents per place as before.
"""

import math

from django.db import connection, transaction
from django.db.models import Count, QuerySet

from incidents import listed_counts, map_cells
from incidents.models import Incident, IncidentStatus, Place, PlacePrecision
from incidents.selectors import PUBLIC_DECIMALS, public_bbox

LISTED = (IncidentStatus.SUBMITTED, IncidentStatus.PUBLISHED)

# The table is PlaceListing's (so that tests' flushes empty it too); the trigger fills it.
# Inserts may be counted a batch at a time instead (incidents.listed_counts).
ROW_TRIGGER = listed_counts.row_triggers("place", "lootwatch_place_listed")

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION lootwatch_place_listed() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('submitted', 'published') THEN
            UPDATE incidents_place_listed SET n = n - 1 WHERE place_id = OLD.place_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('submitted', 'published') THEN
            INSERT INTO incidents_place_listed (place_id, n) VALUES (NEW.place_id, 1)
            ON CONFLICT (place_id) DO UPDATE SET n = incidents_place_listed.n + 1;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS incident_place_listed_change ON incidents_incident",
    """
    CREATE TRIGGER incident_place_listed_change
    AFTER UPDATE OF status, place_id ON incidents_incident FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.place_id IS DISTINCT FROM NEW.place_id)
    EXECUTE FUNCTION lootwatch_place_listed()
    """,
    *ROW_TRIGGER,
]

# Counted again from the incidents: after the install, and to repair any drift.
RECOUNT = """
    DELETE FROM incidents_place_listed;
    INSERT INTO incidents_place_listed (place_id, n)
    SELECT place_id, count(*) FROM incidents_incident
    WHERE status IN ('submitted', 'published') GROUP BY place_id
"""


# Places whose stored count differs from their incidents' (a count of 0 and no row agree).
DRIFT = """
    SELECT coalesce(stored.place_id, counted.place_id), coalesce(stored.n, 0),
           coalesce(counted.n, 0)
    FROM incidents_place_listed stored
    FULL JOIN (
        SELECT place_id, count(*) AS n FROM incidents_incident
        WHERE status IN ('submitted', 'published') GROUP BY place_id
    ) counted ON counted.place_id = stored.place_id
    WHERE coalesce(stored.n, 0) <> coalesce(counted.n, 0)
    ORDER BY 1
"""


def listed_drift() -> list[tuple[int, int, int]]:
    """(place pk, stored count, counted count) for each place whose stored count of listed
    incidents has drifted from the incidents (none should: the trigger keeps them); empty
    where nothing is stored (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(DRIFT)
        return cursor.fetchall()


def recount_listed() -> None:
    """Count every place's listed incidents again (PostgreSQL only), then the cells summed
    from them (incidents.map_cells), in one transaction."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE incidents_place_listed IN EXCLUSIVE MODE")
        cursor.execute(RECOUNT)
        map_cells.recount_cells(cursor)


def install(cursor):
    """Create the counts' trigger (PostgreSQL only), and count."""
    for statement in INSTALL:
        cursor.execute(statement)
    cursor.execute(RECOUNT)


def _position(p="incidents_place"):
    """SQL of a place's published latitude and longitude (floats), for _position_params()."""
    rounded = f"{p}.precision = %s AND NOT {p}.exact_location_public"
    return f"""
        (CASE WHEN {rounded} THEN round({p}.latitude, %s) ELSE {p}.latitude END)::float8 AS lat,
        (CASE WHEN {rounded} THEN round({p}.longitude, %s) ELSE {p}.longitude END)::float8 AS lon
    """


def _position_params():
    exact = PlacePrecision.EXACT
    return [exact, PUBLIC_DECIMALS, exact, PUBLIC_DECIMALS]


def _placed_sql(per_place_sql, where=""):
    """(n, lat, lon) of ``per_place_sql``'s places (place_id, count); ``where`` may filter
    the places (named incidents_place). Parameters: _position_params(), then the rest."""
    p = "incidents_place"
    return f"""
        SELECT per_place.count AS n, {_position()}
        FROM ({per_place_sql}) per_place JOIN {p} ON {p}.id = per_place.place_id
        {where}
    """  # noqa: S608 (SQL of querysets and constants, values as parameters)


def _grid_sql(per_place_sql, where="", *, placed_sql=None):
    """Squares of places (count, latitude sum, longitude sum, column, row) from
    ``per_place_sql`` (place_id, count), at the places' published positions; ``where``
    may filter the places (named incidents_place). Or of ``placed_sql`` (n, lat, lon)."""
    placed = placed_sql or _placed_sql(per_place_sql, where)
    return f"""
        SELECT sum(n)::bigint, sum(n * lat), sum(n * lon), floor(lon / %s), floor(lat / %s)
        FROM ({placed}) placed
        GROUP BY 4, 5
    """  # noqa: S608 (SQL of querysets and constants, values as parameters)


def _grid_params(cell):
    return [cell, cell, *_position_params()]


def _clusters(squares):
    return [(n, lat / n, lon / n) for n, lat, lon in squares.values() if n]


def map_clusters(queryset: QuerySet[Incident], *, cell: float) -> list[tuple]:
    """The incidents of ``queryset`` counted per square of ``cell`` degrees on a grid:
    (count, latitude, longitude) per square holding any, at their mean position.

    Positions are the published ones (Place.public_coordinates): a home is counted at its
    rounded coordinates, so that a group of one does not show where it is. The incidents
    are counted per place first, then the places per square: on PostgreSQL in one
    statement; elsewhere the squares are summed in Python.
    """
    per_place = queryset.order_by().values("place_id").annotate(count=Count("pk"))
    if connection.vendor != "postgresql":
        return _clusters(_add_places(dict(per_place.values_list("place_id", "count")), cell))
    sql, params = per_place.query.sql_with_params()
    squares = {}
    with connection.cursor() as cursor:
        cursor.execute(_grid_sql(sql), [*_grid_params(cell), *params])
        for n, lat, lon, column, row in cursor.fetchall():
            squares[(column, row)] = [n, lat, lon]
    return _clusters(squares)


def listed_clusters(user, *, box, cell: float) -> list[tuple]:
    """map_clusters() of the incidents an unfiltered map shows ``user`` inside ``box``
    (None: everywhere), on PostgreSQL, from the stored counts per place and the user's
    own drafts, in one statement; when the squares are wide, the places of the cells lying
    whole inside a square come summed per cell (incidents.map_cells)."""
    inside, params = "TRUE", []
    if box is not None:
        places = Place.objects.filter(public_bbox("", **box)).query
        inside, params = places.get_compiler(connection=connection).compile(places.where)
    # A place with drafts of the user's and listed incidents comes twice: the squares add
    # up both.
    drafts = """
        SELECT place_id, count(*) FROM incidents_incident
        WHERE status = %s AND created_by_id = %s GROUP BY place_id
    """
    drafts_params = [IncidentStatus.DRAFT, user.pk]
    if not map_cells.worth_it(cell):
        listed = "SELECT place_id, n AS count FROM incidents_place_listed WHERE n > 0"
        sql = _grid_sql(f"{listed} UNION ALL {drafts}", f"WHERE {inside}")
        return _clusters(_squares(sql, [*_grid_params(cell), *drafts_params, *params]))
    # The places of the cells a square's (or the box's) edge crosses, found by their cell,
    # each with its stored count; the other cells' places come summed per cell.
    cells, cells_params, columns, rows = map_cells.cell_squares(box, cell=cell)
    p = "incidents_place"
    crossed = f"""
        SELECT listed.n, {_position()}
        FROM {p} CROSS JOIN LATERAL (
            -- One look-up by place (OFFSET 0: not a join over every place's count).
            SELECT n FROM incidents_place_listed WHERE place_id = {p}.id AND n > 0 OFFSET 0
        ) listed
        WHERE ({map_cells.cell_of(f"{p}.", "longitude")} = ANY(%s::numeric[])
               OR {map_cells.cell_of(f"{p}.", "latitude")} = ANY(%s::numeric[]))
          AND {inside}
        UNION ALL
        {_placed_sql(drafts, f"WHERE {inside}")}
    """  # noqa: S608 (SQL of querysets and constants, values as parameters)
    sql = f"""
        SELECT sum(n)::bigint, sum(lat), sum(lon), col, row FROM (
            {cells}
            UNION ALL
            {_grid_sql(None, placed_sql=crossed)}
        ) squares (n, lat, lon, col, row)
        GROUP BY 4, 5
    """  # noqa: S608 (SQL of querysets and constants, values as parameters)
    position = _position_params()
    crossed_params = [*position, columns, rows, *params, *position, *drafts_params, *params]
    return _clusters(_squares(sql, [*cells_params, cell, cell, *crossed_params]))


def _squares(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (int(column), int(row)): [n, lat, lon] for n, lat, lon, column, row in cursor.fetchall()
        }


def _add_places(counts, cell):
    """Squares of ``counts`` ({place pk: incidents}) at their places' published positions
    (the squares PostgreSQL computes), on SQLite."""
    squares = {}
    for place in Place.objects.filter(pk__in=counts).only(
        "latitude", "longitude", "precision", "exact_location_public"
    ):
        latitude, longitude = map(float, place.public_coordinates())
        n = counts[place.pk]
        square = squares.setdefault(
            (math.floor(longitude / cell), math.floor(latitude / cell)), [0, 0.0, 0.0]
        )
        square[0] += n
        square[1] += n * latitude
        square[2] += n * longitude
    return squares
