"""Row triggers a bulk write may silence for its transaction, to do their work once for the
whole batch instead of once a row: the search documents (incidents.fulltext) and the
listed counts (incidents.listed_counts). Each such trigger's WHEN clause reads a setting
local to the transaction (``active(setting)``); ``silenced(setting)`` turns it off for the
enclosed writes."""

from contextlib import contextmanager

from django.db import connection as default_connection


def active(setting):
    """SQL of a trigger's WHEN clause: true unless ``setting`` is on in this transaction."""
    return f"current_setting('{setting}', true) IS DISTINCT FROM 'on'"


@contextmanager
def silenced(setting, connection=default_connection):
    """Silence the triggers reading ``setting`` for the enclosed writes. Must run inside a
    transaction (the setting is local to it); does nothing on SQLite. On an error the
    enclosing savepoint's rollback restores the setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [setting])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [setting])
