"""The floor: one hand-written SQL statement that produces the partner API's first page of
incidents as JSON, with everything the API puts in it (place rounded for homes, actors,
items, the stored summary, the visible claims with their sources, evidence links, route
and links), chosen page first through the keyset index. Nothing in Python but sending the
text back: what the page costs the database, and no more.

It is not byte-identical to the API (PostgreSQL writes numbers and times its own way), but
it reads the same rows and builds a body of the same size: the fair bottom line.
"""

from django.db import connection

CLAIM_VISIBLE = """
    c.withdrawn_at IS NULL
    AND NOT (c.status = 'unverified' AND c.created_at > i.published_at)
"""

# Only the constant above is interpolated; values are parameters.
FLOOR_SQL = f"""
SELECT json_build_object('next', NULL, 'previous', NULL, 'results', coalesce(json_agg(
  json_build_object(
    'id', i.public_id, 'title', i.title, 'summary', i.summary,
    'occurred_from', i.occurred_from, 'occurred_to', i.occurred_to,
    'date_precision', i.date_precision,
    'place', json_build_object(
      'id', p.id,
      'name', CASE WHEN p.precision = 'exact' AND NOT p.exact_location_public
                   THEN 'Location withheld, ' || p.admin1 ELSE p.name END,
      'country', p.country, 'admin1', p.admin1,
      'latitude', CASE WHEN p.precision = 'exact' AND NOT p.exact_location_public
                       THEN round(p.latitude, 2) ELSE p.latitude END,
      'longitude', CASE WHEN p.precision = 'exact' AND NOT p.exact_location_public
                        THEN round(p.longitude, 2) ELSE p.longitude END,
      'precision', p.precision,
      'location_rounded', p.precision = 'exact' AND NOT p.exact_location_public),
    'actors', coalesce((
      SELECT json_agg(json_build_object('id', a.id, 'name', a.name, 'kind', a.kind)
                      ORDER BY a.name, a.id)
      FROM incidents_incident_actors ia JOIN incidents_actor a ON a.id = ia.actor_id
      WHERE ia.incident_id = i.id), '[]'),
    'items', coalesce((
      SELECT json_agg(json_build_object(
               'category', cat.slug, 'category_name', cat.name,
               'description', it.description,
               'quantity_min', it.quantity_min, 'quantity_max', it.quantity_max)
             ORDER BY it.id)
      FROM incidents_incidentitem it
      JOIN incidents_itemcategory cat ON cat.id = it.category_id
      WHERE it.incident_id = i.id), '[]'),
    'verification', json_build_object(
      'claims', i.summary_claims, 'verified', i.summary_verified,
      'disputed', i.summary_disputed, 'unverified', i.summary_unverified,
      'independent_sources', i.summary_sources),
    'assessment', i.summary_assessment,
    'claims', coalesce((
      SELECT json_agg(json_build_object(
               'id', c.public_id,
               'source', json_build_object(
                 'id', s.id,
                 'name', CASE WHEN s.identity_protected THEN 'Witness ' || s.public_code
                              ELSE s.name END,
                 'kind', s.kind),
               'medium', c.medium,
               'url', CASE WHEN s.identity_protected THEN '' ELSE c.url END,
               'archived_url', CASE WHEN s.identity_protected THEN '' ELSE c.archived_url END,
               'published_at', c.published_at, 'language', c.language,
               'text', c.original_text, 'translation', c.translation,
               'translated_by', CASE WHEN c.translator_kind = 'organisation'
                                     THEN c.translated_by ELSE '' END,
               'reported_via', (SELECT r.public_id FROM claims_claim r
                                WHERE r.id = c.reported_via_id AND r.withdrawn_at IS NULL),
               'status', c.status, 'dispute_reason', nullif(c.dispute_reason, ''),
               'reviewed_at', c.status_changed_at,
               'evidence', coalesce((
                 SELECT json_agg(json_build_object(
                          'id', e.public_id, 'kind', e.kind,
                          'display_url', %(base)s || '/evidence/' || e.public_id || '/display/',
                          'thumbnail_url',
                          %(base)s || '/evidence/' || e.public_id || '/thumbnail/')
                        ORDER BY e.uploaded_at, e.id)
                 FROM claims_evidence e
                 WHERE e.claim_id = c.id AND NOT (e.display = '' AND e.thumbnail = '')), '[]'),
               'created_at', c.created_at, 'updated_at', c.updated_at)
             ORDER BY c.published_at, c.id)
      FROM claims_claim c JOIN claims_source s ON s.id = c.source_id
      WHERE c.incident_id = i.id AND {CLAIM_VISIBLE}), '[]'),
    'route', coalesce((
      SELECT json_agg(json_build_object(
               'place', json_build_object('id', rp.id, 'name', rp.name,
                                          'country', rp.country,
                                          'latitude', rp.latitude, 'longitude', rp.longitude),
               'date_from', r.date_from, 'date_to', r.date_to, 'note', r.note,
               'claims', coalesce((
                 SELECT json_agg(c.public_id ORDER BY c.published_at, c.id)
                 FROM incidents_routepoint_supporting_claims sc
                 JOIN claims_claim c ON c.id = sc.claim_id
                 WHERE sc.routepoint_id = r.id AND {CLAIM_VISIBLE}), '[]'))
             ORDER BY r.position)
      FROM incidents_routepoint r JOIN incidents_place rp ON rp.id = r.place_id
      WHERE r.incident_id = i.id), '[]'),
    'linked_incidents', coalesce((
      SELECT json_agg(json_build_object('id', o.public_id, 'kind', l.kind, 'role', l.role))
      FROM (SELECT destination_id AS other, kind, 'destination' AS role
            FROM incidents_incidentlink WHERE origin_id = i.id
            UNION ALL
            SELECT origin_id, kind, 'origin' FROM incidents_incidentlink
            WHERE destination_id = i.id) l
      JOIN incidents_incident o ON o.id = l.other AND o.status = 'published'), '[]'),
    'created_at', i.created_at, 'updated_at', i.updated_at)
  ORDER BY i.occurred_from DESC, i.public_id DESC), '[]'))::text
FROM (SELECT * FROM incidents_incident
      WHERE status = 'published'
      ORDER BY occurred_from DESC, public_id DESC
      LIMIT %(size)s) i
JOIN incidents_place p ON p.id = i.place_id
"""  # noqa: S608


_PREPARED = {}


def floor_page(size, base_url="http://testserver", prepared=False):
    """The body of the first page of ``size`` incidents, as one statement makes it; with
    ``prepared``, as that statement prepared once on the connection (PREPARE, then
    EXECUTE), as the API's own first page is (incidents.api.stored_page): the same floor
    without its planning, so that our ratio is also told against it."""
    params = {"size": size, "base": base_url}
    with connection.cursor() as cursor:
        if not prepared:
            cursor.execute(FLOOR_SQL, params)
            return cursor.fetchone()[0].encode()
        # Known per connection object (an id() is reused by the next connection opened),
        # and per size and address: the address is in the text.
        raw = connection.connection
        if _PREPARED.get("raw") is not raw:
            _PREPARED.clear()
            _PREPARED["raw"] = raw
        name = _PREPARED.get((size, base_url))
        if name is None:
            name = f"bench_floor_{len(_PREPARED)}"
            text = connection.ops.compose_sql(FLOOR_SQL, params)
            cursor.execute(f"PREPARE {name} AS {text}")
            _PREPARED[(size, base_url)] = name
        cursor.execute(f"EXECUTE {name}")
        return cursor.fetchone()[0].encode()
