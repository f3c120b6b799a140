"""Keeping each incident's stored verification summary (``Incident.summary_*``) equal to what
incidents.selectors.with_summary() computes from its claims, as partners see them.

Every service that changes a claim's status, visibility, source or incident (create, edit,
withdraw and review a claim, edit a source, publish, withdraw and merge incidents) calls
refresh_summaries() in its own transaction, so a committed summary is never stale. The
counters are recomputed from the claims, never incremented: a missed or repeated call
cannot make them drift, and the statement that repairs drift (the `recompute_summaries`
command, the synthetic data generator) is the very one the services run.

The recomputation is one ``UPDATE … FROM (aggregate)`` statement, on PostgreSQL and on
SQLite (3.33 and later) alike; the aggregate is with_summary()'s own query, so the two
cannot define the summary differently.
"""

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When

from claims.selectors import summarised_claims_of_incident
from incidents.models import ASSESSMENT_RANK, Incident
from incidents.selectors import with_summary

# Stored column ← with_summary() annotation.
COLUMNS = {
    "summary_claims": "claims_total",
    "summary_verified": "claims_verified",
    "summary_disputed": "claims_disputed",
    "summary_unverified": "claims_unverified",
    "summary_sources": "independent_sources",
    "summary_assessment": "assessment",
    "summary_rank": "assessment_rank",
}


def computed_summaries(incidents: QuerySet[Incident]) -> QuerySet:
    """The summary of each of ``incidents`` computed from its claims: rows of ``id`` and
    the with_summary() annotations, plus ``assessment_rank``."""
    rank = Case(
        *(When(assessment=value, then=Value(rank)) for value, rank in ASSESSMENT_RANK.items()),
        output_field=IntegerField(),
    )
    return (
        with_summary(incidents, claim_filter=summarised_claims_of_incident())
        .annotate(assessment_rank=rank)
        .order_by()
        .values("id", *COLUMNS.values())
    )


def _drifted(table, alias="s"):
    return " OR ".join(
        f"{table}.{connection.ops.quote_name(column)} <> {alias}.{connection.ops.quote_name(name)}"
        for column, name in COLUMNS.items()
    )


# A pk no incident has: the one-incident statement is compiled once with it in place of
# the id (compiling with_summary()'s query costs far more than running it) and reused.
_SENTINEL = -7_777_777_777
_compiled = {}


def _summaries_sql(incidents):
    """(sql, params) of computed_summaries() for ``incidents`` (a queryset, or ids)."""
    if isinstance(incidents, QuerySet):
        return computed_summaries(incidents).query.sql_with_params()
    ids = list(incidents)
    if len(ids) != 1:
        return computed_summaries(Incident.objects.filter(pk__in=ids)).query.sql_with_params()
    key = connection.alias, connection.vendor
    if key not in _compiled:
        query = computed_summaries(Incident.objects.filter(pk__in=[_SENTINEL])).query
        _compiled[key] = query.sql_with_params()
    sql, params = _compiled[key]
    return sql, tuple(ids[0] if value == _SENTINEL else value for value in params)


def refresh_summaries(incidents) -> int:
    """Recompute the stored summary of ``incidents`` (a queryset of incidents, or ids) from
    their claims, in one statement; return how many incidents' summaries changed.

    Call it inside the transaction of the change, after the claims are written.
    """
    sql, params = _summaries_sql(incidents)
    table = connection.ops.quote_name(Incident._meta.db_table)
    assignments = ", ".join(
        f"{connection.ops.quote_name(column)} = s.{connection.ops.quote_name(name)}"
        for column, name in COLUMNS.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM ({sql}) AS s "  # noqa: S608 (names only)
            f"WHERE {table}.id = s.id AND ({_drifted(table)})",
            params,
        )
        return cursor.rowcount


def summary_drift(incidents: QuerySet[Incident]) -> list[int]:
    """The ids of ``incidents`` whose stored summary differs from their claims, changing
    nothing."""
    sql, params = computed_summaries(incidents).query.sql_with_params()
    table = connection.ops.quote_name(Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {table}.id FROM {table} JOIN ({sql}) AS s "  # noqa: S608 (names only)
            f"ON {table}.id = s.id WHERE {_drifted(table)} ORDER BY {table}.id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]
