"""Load the demo data (incidents.demo.data) through the services, exactly as journalists
and editors would record it: the journalist logs each incident with its claims and evidence,
the editor reviews the claims and publishes.

Loading is idempotent: reference records are found by name before they are created, and
incidents and claims by fixed ids derived from their keys, so loading again adds only what
is missing (a route or links an incident loaded earlier lacks are added by the editor, as
an edit).
"""

import uuid

from claims import services as claim_services
from claims.models import Claim, Source
from incidents import services as incident_services
from incidents.demo import data
from incidents.demo.files import FILES
from incidents.models import (
    Actor,
    DatePrecision,
    Incident,
    IncidentItem,
    ItemCategory,
    Place,
    RoutePoint,
)

NAMESPACE = uuid.UUID("5b0c8f3e-6a1d-4a53-9d0e-2f1c7f1e9a10")


def demo_id(name):
    """The fixed public id of the demo record ``name``."""
    return uuid.uuid5(NAMESPACE, name)


def load(*, journalist, editor):
    """Load what is missing of the demo data; return how many incidents were new."""
    places = {
        key: _reference(Place, fields, lookup=("name", "country"), create=_create_place, by=editor)
        for key, fields in data.PLACES.items()
    }
    actors = {
        key: _reference(Actor, fields, lookup=("name",), create=_create_actor, by=editor)
        for key, fields in data.ACTORS.items()
    }
    sources = {}
    loggers = {"journalist": journalist, "editor": editor}
    for key, fields in data.SOURCES.items():
        by = loggers[fields.get("logged_by", "editor")]
        fields = {k: v for k, v in fields.items() if k != "logged_by"}
        fields["organisation"] = sources.get(fields.get("organisation"))
        sources[key] = _reference(Source, fields, lookup=("name",), create=_create_source, by=by)
    created = 0
    for record in data.INCIDENTS:
        loaded = Incident.objects.filter(public_id=demo_id(f"incident/{record['key']}")).first()
        if loaded is not None:
            _complete_route_and_links(record, loaded, places=places, editor=editor)
            continue
        _load_incident(
            record,
            places=places,
            actors=actors,
            sources=sources,
            journalist=journalist,
            editor=editor,
        )
        created += 1
    return created


def _reference(model, fields, *, lookup, create, by):
    existing = model.objects.filter(**{name: fields[name] for name in lookup}).first()
    return existing or create(model(**fields), by)


def _create_place(place, user):
    return incident_services.create_place(place=place, created_by=user)


def _create_actor(actor, user):
    return incident_services.create_actor(actor=actor, created_by=user)


def _create_source(source, user):
    return claim_services.create_source(source=source, created_by=user)


def _load_incident(record, *, places, actors, sources, journalist, editor):
    key = record["key"]
    position = {claim["key"]: index for index, claim in enumerate(record["claims"])}
    submissions = [
        incident_services.ClaimSubmission(
            claim=Claim(
                public_id=demo_id(f"claim/{key}/{claim['key']}"),
                source=sources[claim["source"]],
                medium=claim["medium"],
                url=claim.get("url", ""),
                published_at=claim["published_at"],
                language=claim["language"],
                original_text=claim["original_text"],
                translation=claim.get("translation", ""),
                translated_by=claim.get("translated_by", ""),
                translator_kind=claim.get("translator_kind", ""),
                internal_notes=data.NOTE,
            ),
            reported_via=position.get(claim.get("reported_via")),
            evidence=[(FILES[name](), None) for name in claim.get("evidence", ())],
        )
        for claim in record["claims"]
    ]
    incident = incident_services.log_incident(
        logged_by=journalist,
        incident=Incident(
            public_id=demo_id(f"incident/{key}"),
            title=record["title"],
            summary=record["summary"],
            occurred_from=record["occurred_from"],
            occurred_to=record["occurred_to"],
            date_precision=DatePrecision.RANGE,
            internal_notes=data.NOTE,
        ),
        place=places[record["place"]],
        actors=[actors[name] for name in record["actors"]],
        items=[
            IncidentItem(
                category=ItemCategory.objects.get(slug=slug),
                description=description,
                quantity_min=quantity_min,
                quantity_max=quantity_max,
            )
            for slug, description, quantity_min, quantity_max in record["items"]
        ],
        claims=submissions,
        route=_route(record, places=places, claims=position),
        links=_links(record),
        submit=record["state"] != "draft",
    )
    for claim, submission in zip(record["claims"], submissions, strict=True):
        if "review" in claim:
            to_status, note, *recorded = claim["review"]
            claim_services.review_claim(
                claim=submission.claim,
                reviewer=editor,
                to_status=to_status,
                note=note,
                **(recorded[0] if recorded else {}),
            )
        if "unconfirmed" in claim:
            claim_services.keep_unverified(
                claim=submission.claim, editor=editor, note=claim["unconfirmed"]
            )
    if record["state"] == "published":
        incident_services.publish_incident(incident=incident, editor=editor)
    return incident


def _route(record, *, places, claims):
    """The record's route; ``claims`` maps a claim's key to what the service takes for it
    (its position while logging, the claim itself afterwards)."""
    return [
        incident_services.RoutePointSubmission(
            point=RoutePoint(
                place=places[point["place"]],
                date_from=point.get("date_from"),
                date_to=point.get("date_to"),
                note=point.get("note", ""),
            ),
            claims=[claims[key] for key in point.get("claims", ())],
        )
        for point in record.get("route", ())
    ]


def _links(record):
    return [
        incident_services.LinkSubmission(
            incident=Incident.objects.get(public_id=demo_id(f"incident/{link['incident']}")),
            kind=link["kind"],
            role=link["role"],
        )
        for link in record.get("links", ())
    ]


def _complete_route_and_links(record, incident, *, places, editor):
    """Add the route and links of an incident loaded before they were part of the demo."""
    route = None
    if record.get("route") and not incident.route_points.exists():
        claims = {
            claim["key"]: Claim.objects.get(
                public_id=demo_id(f"claim/{record['key']}/{claim['key']}")
            )
            for claim in record["claims"]
        }
        route = _route(record, places=places, claims=claims)
    links = None
    linked = incident.links_to_destinations.exists() or incident.links_to_origins.exists()
    if record.get("links") and not linked:
        links = _links(record)
    if route or links:
        incident_services.edit_incident(
            incident=incident,
            editor=editor,
            expected_version=incident.version,
            changes={},
            route=route,
            links=links,
        )
