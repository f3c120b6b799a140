"""Planner statistics for tables a batch service fills inside one long transaction (an
import of 100,000 incidents).

Autovacuum cannot see rows a transaction has not committed, so while an import fills an
empty installation the planner believes its tables hold nothing, and the statements that
rebuild the batch's summaries and search documents walk a whole index of live claims for
every incident: minutes, growing with the square of the file. ``note_inserted`` takes the
statistics again (``ANALYZE``, which does see the transaction's own rows) whenever the
rows inserted since they were last taken reach a quarter of what they counted: a few
dozen times for 400,000 claims, a tenth of a second each.
"""

from django.db import connection as default_connection

# Fewer rows than this never make a plan go wrong.
AT_LEAST = 2000


def note_inserted(model, rows, connection=default_connection):
    """Note that ``rows`` rows of ``model`` were inserted in bulk; take its statistics
    again if enough rows came since they were last taken. Nothing on SQLite."""
    if connection.vendor != "postgresql" or not rows:
        return
    table = model._meta.db_table
    pending = getattr(connection, "_lootwatch_inserted", None)
    if pending is None:
        pending = connection._lootwatch_inserted = {}
    pending[table] = pending.get(table, 0) + rows
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        counted = max(cursor.fetchone()[0], 0)
        if pending[table] >= max(AT_LEAST, counted / 4):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            pending[table] = 0
