"""The map's stored counts per place summed again per fixed cell of the grid (PostgreSQL).

At a country's zoom the unfiltered map read every place in view (incidents.map_grid): its
cost followed the number of places, which grows with the incidents (issue 11: 12,490
places in view at 100,000 incidents, 1,249 at 10,000). Here a trigger on the per-place
counts (``incidents_place_listed``) keeps, per cell of 1/CELLS_PER_DEGREE of a degree at
the places' published positions, the number of listed incidents and the exact (numeric)
sums of their latitudes and longitudes; a trigger on places moves a place's count when its
published position changes.

The map's squares are not fixed (their side follows the zoom and the box asked for), so a
cell counts for a square only when every position inside it falls in that square and inside
the box: the other cells (those a square's edge or the box's edge crosses) are read place by
place, as before. Each square's count is then the same, and its mean position the same up to
the rounding of floating-point sums (the map writes five decimals).
"""

import math
from fractions import Fraction

from django.db import connection

from incidents import listed_counts
from incidents.models import PlacePrecision
from incidents.selectors import PUBLIC_DECIMALS

CELLS_PER_DEGREE = 8
# Cells are used only when a square is at least this many cells wide: smaller squares cross
# most cells, and the view then holds few places anyway.
MIN_CELLS_PER_SQUARE = 6
# Positions are exact decimals; the squares are computed in floating point. A cell counts for
# a square only when the square's edges are further than this from it.
MARGIN = 1e-9


def published(prefix, column):
    """SQL of a place's published ``column`` (latitude or longitude): rounded for a home
    unless marked public, as Place.public_coordinates() and incidents.map_grid do."""
    return (
        f"(CASE WHEN {prefix}precision = '{PlacePrecision.EXACT}' "
        f"AND NOT {prefix}exact_location_public "
        f"THEN round({prefix}{column}, {PUBLIC_DECIMALS}) ELSE {prefix}{column} END)"
    )


def cell_of(prefix, column):
    """SQL of the cell (column or row) of a place's published ``column``."""
    return f"floor({published(prefix, column)} * {CELLS_PER_DEGREE})"


def _add(count, latitude, longitude):
    """SQL adding ``count`` incidents at a position to its cell."""
    return f"""
        INSERT INTO incidents_cell_listed (cx, cy, n, lat_sum, lon_sum)
        VALUES (floor({longitude} * {CELLS_PER_DEGREE}), floor({latitude} * {CELLS_PER_DEGREE}),
                {count}, {count} * {latitude}, {count} * {longitude})
        ON CONFLICT (cx, cy) DO UPDATE SET n = incidents_cell_listed.n + EXCLUDED.n,
            lat_sum = incidents_cell_listed.lat_sum + EXCLUDED.lat_sum,
            lon_sum = incidents_cell_listed.lon_sum + EXCLUDED.lon_sum;
    """  # noqa: S608 (constants and column names)


def _remove(count, latitude, longitude):
    return f"""
        UPDATE incidents_cell_listed SET n = n - {count},
            lat_sum = lat_sum - {count} * {latitude}, lon_sum = lon_sum - {count} * {longitude}
        WHERE cx = floor({longitude} * {CELLS_PER_DEGREE})
          AND cy = floor({latitude} * {CELLS_PER_DEGREE});
    """  # noqa: S608 (constants and column names)


# FOR SHARE: a place being moved in a transaction not yet committed is waited for and
# read as moved; and a place read here is not moved until this transaction ends (its
# trigger then reads this count). Without it, a listing beside a move counted the incident
# at the place's old cell (tests/incidents/test_map_cells.py).
_POSITION = (
    f"SELECT {published('p.', 'latitude')}, {published('p.', 'longitude')} INTO lat, lon "  # noqa: S608
    "FROM incidents_place p WHERE p.id = {row}.place_id FOR SHARE;"
)
_MOVED = " OR ".join(
    f"OLD.{name} IS DISTINCT FROM NEW.{name}"
    for name in ("latitude", "longitude", "precision", "exact_location_public")
)
# Silenced while a batch of incidents is counted at once (incidents.listed_counts).
LISTED_TRIGGER = [
    "DROP TRIGGER IF EXISTS place_listed_cell ON incidents_place_listed",
    f"""
    CREATE TRIGGER place_listed_cell AFTER INSERT OR UPDATE OR DELETE ON incidents_place_listed
    FOR EACH ROW WHEN ({listed_counts.ACTIVE}) EXECUTE FUNCTION lootwatch_cell_listed()
    """,
]
INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION lootwatch_cell_listed() RETURNS trigger AS $$
    DECLARE lat numeric; lon numeric;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.n <> 0 THEN
            {_POSITION.format(row="OLD")}
            IF FOUND THEN {_remove("OLD.n", "lat", "lon")} END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.n <> 0 THEN
            {_POSITION.format(row="NEW")}
            IF FOUND THEN {_add("NEW.n", "lat", "lon")} END IF;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *LISTED_TRIGGER,
    f"""
    CREATE OR REPLACE FUNCTION lootwatch_cell_place_moved() RETURNS trigger AS $$
    DECLARE k integer;
    BEGIN
        SELECT n INTO k FROM incidents_place_listed WHERE place_id = NEW.id;
        IF k IS NULL OR k = 0 THEN
            RETURN NULL;
        END IF;
        {_remove("k", published("OLD.", "latitude"), published("OLD.", "longitude"))}
        {_add("k", published("NEW.", "latitude"), published("NEW.", "longitude"))}
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,  # noqa: S608 (constants)
    "DROP TRIGGER IF EXISTS place_moved_cell ON incidents_place",
    f"""
    CREATE TRIGGER place_moved_cell
    AFTER UPDATE OF latitude, longitude, precision, exact_location_public ON incidents_place
    FOR EACH ROW WHEN ({_MOVED}) EXECUTE FUNCTION lootwatch_cell_place_moved()
    """,
    # The places of the cells a square's edge crosses are found by their cell.
    "CREATE INDEX IF NOT EXISTS incidents_place_public_cx "
    f"ON incidents_place ({cell_of('', 'longitude')})",
    "CREATE INDEX IF NOT EXISTS incidents_place_public_cy "
    f"ON incidents_place ({cell_of('', 'latitude')})",
]

UNINSTALL = [
    "DROP TRIGGER IF EXISTS place_listed_cell ON incidents_place_listed",
    "DROP TRIGGER IF EXISTS place_moved_cell ON incidents_place",
    "DROP FUNCTION IF EXISTS lootwatch_cell_listed()",
    "DROP FUNCTION IF EXISTS lootwatch_cell_place_moved()",
    "DROP INDEX IF EXISTS incidents_place_public_cx",
    "DROP INDEX IF EXISTS incidents_place_public_cy",
]

_LAT, _LON = published("p.", "latitude"), published("p.", "longitude")
# Summed again from the per-place counts: after the install, and to repair any drift.
RECOUNT = f"""
    DELETE FROM incidents_cell_listed;
    INSERT INTO incidents_cell_listed (cx, cy, n, lat_sum, lon_sum)
    SELECT floor(lon * {CELLS_PER_DEGREE}), floor(lat * {CELLS_PER_DEGREE}), sum(n),
           sum(n * lat), sum(n * lon)
    FROM (
        SELECT l.n, {_LAT} AS lat, {_LON} AS lon
        FROM incidents_place_listed l JOIN incidents_place p ON p.id = l.place_id
        WHERE l.n <> 0
    ) placed
    GROUP BY 1, 2
"""  # noqa: S608 (constants)

# Cells whose stored count or sums differ from the listed incidents themselves (a cell of 0
# and no cell agree).
DRIFT = f"""
    SELECT coalesce(stored.cx, counted.cx), coalesce(stored.cy, counted.cy),
           coalesce(stored.n, 0), coalesce(counted.n, 0)
    FROM incidents_cell_listed stored
    FULL JOIN (
        SELECT floor(lon * {CELLS_PER_DEGREE}) AS cx, floor(lat * {CELLS_PER_DEGREE}) AS cy,
               count(*) AS n, sum(lat) AS lat_sum, sum(lon) AS lon_sum
        FROM (
            SELECT {_LAT} AS lat, {_LON} AS lon
            FROM incidents_incident i JOIN incidents_place p ON p.id = i.place_id
            WHERE i.status IN ('submitted', 'published')
        ) placed
        GROUP BY 1, 2
    ) counted ON counted.cx = stored.cx AND counted.cy = stored.cy
    WHERE coalesce(stored.n, 0) <> coalesce(counted.n, 0)
       OR coalesce(stored.lat_sum, 0) <> coalesce(counted.lat_sum, 0)
       OR coalesce(stored.lon_sum, 0) <> coalesce(counted.lon_sum, 0)
    ORDER BY 1, 2
"""  # noqa: S608 (constants)


def add_places(cursor, places_sql, params):
    """Add to the cells the places of ``places_sql`` (place_id, count of incidents added),
    at their published positions, in one statement (incidents.listed_counts)."""
    cursor.execute(
        f"""
        INSERT INTO incidents_cell_listed (cx, cy, n, lat_sum, lon_sum)
        SELECT floor(lon * {CELLS_PER_DEGREE}), floor(lat * {CELLS_PER_DEGREE}), sum(n),
               sum(n * lat), sum(n * lon)
        FROM (
            SELECT added.n, {_LAT} AS lat, {_LON} AS lon
            FROM ({places_sql}) added (place_id, n)
            JOIN incidents_place p ON p.id = added.place_id
            -- As the trigger reads a place (_POSITION): a move waits, or is waited for.
            FOR SHARE OF p
        ) placed
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (cx, cy) DO UPDATE SET n = incidents_cell_listed.n + EXCLUDED.n,
            lat_sum = incidents_cell_listed.lat_sum + EXCLUDED.lat_sum,
            lon_sum = incidents_cell_listed.lon_sum + EXCLUDED.lon_sum
        """,  # noqa: S608 (constants and the caller's SQL)
        params,
    )


def replace_functions(cursor):
    """Write the triggers' functions again (a later migration's change of their bodies)."""
    for statement in INSTALL:
        if statement.lstrip().startswith("CREATE OR REPLACE FUNCTION"):
            cursor.execute(statement)


def install(cursor):
    """Create the cells' triggers and indexes (PostgreSQL only), and count."""
    for statement in INSTALL:
        cursor.execute(statement)
    cursor.execute(RECOUNT)
    cursor.execute("ANALYZE incidents_cell_listed")


def uninstall(cursor):
    for statement in UNINSTALL:
        cursor.execute(statement)


def cell_drift() -> list[tuple[int, int, int, int]]:
    """(cell column, cell row, stored count, counted count) of each cell whose stored count
    or position sums differ from the listed incidents' (none should); empty where nothing
    is stored (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(DRIFT)
        return [tuple(int(value) for value in row) for row in cursor.fetchall()]


def recount_cells(cursor) -> None:
    """Sum the cells again from the per-place counts (in the caller's transaction)."""
    cursor.execute("LOCK TABLE incidents_cell_listed IN EXCLUSIVE MODE")
    cursor.execute(RECOUNT)


def _axis(low, high, cell):
    """(first cell, last cell, the cells that do not lie whole in one square and inside
    [low, high]) along one axis; ``low`` and ``high`` None: the whole axis."""
    per = CELLS_PER_DEGREE
    first, last = math.floor(low * per), math.floor(high * per)
    crossed = []
    for index in range(first, last + 1):
        start, end = Fraction(index, per), Fraction(index + 1, per)
        outside = start < low or end > high
        first_square = math.floor((float(start) - MARGIN) / cell)
        if outside or first_square != math.floor((float(end) + MARGIN) / cell):
            crossed.append(index)
    return first, last, crossed


def worth_it(cell: float) -> bool:
    """True when the squares are wide enough for the cells to spare reading places."""
    return cell * CELLS_PER_DEGREE >= MIN_CELLS_PER_SQUARE


def cell_squares(box, *, cell: float):
    """(sql, params) of the squares (count, latitude sum, longitude sum, column, row) of
    the cells lying whole inside one square and inside ``box`` (None: the world), and the
    cells' columns and rows that do not: their places are the caller's to count, one by
    one."""
    if box is None:
        box = {"min_lon": -180, "max_lon": 180, "min_lat": -90, "max_lat": 90}
    columns = _axis(Fraction(str(box["min_lon"])), Fraction(str(box["max_lon"])), cell)
    rows = _axis(Fraction(str(box["min_lat"])), Fraction(str(box["max_lat"])), cell)
    # A cell lying whole in a square: its centre tells which.
    centre = f"(%s + 0.5::float8) / {CELLS_PER_DEGREE} / %s::float8"
    sql = f"""
        SELECT sum(n)::bigint, sum(lat_sum)::float8, sum(lon_sum)::float8,
               floor({centre % ("cx", "%s")}), floor({centre % ("cy", "%s")})
        FROM incidents_cell_listed
        WHERE cx BETWEEN %s AND %s AND cy BETWEEN %s AND %s AND n <> 0
          AND NOT cx = ANY(%s::int[]) AND NOT cy = ANY(%s::int[])
        GROUP BY 4, 5
    """  # noqa: S608 (constants)
    params = [cell, cell, columns[0], columns[1], rows[0], rows[1], columns[2], rows[2]]
    return sql, params, columns[2], rows[2]
