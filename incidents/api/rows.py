"""A page of the partner API's incidents built from rows: the list's fast path.

incidents.api.plain builds an incident's data from a model instance whose related rows
were prefetched (partner_incidents()); for a page of 500 that is some 8,000 model
instances and Django's prefetch bookkeeping, which cost several times what the database
does. Here the page's incidents come with their place only (partner_incident_rows()), and
everything else is read as plain tuples (``values_list``) in a constant number of
queries, then grouped by incident in one pass. On PostgreSQL the page's actors, items and
links come in the page's own statement, the claims' evidence in the claims' one and the
supporting claims in the route's (as arrays: incidents.api.related_rows): a page is the
key's look-up and three statements at any size, since each round trip costs more than its
rows on a busy machine. The data is the same, field for field and
in the same order: tests/api/test_fast_path.py compares the list's bytes with the
serializers' ones, and the detail (still built by incidents.api.plain) too.

Visibility is decided by the same selectors and rules (visible_claims(),
evidence_with_derivatives(), claims.rules and incidents.rules); protected sources and
translators are named through claims.rules exactly as for a model instance.
"""

from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, Func, OuterRef, Value
from django.db.models.functions import JSONObject

from claims import rules as claim_rules
from claims.api.plain import source_data
from claims.api.serializers import PARTNER
from claims.models import STATED_FIELDS, Claim, Source
from claims.selectors import evidence_with_derivatives, visible_claims, with_visible_relay
from incidents.api.claims_json import claim_json, incident_claims_json
from incidents.api.plain import (
    incident_head,
    place_data,
    route_point_data,
    verification_data,
)
from incidents.api.related_rows import (
    compiled_once,
    grouped,
    in_one_statement,
    read_apart,
    read_in_page,
    route_place,
)
from incidents.models import RoutePoint
from lootwatch.api.renderers import RawJSON

CLAIM_COLUMNS = (
    "incident_id",
    "pk",
    "public_id",
    "source_id",
    "source__name",
    "source__kind",
    "source__identity_protected",
    "source__public_code",
    *(name for name in STATED_FIELDS if name != "source"),
    "reported_via_public_id",
    "status",
    "dispute_reason",
    "status_changed_at",
    "created_at",
    "updated_at",
)
TIME_COLUMNS = ("published_at", "status_changed_at", "created_at", "updated_at")


class SourceRow:
    """What claims.rules and source_data() read of a source, from a claim's row: the
    model's own public_label, without a model instance per source."""

    __slots__ = ("data", "identity_protected", "kind", "name", "pk", "public_code")
    public_label = Source.public_label

    def __init__(self, pk, name, kind, identity_protected, public_code):
        self.pk, self.name, self.kind = pk, name, kind
        self.identity_protected, self.public_code = identity_protected, public_code


class UtcIsoTime(Func):
    """A time as Rendering.time() writes it in UTC (ISO 8601, microseconds only when there
    are any, "Z"), written by PostgreSQL: reading thousands of times into Python objects
    only to write them back as text cost more than the rest of a claim."""

    output_field = CharField()
    _utc = "%(expressions)s AT TIME ZONE 'UTC'"
    template = (
        f"to_char({_utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE to_char({_utc}, 'US') "
        f"WHEN '000000' THEN '' ELSE to_char({_utc}, '.US') END || 'Z'"
    )


def _times_in_sql(rendering):
    """True when the database can write the page's times (PostgreSQL, and times in UTC)."""
    zone = rendering.zone
    return connection.vendor == "postgresql" and zone is not None and str(zone) == "UTC"


def _as_read(value):
    return value


class EvidenceLinks:
    """Absolute links to evidence derivatives, as Rendering.link writes them, with the
    URL patterns reversed once per page rather than twice per file."""

    PLACEHOLDER = "00000000-0000-0000-0000-000000000000"

    def __init__(self, rendering):
        self.rendering = rendering
        self.patterns = {}

    def __call__(self, public_id, derivative, url_name):
        if not derivative:
            return None
        pattern = self.patterns.get(url_name)
        if pattern is None:
            evidence = SimpleNamespace(public_id=self.PLACEHOLDER)
            pattern = self.patterns[url_name] = self.rendering.link(evidence, True, url_name)
        return pattern.replace(self.PLACEHOLDER, str(public_id))

    def link(self, evidence, derivative, url_name):
        """As Rendering.link(), for evidence_data()."""
        return self(evidence.public_id, derivative, url_name)


def _files_of():
    """A claim's visible evidence as an array of JSON objects (in the claim's statement)."""
    files = evidence_with_derivatives().filter(claim_id=OuterRef("pk"))
    row = JSONObject(id="public_id", kind="kind", display="display", thumbnail="thumbnail")
    return ArraySubquery(files.values(row=row))


def _claims_of(supporting):
    """A route point's ``supporting`` claims' public ids, as an array (in the route's)."""
    return ArraySubquery(supporting.filter(routepoint_id=OuterRef("pk")).values("claim__public_id"))


def _files(rows, link):
    """EvidenceSerializer's data of a claim's evidence read as JSON objects."""
    return [
        {
            "id": row["id"],
            "kind": row["kind"],
            "display_url": link(row["id"], row["display"], "claims:evidence-display"),
            "thumbnail_url": link(row["id"], row["thumbnail"], "claims:evidence-thumbnail"),
        }
        for row in rows
    ]


def _evidence(claim_pks, rendering):
    """{claim pk: [EvidenceSerializer's data]} of the claims' visible evidence."""
    link = EvidenceLinks(rendering)
    rows = (
        evidence_with_derivatives()
        .filter(claim_id__in=claim_pks)
        .values_list("claim_id", "public_id", "kind", "display", "thumbnail")
    )
    evidence = {}
    for claim_id, public_id, kind, display, thumbnail in rows:
        evidence.setdefault(claim_id, []).append(
            {
                "id": str(public_id),
                "kind": kind,
                "display_url": link(public_id, display, "claims:evidence-display"),
                "thumbnail_url": link(public_id, thumbnail, "claims:evidence-thumbnail"),
            }
        )
    return evidence


def _page_claims(incidents):
    # By the incidents' public ids: the visibility rule joins the incident, which is then
    # read by its unique index rather than every published incident hashed for the join.
    page = [incident.public_id for incident in incidents]
    return visible_claims().filter(incident__public_id__in=page).order_by("published_at", "pk")


def _claims_as_json(incidents, rendering):
    """{incident pk: the JSON text of its claims' list} as _claims() would make and
    JSONRenderer write it, written by PostgreSQL (incidents.api.claims_json)."""
    rows = _page_claims(incidents).annotate(page_json=claim_json(rendering))
    texts = {}
    for incident_id, text in rows.values_list("incident_id", "page_json"):
        texts.setdefault(incident_id, []).append(text)
    return {pk: RawJSON(f"[{','.join(claims)}]".encode()) for pk, claims in texts.items()}


def _claims(incidents, rendering):
    """{incident pk: [ClaimSerializer's data]} of the claims partners see, oldest first."""
    claims = with_visible_relay(_page_claims(incidents))
    time, columns = rendering.time, CLAIM_COLUMNS
    if _times_in_sql(rendering):
        claims = claims.annotate(**{f"{name}_text": UtcIsoTime(name) for name in TIME_COLUMNS})
        time, columns = _as_read, [f"{c}_text" if c in TIME_COLUMNS else c for c in CLAIM_COLUMNS]
    link = EvidenceLinks(rendering)
    if in_one_statement():
        claims = claims.annotate(page_evidence=compiled_once(Claim, "page_evidence", _files_of))
    else:
        claims = claims.annotate(page_evidence=Value(None, output_field=CharField()))
    rows = list(claims.values_list(*columns, "page_evidence"))
    evidence = {} if in_one_statement() else _evidence([row[1] for row in rows], rendering)
    sources = {}
    claims = {}
    for (
        incident_id,
        pk,
        public_id,
        source_id,
        source_name,
        source_kind,
        protected,
        public_code,
        medium,
        url,
        archived_url,
        published_at,
        language,
        text,
        translation,
        translated_by,
        translator_kind,
        relay,
        status,
        dispute_reason,
        status_changed_at,
        created_at,
        updated_at,
        files,
    ) in rows:
        source = sources.get(source_id)
        if source is None:
            source = SourceRow(source_id, source_name, source_kind, protected, public_code)
            sources[source_id] = source
            source.data = source_data(source)
        claim = SimpleNamespace(
            source=source,
            url=url,
            archived_url=archived_url,
            translated_by=translated_by,
            translator_kind=translator_kind,
        )
        url, archived_url = claim_rules.claim_urls_for(PARTNER, claim)
        claims.setdefault(incident_id, []).append(
            {
                "id": str(public_id),
                "source": source.data,
                "medium": medium,
                "url": url,
                "archived_url": archived_url,
                "published_at": time(published_at),
                "language": language,
                "text": text,
                "translation": translation,
                "translated_by": claim_rules.translator_for(PARTNER, claim),
                "reported_via": None if relay is None else str(relay),
                "status": status,
                "dispute_reason": dispute_reason or None,
                "reviewed_at": time(status_changed_at),
                "evidence": evidence.get(pk, []) if files is None else _files(files, link),
                "created_at": time(created_at),
                "updated_at": time(updated_at),
            }
        )
    return claims


def _routes(incident_ids):
    """{incident pk: [RoutePointSerializer's data]}, in order, each point naming the
    claims partners see that put the goods there."""
    points = RoutePoint.objects.filter(incident_id__in=incident_ids).select_related("place")
    supporting = RoutePoint.supporting_claims.through.objects.filter(
        claim_rules.visible_to_partners("claim__")
    ).order_by("claim__published_at", "claim_id")
    if in_one_statement():
        claims = compiled_once(RoutePoint, "page_claims", lambda: _claims_of(supporting))
        points = list(points.annotate(page_claims=claims).order_by("position"))
        supporting = {p.pk: [(public_id,) for public_id in p.page_claims] for p in points}
    else:
        points = list(points.order_by("position"))
        supporting = grouped(
            supporting.filter(routepoint_id__in=[p.pk for p in points]).values_list(
                "routepoint_id", "claim__public_id"
            )
        )
    routes = {}
    for point in points:
        claim_ids = [public_id for (public_id,) in supporting.get(point.pk, ())]
        routes.setdefault(point.incident_id, []).append(route_point_data(point, claim_ids))
    return routes


def with_claims_json(incidents, rendering):
    """``incidents`` (partner_incident_rows()) with, on PostgreSQL with times in UTC, each
    one's claims as JSON text in their own statement (incidents.api.claims_json), which
    incident_page_data() then reads with ``claims_as_json``; else as they are."""
    if not (in_one_statement() and _times_in_sql(rendering)):
        return incidents
    return incidents.annotate(page_claims_json=incident_claims_json(rendering))


def _read_routes(incidents):
    """_routes() of the page, as with_related_rows() read them in the page's statement."""
    return {
        incident.pk: [
            {
                "place": place_data(route_place(point["place"])),
                "date_from": point["date_from"],
                "date_to": point["date_to"],
                "note": point["note"],
                "claims": point["claims"],
            }
            for point in incident.page_route
        ]
        for incident in incidents
    }


def incident_page_data(incidents, rendering, *, claims_as_json=False):
    """incident_data() of each of ``incidents`` (a page of partner_incident_rows(): with
    their place and stored summary, nothing prefetched; on PostgreSQL through
    with_related_rows()), in order, in a constant number of queries whatever the page's
    size: two on PostgreSQL (claims with their evidence, route points with their claims),
    seven elsewhere.

    With ``claims_as_json``, on PostgreSQL with times in UTC, each incident's ``claims``
    is the JSON text of that list (RawJSON, written by PostgreSQL): the same bytes in a
    body rendered by lootwatch.api.renderers, for a fraction of the Python."""
    if not incidents:
        # Nothing to read: building the related rows' (empty) queries alone costs
        # milliseconds, which an empty page (a search matching nothing) would pay.
        return []
    ids = [incident.pk for incident in incidents]
    first = incidents[0]
    if claims_as_json and hasattr(first, "page_actors_json") and hasattr(first, "page_claims_json"):
        return _page_data_with_text(incidents, rendering)
    if hasattr(incidents[0], "page_actors"):
        actors, items, links = read_in_page(incidents)
    else:
        actors, items, links = read_apart(ids)
    if claims_as_json and hasattr(incidents[0], "page_claims_json"):
        claims = {i.pk: RawJSON(i.page_claims_json.encode()) for i in incidents}
        no_claims = RawJSON(b"[]")
    elif claims_as_json and in_one_statement() and _times_in_sql(rendering):
        claims = _claims_as_json(incidents, rendering)
        no_claims = RawJSON(b"[]")
    else:
        claims, no_claims = _claims(incidents, rendering), []
    routes = _read_routes(incidents) if hasattr(incidents[0], "page_route") else _routes(ids)
    time = rendering.time
    return [
        {
            **incident_head(incident),
            "actors": [
                {"id": pk, "name": name, "kind": kind}
                for pk, name, kind in actors.get(incident.pk, ())
            ],
            "items": [
                {
                    "category": slug,
                    "category_name": name,
                    "description": description,
                    "quantity_min": quantity_min,
                    "quantity_max": quantity_max,
                }
                for slug, name, description, quantity_min, quantity_max in items.get(
                    incident.pk, ()
                )
            ],
            "verification": verification_data(incident),
            "assessment": str(incident.assessment),
            "claims": claims.get(incident.pk, no_claims),
            "route": routes.get(incident.pk, []),
            "linked_incidents": links[incident.pk],
            "created_at": time(incident.created_at),
            "updated_at": time(incident.updated_at),
        }
        for incident in incidents
    ]


def _page_data_with_text(incidents, rendering):
    """incident_page_data() of a page read by incidents.api.related_json.with_related_json()
    and with_claims_json(): the actors, items, links and claims are JSON text already."""
    routes, time = _read_routes(incidents), rendering.time
    return [
        {
            **incident_head(incident),
            "actors": RawJSON(incident.page_actors_json.encode()),
            "items": RawJSON(incident.page_items_json.encode()),
            "verification": verification_data(incident),
            "assessment": str(incident.assessment),
            "claims": RawJSON(incident.page_claims_json.encode()),
            "route": routes[incident.pk],
            "linked_incidents": RawJSON(incident.page_links_json.encode()),
            "created_at": time(incident.created_at),
            "updated_at": time(incident.updated_at),
        }
        for incident in incidents
    ]
