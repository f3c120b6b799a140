"""The timeline's weeks counted as incidents change, so that the unfiltered timeline costs
the same at 100,000 incidents as at 10,000 (issue 11, round 3).

Unfiltered, the timeline counts what every journalist sees (submitted and published
incidents) plus the reader's own drafts, per week in which they began. PostgreSQL keeps
the first count per week in ``incidents_week_listed`` with a trigger on incidents
(installed by migration 0019): a war's timeline reads a few hundred weeks instead of
every incident. The reader's drafts are counted beside it (an index on ``created_by``).
Filtered timelines, and SQLite, count the filtered incidents as before. This is the
map's per-place count (incidents.map_grid) again, by week.
"""

from django.db import connection, transaction

from incidents import listed_counts
from incidents.models import IncidentStatus

# A week is its Monday, as TruncWeek("occurred_from") gives it (a date: no time zone):
# date_trunc('week', occurred_from::timestamp)::date below.

# Inserts may be counted a batch at a time instead (incidents.listed_counts).
ROW_TRIGGER = listed_counts.row_triggers("week", "lootwatch_week_listed")

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION lootwatch_week_listed() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('submitted', 'published') THEN
            UPDATE incidents_week_listed SET n = n - 1
            WHERE week = date_trunc('week', OLD.occurred_from::timestamp)::date;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('submitted', 'published') THEN
            INSERT INTO incidents_week_listed (week, n)
            VALUES (date_trunc('week', NEW.occurred_from::timestamp)::date, 1)
            ON CONFLICT (week) DO UPDATE SET n = incidents_week_listed.n + 1;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS incident_week_listed_change ON incidents_incident",
    """
    CREATE TRIGGER incident_week_listed_change
    AFTER UPDATE OF status, occurred_from ON incidents_incident FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.occurred_from IS DISTINCT FROM NEW.occurred_from)
    EXECUTE FUNCTION lootwatch_week_listed()
    """,
    *ROW_TRIGGER,
]

_COUNTED = """
    SELECT date_trunc('week', occurred_from::timestamp)::date AS week, count(*) AS n
    FROM incidents_incident WHERE status IN ('submitted', 'published') GROUP BY 1
"""

# Counted again from the incidents: after the install, and to repair any drift.
RECOUNT = """
    DELETE FROM incidents_week_listed;
    INSERT INTO incidents_week_listed (week, n)
    SELECT date_trunc('week', occurred_from::timestamp)::date AS week, count(*) AS n
    FROM incidents_incident WHERE status IN ('submitted', 'published') GROUP BY 1
"""

# Weeks whose stored count differs from their incidents' (a count of 0 and no row agree).
DRIFT = (
    "SELECT coalesce(stored.week, counted.week), coalesce(stored.n, 0), coalesce(counted.n, 0) "
    "FROM incidents_week_listed stored FULL JOIN (" + _COUNTED + ") counted "
    "ON counted.week = stored.week WHERE coalesce(stored.n, 0) <> coalesce(counted.n, 0) "
    "ORDER BY 1"
)


def install(cursor):
    """Create the counts' trigger (PostgreSQL only), and count."""
    for statement in INSTALL:
        cursor.execute(statement)
    cursor.execute(RECOUNT)


def week_drift() -> list[tuple]:
    """(week, stored count, counted count) for each week whose stored count has drifted
    from the incidents (none should: the trigger keeps them); empty but on PostgreSQL."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(DRIFT)
        return cursor.fetchall()


def recount_weeks() -> None:
    """Count every week's listed incidents again (PostgreSQL only), in one transaction."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE incidents_week_listed IN EXCLUSIVE MODE")
        cursor.execute(RECOUNT)


def listed_weeks(user) -> dict:
    """{week's Monday: incidents} of what an unfiltered timeline shows ``user`` (listed
    incidents and the user's own drafts), on PostgreSQL, in one statement."""
    sql = """
        SELECT week, sum(n) FROM (
            SELECT week, n FROM incidents_week_listed WHERE n > 0
            UNION ALL
            SELECT date_trunc('week', occurred_from::timestamp)::date, count(*)
            FROM incidents_incident WHERE status = %s AND created_by_id = %s GROUP BY 1
        ) counts GROUP BY week
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [IncidentStatus.DRAFT, user.pk])
        return {week: int(count) for week, count in cursor.fetchall()}
