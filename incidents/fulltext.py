"""The incidents' search documents (incidents.models.search) on PostgreSQL: the SQL that
builds them, the triggers that keep them current, their GIN indexes, and the bulk build.

One definition, ``DOCUMENTS``, says what each audience's document holds; the triggers and
the bulk build both run it. The triggers fire on what a document is made of:

- an incident's title, summary, place or publication time (claims added after it wait
  for an editor, and partners do not search them);
- a claim's texts, status, withdrawal or incident (a merge moves claims);
- a place's names and whether it is a home published rounded (its name then stays out of
  the partners' document).

``lootwatch.search_deferred`` set to ``on`` in a transaction silences the triggers, for
bulk inserts that build every document in one statement afterwards (``deferred()``).
Like the append-only triggers (lootwatch.append_only), all of it is installed by a
migration and again after every ``migrate`` (``ensure``), so that no later migration can
leave a table without its triggers.
"""

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import connections

from incidents.models.search import CONFIGURATIONS
from lootwatch import deferred_triggers

TABLE = "incidents_incidentsearchdocument"
SETTING = "lootwatch.search_deferred"
ACTIVE = deferred_triggers.active(SETTING)

# A home published rounded: its name (often a street address) is not searched by partners.
ROUNDED = "(p.precision = 'exact' AND NOT p.exact_location_public)"
# A claim partners may see (claims.rules.visible_to_partners, the incident's publication
# apart: partners search published incidents only): live, and not added after publication
# and still unreviewed.
PARTNER_CLAIM = (
    "NOT (claim_status = 'unverified' AND i.published_at IS NOT NULL "
    "AND claim_created_at > i.published_at)"
)

# The documents of the incidents ``{where}`` selects, as rows of TABLE.
DOCUMENTS = f"""
SELECT i.id,
       lootwatch_search_vector(concat_ws(' ', i.title, i.summary, p.name, names.names))
         || coalesce(texts.staff, ''),
       lootwatch_search_vector(concat_ws(' ', i.title, i.summary,
                                         CASE WHEN {ROUNDED} THEN NULL
                                              ELSE concat_ws(' ', p.name, names.names) END))
         || coalesce(texts.partners, '')
FROM incidents_incident i
JOIN incidents_place p ON p.id = i.place_id
CROSS JOIN LATERAL (
    SELECT string_agg(value, ' ') AS names
    FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(p.alternative_names) = 'array'
             THEN p.alternative_names ELSE '[]'::jsonb END)
) names
LEFT JOIN LATERAL (
    SELECT lootwatch_tsvector_agg(c.vector ORDER BY c.id) AS staff,
           lootwatch_tsvector_agg(c.vector ORDER BY c.id)
             FILTER (WHERE {PARTNER_CLAIM}) AS partners
    FROM (
        SELECT c.id, c.status AS claim_status, c.created_at AS claim_created_at,
               lootwatch_search_vector(concat_ws(' ', c.original_text, c.translation)) AS vector
        FROM claims_claim c
        WHERE c.incident_id = i.id AND c.withdrawn_at IS NULL
    ) c
) texts ON true
WHERE {{where}}
"""  # noqa: S608 (constants of this module, never input)
UPSERT = (
    f"INSERT INTO {TABLE} (incident_id, staff, partners) {DOCUMENTS} "
    "ON CONFLICT (incident_id) DO UPDATE SET staff = EXCLUDED.staff, partners = EXCLUDED.partners"
)

_vector = " || ".join(f"to_tsvector('{config}'::regconfig, body)" for config in CONFIGURATIONS)
# The query in every configuration, each alternative once: most words read the same in two
# of them, and a repeated alternative would make the planner expect more matches than
# there are (and walk the incidents in order where the index would answer at once).
_queries = ", ".join(
    f"websearch_to_tsquery('{config}'::regconfig, body) AS q{n}"
    for n, config in enumerate(CONFIGURATIONS)
)
_alternatives = "q0"
for _n in range(1, len(CONFIGURATIONS)):
    _earlier = ", ".join(f"q{m}" for m in range(_n))
    _alternatives = (
        f"CASE WHEN q{_n} IN ({_earlier}) THEN {_alternatives} ELSE {_alternatives} || q{_n} END"
    )

FUNCTIONS = [
    # One text in every configuration (incidents.models.search.CONFIGURATIONS).
    f"""
    CREATE OR REPLACE FUNCTION lootwatch_search_vector(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {_vector} $$
    """,
    # What a search for ``body`` matches (web search syntax) in any configuration.
    f"""
    CREATE OR REPLACE FUNCTION lootwatch_search_query(body text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT {_alternatives} FROM (SELECT {_queries}) queries
    $$
    """,  # noqa: S608
    """
    DO $$ BEGIN
        CREATE AGGREGATE lootwatch_tsvector_agg(tsvector)
            (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
    EXCEPTION WHEN duplicate_function THEN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION lootwatch_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$ {UPSERT.format(where="i.id = ANY(ids)")} $$
    """,
    """
    CREATE OR REPLACE FUNCTION lootwatch_search_incident_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM incidents_incidentsearchdocument WHERE incident_id = OLD.id;
        ELSE
            PERFORM lootwatch_search_refresh(ARRAY[NEW.id]);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION lootwatch_search_claim_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM lootwatch_search_refresh(ARRAY[NEW.incident_id]);
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM lootwatch_search_refresh(ARRAY[OLD.incident_id]);
        ELSE
            PERFORM lootwatch_search_refresh(ARRAY[OLD.incident_id, NEW.incident_id]);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION lootwatch_search_place_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM lootwatch_search_refresh(
            ARRAY(SELECT id FROM incidents_incident WHERE place_id = NEW.id));
        RETURN NULL;
    END $$
    """,
]


def _changed(*columns):
    return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)


CLAIM_COLUMNS = ("original_text", "translation", "status", "withdrawn_at", "incident_id")
PLACE_COLUMNS = ("name", "alternative_names", "precision", "exact_location_public")
# (name, table, when it fires, condition, function)
TRIGGERS = [
    ("search_incident_added", "incidents_incident", "AFTER INSERT OR DELETE", ACTIVE,
     "lootwatch_search_incident_changed"),
    ("search_incident_changed", "incidents_incident", "AFTER UPDATE",
     f"{ACTIVE} AND ({_changed('title', 'summary', 'place_id', 'published_at')})",
     "lootwatch_search_incident_changed"),
    ("search_claim_added", "claims_claim", "AFTER INSERT OR DELETE", ACTIVE,
     "lootwatch_search_claim_changed"),
    ("search_claim_changed", "claims_claim", "AFTER UPDATE",
     f"{ACTIVE} AND ({_changed(*CLAIM_COLUMNS)})", "lootwatch_search_claim_changed"),
    ("search_place_changed", "incidents_place", "AFTER UPDATE",
     f"{ACTIVE} AND ({_changed(*PLACE_COLUMNS)})", "lootwatch_search_place_changed"),
]  # fmt: skip

INDEXES = [
    f'CREATE INDEX IF NOT EXISTS "{TABLE}_staff_gin" ON "{TABLE}" USING gin (staff)',
    f'CREATE INDEX IF NOT EXISTS "{TABLE}_partners_gin" ON "{TABLE}" USING gin (partners)',
    # The planner picks between the index (few matches) and walking the incidents in date
    # order (many) by how often each word occurs: keep more words' frequencies than the
    # default 100 statistics target would.
    f'ALTER TABLE "{TABLE}" ALTER COLUMN staff SET STATISTICS 1000',
    f'ALTER TABLE "{TABLE}" ALTER COLUMN partners SET STATISTICS 1000',
]


def _install():
    statements = list(FUNCTIONS)
    for name, table, when, condition, function in TRIGGERS:
        statements += [
            f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
            f'CREATE TRIGGER "{name}" {when} ON "{table}" FOR EACH ROW '
            f"WHEN ({condition}) EXECUTE FUNCTION {function}()",
        ]
    return statements + INDEXES


def _uninstall():
    statements = [f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"' for name, table, *_ in TRIGGERS]
    return [
        *statements,
        "DROP FUNCTION IF EXISTS lootwatch_search_query(text)",
        "DROP FUNCTION IF EXISTS lootwatch_search_place_changed()",
        "DROP FUNCTION IF EXISTS lootwatch_search_claim_changed()",
        "DROP FUNCTION IF EXISTS lootwatch_search_incident_changed()",
        "DROP FUNCTION IF EXISTS lootwatch_search_refresh(bigint[])",
        "DROP AGGREGATE IF EXISTS lootwatch_tsvector_agg(tsvector)",
        "DROP FUNCTION IF EXISTS lootwatch_search_vector(text)",
    ]


def install(apps, schema_editor):
    """Install the functions, triggers and indexes, and build every document (a migration's
    RunPython). Nothing on SQLite: search reads the fields themselves there."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _install():
        schema_editor.execute(statement, params=None)
    schema_editor.execute(UPSERT.format(where="true"), params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _uninstall():
        schema_editor.execute(statement, params=None)


def ensure(using="default", **kwargs):
    """Install the functions and triggers again (a post_migrate handler), once the tables
    they read are there."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    if not {TABLE, "incidents_incident", "incidents_place", "claims_claim"} <= tables:
        return
    with connection.cursor() as cursor:
        for statement in _install():
            cursor.execute(statement)


@contextmanager
def deferred(connection=default_connection):
    """Silence the search triggers for the enclosed bulk inserts, then build the documents of
    every incident in one statement. Must run inside a transaction (the setting is local to
    it); does nothing on SQLite."""
    with silenced(connection):
        yield
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Statistics of the rows just inserted first: without them the planner does not know
        # that an incident has a handful of claims, and for each of 100,000 incidents it
        # scanned the whole index of live claims (minutes, growing with the square).
        cursor.execute("ANALYZE claims_claim, incidents_incident, incidents_place")
        cursor.execute(UPSERT.format(where="true"))
        # Word frequencies for the planner (see INDEXES), as autovacuum would later.
        cursor.execute(f'ANALYZE "{TABLE}"')


def silenced(connection=default_connection):
    """Silence the search triggers for the enclosed writes of a batch service, which then
    rebuilds the documents it changed with ``refresh`` (one statement instead of one per
    row written); see lootwatch.deferred_triggers."""
    return deferred_triggers.silenced(SETTING, connection)


def refresh(incident_ids, connection=default_connection, where="true"):
    """Rebuild the documents of these incidents (ids), those of them ``where`` holds for,
    in one statement, as the triggers would have one row at a time."""
    ids = sorted(set(incident_ids))
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(where=f"i.id = ANY(%s) AND {where}"), [ids])


def refresh_reviewed(incident_ids, connection=default_connection):
    """Rebuild the documents of those of these incidents that a change of their claims'
    status can change: a claim's status counts only in a published incident's partner
    document (PARTNER_CLAIM), so nothing else is rebuilt."""
    refresh(incident_ids, connection, where="i.published_at IS NOT NULL")
