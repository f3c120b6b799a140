"""The actors, items, links and route of a page of the partner API's incidents (incidents.api.rows).

On PostgreSQL they are read inside the page's own statement, as arrays of JSON objects
(with_related_rows()); elsewhere, a query each. Either way, in the order and with the
visibility rules (incidents.rules) the representation has always used.
"""

from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject

from claims import rules as claim_rules
from incidents import rules
from incidents.api.plain import DESTINATION, ORIGIN
from incidents.models import Incident, IncidentItem, IncidentLink, Place, RoutePoint

# What place_data() reads of a route point's place (incidents.api.plain).
PLACE_COLUMNS = (
    "id",
    "name",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "precision",
    "exact_location_public",
)


def in_one_statement():
    """True when a page's related rows can be read inside its own statements as arrays of
    JSON objects (PostgreSQL): fewer round trips, each of which costs more than the rows
    themselves on a busy machine. Elsewhere each kind of row is a query of its own."""
    return connection.vendor == "postgresql"


def actor_rows():
    return Incident.actors.through.objects.order_by("actor__name", "actor_id")


def item_rows():
    return IncidentItem.objects.order_by("pk")


def link_rows(incident, end, other):
    """The links with ``incident`` at ``end`` whose ``other`` end partners may see, in order."""
    return IncidentLink.objects.filter(
        rules.visible_to_partners(f"{other}__"), **{f"{end}_id": incident}
    ).order_by("pk")


def _links_from(incident, end, other):
    return link_rows(incident, end, other).values(
        row=JSONObject(id=f"{other}__public_id", kind="kind")
    )


# SQL compiled once per process: {(model, annotation name): (sql, params, output field)}.
_COMPILED = {}


def compiled_once(model, name, expression):
    """The annotation ``expression()`` (a subquery over ``OuterRef("pk")`` of ``model``'s own
    table) as RawSQL compiled the first time only: compiling these subqueries cost the
    ORM about as much as the round trips they save, on every request, even for an empty
    page. Its SQL and parameters (the visibility rules' constants) never change."""
    compiled = _COMPILED.get((model, name))
    if compiled is None:
        query = model._base_manager.annotate(**{name: expression()}).query
        annotation = query.annotations[name]
        sql, params = query.get_compiler(connection=connection).compile(annotation)
        compiled = _COMPILED[(model, name)] = (sql, tuple(params), annotation.output_field)
    sql, params, field = compiled
    return RawSQL(sql, params, output_field=field)  # noqa: S611 (compiled by the ORM)


def with_related_rows(incidents, only=None):
    """``incidents`` (partner_incident_rows()) with, on PostgreSQL, each one's actors, items
    and links read by its own statement as arrays (incident_page_data() reads them there),
    in the order the representation lists them. Each subquery runs for the page's rows only
    (after the LIMIT). ``only``: the names of the arrays wanted (all by default)."""
    if not in_one_statement():
        return incidents
    return incidents.annotate(
        **{
            name: compiled_once(Incident, name, expression)
            for name, expression in _RELATED.items()
            if only is None or name in only
        }
    )


def _related_subqueries():
    incident = OuterRef("pk")
    return {
        "page_actors": lambda: ArraySubquery(
            actor_rows()
            .filter(incident_id=incident)
            .values(row=JSONObject(id="actor_id", name="actor__name", kind="actor__kind"))
        ),
        "page_items": lambda: ArraySubquery(
            item_rows()
            .filter(incident_id=incident)
            .values(
                row=JSONObject(
                    slug="category__slug",
                    name="category__name",
                    description="description",
                    quantity_min="quantity_min",
                    quantity_max="quantity_max",
                )
            )
        ),
        "page_destinations": lambda: ArraySubquery(_links_from(incident, "origin", "destination")),
        "page_origins": lambda: ArraySubquery(_links_from(incident, "destination", "origin")),
        "page_route": lambda: ArraySubquery(_route(incident)),
    }


def _route(incident):
    """An incident's route points in order, each with its place's columns (coordinates as
    text: exact decimals) and the claims partners see that put the goods there."""
    supporting = (
        RoutePoint.supporting_claims.through.objects.filter(
            claim_rules.visible_to_partners("claim__"), routepoint_id=OuterRef("pk")
        )
        .order_by("claim__published_at", "claim_id")
        .values("claim__public_id")
    )
    place = {name: f"place__{name}" for name in PLACE_COLUMNS}
    place.update(
        latitude=Cast("place__latitude", TextField()),
        longitude=Cast("place__longitude", TextField()),
    )
    return (
        RoutePoint.objects.filter(incident_id=incident)
        .order_by("position")
        .values(
            row=JSONObject(
                date_from="date_from",
                date_to="date_to",
                note="note",
                claims=ArraySubquery(supporting),
                place=JSONObject(**place),
            )
        )
    )


_RELATED = _related_subqueries()


def grouped(rows):
    """{first column: [the rest of each row, in order]}."""
    groups = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row[1:])
    return groups


def _links(incident_ids):
    """{incident pk: [linked incidents' data]}, destinations first, as linked_data()."""
    # One query for both directions: a link counts for the page's incident at either end
    # when the incident at the other end is published (both are, when both are here).
    rows = (
        IncidentLink.objects.filter(
            Q(origin_id__in=incident_ids) & rules.visible_to_partners("destination__")
            | Q(destination_id__in=incident_ids) & rules.visible_to_partners("origin__")
        )
        .order_by("pk")
        .values_list(
            "origin_id", "destination_id", "kind", "origin__public_id", "destination__public_id"
        )
    )
    wanted = set(incident_ids)
    destinations, origins = {}, {}
    for origin_id, destination_id, kind, origin, destination in rows:
        if origin_id in wanted:
            destinations.setdefault(origin_id, []).append(
                {"id": str(destination), "kind": kind, "role": DESTINATION}
            )
        if destination_id in wanted:
            origins.setdefault(destination_id, []).append(
                {"id": str(origin), "kind": kind, "role": ORIGIN}
            )
    return {pk: destinations.get(pk, []) + origins.get(pk, []) for pk in wanted}


def route_place(columns):
    """A route point's place as _route() read it: a Place (unsaved, never saved) for
    place_data() to publish by the model's own rules."""
    return Place(
        **{
            **columns,
            "latitude": Decimal(columns["latitude"]),
            "longitude": Decimal(columns["longitude"]),
        }
    )


def read_in_page(incidents):
    """The page's actors, items and links as with_related_rows() read them."""
    actors, items, links = {}, {}, {}
    for incident in incidents:
        actors[incident.pk] = [(a["id"], a["name"], a["kind"]) for a in incident.page_actors]
        items[incident.pk] = [
            (i["slug"], i["name"], i["description"], i["quantity_min"], i["quantity_max"])
            for i in incident.page_items
        ]
        links[incident.pk] = [
            {"id": link["id"], "kind": link["kind"], "role": DESTINATION}
            for link in incident.page_destinations
        ] + [
            {"id": link["id"], "kind": link["kind"], "role": ORIGIN}
            for link in incident.page_origins
        ]
    return actors, items, links


def read_apart(ids):
    """The page's actors, items and links, a query each (not PostgreSQL)."""
    actors = grouped(
        actor_rows()
        .filter(incident_id__in=ids)
        .values_list("incident_id", "actor_id", "actor__name", "actor__kind")
    )
    items = grouped(
        item_rows()
        .filter(incident_id__in=ids)
        .values_list(
            "incident_id",
            "category__slug",
            "category__name",
            "description",
            "quantity_min",
            "quantity_max",
        )
    )
    return actors, items, _links(ids)
