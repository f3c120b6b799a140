"""The stored counts of listed incidents brought up to date a batch at a time.

The counts per place (incidents.map_grid), per week (incidents.week_counts) and, through
the places' counts, per cell of the map's grid (incidents.map_cells) are kept by row
triggers on incidents: one upsert per incident written. For a service inserting many
incidents at once (log_incidents, which an import's batches go through) that is one
update of the same count rows per incident, and in one transaction each update of a row
walks the versions the earlier ones left: the cost of an incident grew with the length of
the import (12.4 s of a 10,000-incident import's 45 s, and rising with the file).

``silenced()`` turns the insert triggers off for the enclosed inserts (PostgreSQL only);
``count_new`` then adds the inserted incidents to the counts, one statement per table, so
each count row changes once per batch (the cells' trigger on the places' counts is
silenced with them, and the cells added to from the batch's places). Only inserts may be
silenced: a silenced delete or update would leave the counts wrong (``recompute_summaries``
reports and repairs drift).
"""

from django.db import connection as default_connection
from django.db import transaction

from lootwatch import deferred_triggers

SETTING = "lootwatch.counts_deferred"
# The WHEN clause of the incidents' insert triggers on the counts.
ACTIVE = deferred_triggers.active(SETTING)

LISTED = "status IN ('submitted', 'published')"

_PLACES = f"""
    SELECT place_id, count(*) FROM incidents_incident
    WHERE id = ANY(%s) AND {LISTED} GROUP BY place_id ORDER BY place_id
"""  # noqa: S608 (constants)
# Ordered by key, so that two batches adding to the same rows lock them in the same order.
_ADD_PLACES = f"""
    INSERT INTO incidents_place_listed (place_id, n) {_PLACES}
    ON CONFLICT (place_id) DO UPDATE SET n = incidents_place_listed.n + EXCLUDED.n
"""
_ADD_WEEKS = f"""
    INSERT INTO incidents_week_listed (week, n)
    SELECT date_trunc('week', occurred_from::timestamp)::date, count(*) FROM incidents_incident
    WHERE id = ANY(%s) AND {LISTED} GROUP BY 1 ORDER BY 1
    ON CONFLICT (week) DO UPDATE SET n = incidents_week_listed.n + EXCLUDED.n
"""  # noqa: S608 (constants)


def silenced(connection=default_connection):
    """Silence the count triggers for the enclosed inserts of incidents, which the caller
    then counts with ``count_new``; see lootwatch.deferred_triggers."""
    return deferred_triggers.silenced(SETTING, connection)


def row_triggers(name, function):
    """The incidents' insert trigger (which a batch may silence) and delete trigger (never
    silenced) of the count ``name`` ("place", "week"), both calling ``function``."""
    return [
        f"DROP TRIGGER IF EXISTS incident_{name}_listed_row ON incidents_incident",
        f"CREATE TRIGGER incident_{name}_listed_row AFTER INSERT ON incidents_incident "
        f"FOR EACH ROW WHEN ({ACTIVE}) EXECUTE FUNCTION {function}()",
        f"DROP TRIGGER IF EXISTS incident_{name}_listed_deleted ON incidents_incident",
        f"CREATE TRIGGER incident_{name}_listed_deleted AFTER DELETE ON incidents_incident "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def count_new(incident_ids, connection=default_connection):
    """Add these incidents (ids, inserted while ``silenced``) to the stored counts of their
    places, weeks and cells."""
    ids = sorted(set(incident_ids))
    if connection.vendor != "postgresql" or not ids:
        return
    # map_cells builds its trigger with this module's ACTIVE.
    from incidents import map_cells

    # The cells are added to here, not by their trigger on the places' counts; atomic, so
    # that the setting silencing it holds for these statements alone.
    with (
        transaction.atomic(using=connection.alias),
        silenced(connection),
        connection.cursor() as cursor,
    ):
        cursor.execute(_ADD_PLACES, [ids])
        map_cells.add_places(cursor, _PLACES, [ids])
        cursor.execute(_ADD_WEEKS, [ids])
