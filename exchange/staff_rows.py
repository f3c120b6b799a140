"""Editors' exports (``--status all`` or ``--staff``) built from rows, a chunk of incidents
at a time in a constant number of queries.

The partner export is the API list's own fast path (incidents.api.rows). An editors' export
says the same things the same way, but about more: every live claim of every incident of
the chosen statuses (and counted in its summary), routes naming any claim and links to any
incident (with ``--status all``), and, with ``--staff``, what partners never see. The
partner-facing fields are still written by the partner representation's own helpers and
rules (incidents.api.plain, claims.api.plain, claims.rules with no user), so a protected
source is named by its label there and by its name only under ``staff``.

Reading model instances with their related rows prefetched cost 2 to 5 ms an incident;
here the claims, evidence, actors, items, links and routes of a chunk are read as tuples
and grouped by incident in one pass. tests/exchange/test_export_rows.py compares the
result byte for byte with the prefetching reference.
"""

from collections import namedtuple
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q

from claims import rules as claim_rules
from claims.api.plain import evidence_data, source_data
from claims.api.serializers import PARTNER
from claims.models import STATED_FIELDS, Claim, Evidence
from claims.selectors import evidence_with_derivatives
from incidents import rules
from incidents.api.plain import (
    DESTINATION,
    ORIGIN,
    incident_head,
    route_point_data,
    verification_data,
)
from incidents.api.rows import EvidenceLinks, SourceRow, UtcIsoTime
from incidents.models import Incident, IncidentItem, IncidentLink, RoutePoint
from incidents.selectors import with_summary

SUMMARY = (
    "claims_total",
    "claims_verified",
    "claims_disputed",
    "claims_unverified",
    "independent_sources",
    "assessment",
)


def staff_incident(incident):
    """What partners never see of ``incident``: its editorial status and notes, who logged
    it, and its place as it is (unrounded, named)."""
    place = incident.place
    return {
        "status": incident.status,
        "internal_notes": incident.internal_notes,
        "created_by": incident.created_by.get_username(),
        "place": {
            "name": place.name,
            "alternative_names": place.alternative_names,
            "admin2": place.admin2,
            "latitude": str(place.latitude),
            "longitude": str(place.longitude),
            "exact_location_public": place.exact_location_public,
        },
    }


# What a claim's row holds, by the names the columns are read as (claim_rows()).
ClaimRow = namedtuple(
    "ClaimRow",
    (
        "incident_id",
        "pk",
        "public_id",
        "source_id",
        "source__name",
        "source__kind",
        "source__identity_protected",
        "source__public_code",
        "source__country",
        "source__url",
        "source__organisation__name",
        *(name for name in STATED_FIELDS if name != "source"),
        "reported_via__public_id",
        "status",
        "dispute_reason",
        "status_changed_at",
        "created_at",
        "updated_at",
        "internal_notes",
        "submitted_by",
    ),
)
TIMES = ("published_at", "status_changed_at", "created_at", "updated_at")


class StaffSourceRow(SourceRow):
    """A source as the partner rows read it (incidents.api.rows.SourceRow), with its
    partner representation and what only editors see, built once per source."""

    __slots__ = ("data", "staff")

    def __init__(self, row):
        super().__init__(
            row.source_id,
            row.source__name,
            row.source__kind,
            row.source__identity_protected,
            row.source__public_code,
        )
        self.data = source_data(self)
        self.staff = {
            "name": self.name,
            "country": row.source__country,
            "url": row.source__url,
            "identity_protected": self.identity_protected,
            "public_code": self.public_code,
            "organisation": row.source__organisation__name or "",
        }


def _grouped(rows):
    """{first column: [the rest of each row, in order]}."""
    groups = {}
    for key, *rest in rows:
        groups.setdefault(key, []).append(rest)
    return groups


def _columns(time):
    """The columns ClaimRow names, as values_list() reads them: times written by the
    database under their annotations' names when ``time`` only passes them on."""
    username = get_user_model().USERNAME_FIELD
    return [
        f"{name}_text" if time is _as_read and name in TIMES else name
        for name in ClaimRow._fields[:-1]
    ] + [f"submitted_by__{username}"]


def _as_read(value):
    return value


def _times(claims, rendering):
    """(claims, time): the claims' times written by the database when it can (PostgreSQL,
    times in UTC), under their own names, and what writes a time read."""
    zone = rendering.zone
    if connection.vendor != "postgresql" or zone is None or str(zone) != "UTC":
        return claims, rendering.time
    # An annotation may not take a field's name: written under another, read back by
    # position (values_list keeps the order asked).
    return claims.annotate(**{f"{name}_text": UtcIsoTime(name) for name in TIMES}), _as_read


def _claims(ids, rendering, *, staff):
    """{incident pk: [the claim's data]} of the incidents' live claims, oldest first: the
    partner representation's fields (claims.api.plain.claim_data), then, with ``staff``,
    what partners never see (its source's identity, its links, its translator, notes, who
    logged it and its files' SHA-256) under ``staff``."""
    claims = Claim.objects.filter(claim_rules.live(), incident_id__in=ids)
    claims, time = _times(claims.order_by("published_at", "pk"), rendering)
    rows = list(map(ClaimRow._make, claims.values_list(*_columns(time))))
    # The evidence of the incidents' claims rather than of the claims' ids (which may be
    # none): a chunk costs the same queries whatever it holds.
    shown = {}
    for claim_id, public_id, kind, display, thumbnail in (
        evidence_with_derivatives()
        .filter(claim__incident_id__in=ids)
        .values_list("claim_id", "public_id", "kind", "display", "thumbnail")
    ):
        file = SimpleNamespace(public_id=public_id, kind=kind, display=display, thumbnail=thumbnail)
        shown.setdefault(claim_id, []).append(file)
    links = EvidenceLinks(rendering)
    hashes = {}
    if staff:
        hashes = _grouped(
            Evidence.objects.filter(claim__incident_id__in=ids)
            .order_by("uploaded_at", "pk")
            .values_list("claim_id", "public_id", "sha256")
        )
    sources, claims = {}, {}
    for row in rows:
        source = sources.get(row.source_id)
        if source is None:
            source = sources[row.source_id] = StaffSourceRow(row)
        claim = SimpleNamespace(
            source=source,
            url=row.url,
            archived_url=row.archived_url,
            translated_by=row.translated_by,
            translator_kind=row.translator_kind,
        )
        url, archived_url = claim_rules.claim_urls_for(PARTNER, claim)
        relay = row.reported_via__public_id
        data = {
            "id": str(row.public_id),
            "source": source.data,
            "medium": row.medium,
            "url": url,
            "archived_url": archived_url,
            "published_at": time(row.published_at),
            "language": row.language,
            "text": row.original_text,
            "translation": row.translation,
            "translated_by": claim_rules.translator_for(PARTNER, claim),
            "reported_via": None if relay is None else str(relay),
            "status": row.status,
            "dispute_reason": row.dispute_reason or None,
            "reviewed_at": time(row.status_changed_at),
            "evidence": [evidence_data(file, links) for file in shown.get(row.pk, ())],
            "created_at": time(row.created_at),
            "updated_at": time(row.updated_at),
        }
        if staff:
            data["staff"] = {
                "source": source.staff,
                "url": row.url,
                "archived_url": row.archived_url,
                "translated_by": row.translated_by,
                "translator_kind": row.translator_kind,
                "internal_notes": row.internal_notes,
                "submitted_by": row.submitted_by,
                "evidence": [
                    {"id": str(public_id), "sha256": sha256}
                    for public_id, sha256 in hashes.get(row.pk, ())
                ],
            }
        claims.setdefault(row.incident_id, []).append(data)
    return claims


def _actors_and_items(ids):
    """({incident pk: [actor's data]}, {incident pk: [item's data]}), in the order
    incidents.selectors.actors_and_items() lists them."""
    actors = _grouped(
        Incident.actors.through.objects.filter(incident_id__in=ids)
        .order_by("actor__name", "actor_id")
        .values_list("incident_id", "actor_id", "actor__name", "actor__kind")
    )
    items = _grouped(
        IncidentItem.objects.filter(incident_id__in=ids)
        .order_by("pk")
        .values_list(
            "incident_id",
            "category__slug",
            "category__name",
            "description",
            "quantity_min",
            "quantity_max",
        )
    )
    return (
        {
            pk: [{"id": id, "name": name, "kind": kind} for id, name, kind in rows]
            for pk, rows in actors.items()
        },
        {
            pk: [
                {
                    "category": slug,
                    "category_name": name,
                    "description": description,
                    "quantity_min": quantity_min,
                    "quantity_max": quantity_max,
                }
                for slug, name, description, quantity_min, quantity_max in rows
            ]
            for pk, rows in items.items()
        },
    )


def _anything(prefix=""):
    return Q()


def _links(ids, linked):
    """{incident pk: [linked incident's data]}, destinations first, to the incidents
    ``linked(prefix)`` (a rule of incidents.rules) lets the reader see."""
    links = {}
    ends = (("origin", "destination", DESTINATION), ("destination", "origin", ORIGIN))
    for end, other, role in ends:
        rows = (
            IncidentLink.objects.filter(linked(f"{other}__"), **{f"{end}_id__in": ids})
            .order_by("pk")
            .values_list(f"{end}_id", f"{other}__public_id", "kind")
        )
        for pk, public_id, kind in rows:
            links.setdefault(pk, []).append({"id": str(public_id), "kind": kind, "role": role})
    return links


def _routes(ids, supporting):
    """{incident pk: [route point's data]}, in order, each point naming the claims of
    ``supporting`` (a Q over the claim) that put the goods there."""
    points = list(
        RoutePoint.objects.filter(incident_id__in=ids)
        .select_related("place")
        .order_by("position", "pk")
    )
    claims = _grouped(
        RoutePoint.supporting_claims.through.objects.filter(
            supporting, routepoint__incident_id__in=ids
        )
        .order_by("claim__published_at", "claim_id")
        .values_list("routepoint_id", "claim__public_id")
    )
    routes = {}
    for point in points:
        claim_ids = [public_id for (public_id,) in claims.get(point.pk, ())]
        routes.setdefault(point.incident_id, []).append(route_point_data(point, claim_ids))
    return routes


def _date(value):
    return None if value is None else value.isoformat()


def staff_page_data(incidents, rendering, *, ids, published, staff):
    """The export's data of each of ``incidents`` (a chunk of
    exchange.selectors.incidents_for_export(): with their place and who logged them), in
    order, in the same few queries whatever the chunk holds. ``ids``: the chunk's
    primary keys as a subquery (``values("pk")``), which each query reads. ``published``:
    only published incidents are exported, so routes name only the claims partners see
    and links lead only to published incidents. ``staff``: with what partners never
    see, under ``staff``."""
    summaries = {
        pk: summary
        for pk, *summary in with_summary(
            Incident.objects.filter(pk__in=ids), claim_filter=claim_rules.live("claims__")
        ).values_list("pk", *SUMMARY)
    }
    claims = _claims(ids, rendering, staff=staff)
    actors, items = _actors_and_items(ids)
    links = _links(ids, rules.visible_to_partners if published else _anything)
    supporting = claim_rules.visible_to_partners("claim__") if published else Q()
    routes = _routes(ids, supporting)
    time, pages = rendering.time, []
    for incident in incidents:
        summary = SimpleNamespace(**dict(zip(SUMMARY, summaries[incident.pk], strict=True)))
        data = {
            **incident_head(incident),
            "actors": actors.get(incident.pk, []),
            "items": items.get(incident.pk, []),
            "verification": verification_data(summary),
            "assessment": str(summary.assessment),
            "claims": claims.get(incident.pk, []),
            "route": routes.get(incident.pk, []),
            "linked_incidents": links.get(incident.pk, []),
            "created_at": time(incident.created_at),
            "updated_at": time(incident.updated_at),
        }
        if staff:
            data["staff"] = staff_incident(incident)
        pages.append(data)
    return pages
