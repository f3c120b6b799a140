"""Read the plans of what a request asks the database: capture its SQL through Django's full
stack, then run ``EXPLAIN (ANALYZE, BUFFERS)`` on each statement (PostgreSQL only).

Used by the benchmark (does a request scan incidents or claims sequentially?) and to keep
the plans read before and after a change (``python scripts/benchmark.py --plans FILE``).
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The tables a filtered, paginated request must never read whole.
WATCHED_TABLES = ("incidents_incident", "claims_claim")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
EXECUTE = re.compile(r"EXECUTE (\w+)")


def captured_sql(client, url, **headers):
    """The statements a GET of ``url`` runs, as executed (parameters inlined); a prepared
    statement's EXECUTE (incidents.api.stored_page) as the statement it runs."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return [_prepared_text(query["sql"]) for query in captured.captured_queries]


def _prepared_text(sql):
    match = EXECUTE.fullmatch(sql.strip())
    if match is None:
        return sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [match.group(1)]
        )
        row = cursor.fetchone()
    return sql if row is None else re.sub(r"(?is)^PREPARE\s+\w+\s+AS\s+", "", row[0])


def explain(sql, *, analyze=True):
    """The text of the plan of ``sql``."""
    options = "ANALYZE, BUFFERS" if analyze else "COSTS"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def interesting(sql):
    """Return True for statements worth a plan: reads of incidents or claims (not the key
    look-up, the session, savepoints or the throttle's cache)."""
    text = sql.lstrip().upper()
    return text.startswith("SELECT") and any(table in sql for table in WATCHED_TABLES)


def request_plans(client, url, **headers):
    """(sql, plan) for each statement of the request that reads incidents or claims."""
    return [(sql, explain(sql)) for sql in captured_sql(client, url, **headers) if interesting(sql)]


def sequential_scans(plans):
    """The watched tables that a plan of ``plans`` reads by sequential scan."""
    found = set()
    for _, plan in plans:
        found.update(table for table in SEQ_SCAN.findall(plan) if table in WATCHED_TABLES)
    return sorted(found)


def execution_ms(plan):
    """The execution time a plan reports, in milliseconds."""
    match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(match.group(1)) if match else 0.0


def write_plans(path, client, urls, **headers):
    """Write the plans of each request of ``urls`` to ``path``, in Markdown."""
    with open(path, "w") as out:
        for url in urls:
            plans = request_plans(client, url, **headers)
            total = sum(execution_ms(plan) for _, plan in plans)
            out.write(f"## `{url}`\n\n{len(plans)} statements on incidents or claims, ")
            out.write(f"{total:.1f} ms of execution in all.\n\n")
            for sql, plan in plans:
                out.write(f"```sql\n{sql[:2000]}\n```\n\n```\n{plan}\n```\n\n")
