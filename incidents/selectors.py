"""Reads of incidents and their reference data for each audience, built from the rules in
incidents.rules and claims.rules only: no read decides visibility by itself.

Partners see published incidents only (never drafts, submitted or withdrawn ones), their
routes and their links to other published incidents, the places, actors and categories
those incidents use, and places of `exact` precision rounded
to about 1 km unless an editor marked the exact location public. Staff identities, internal
notes and withdrawal reasons are never read out for them. Journalists and editors see every
incident but other people's drafts.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from claims.models import ClaimStatus
from claims.selectors import (
    partner_claims_of_incidents,
    visible_claims,
)
from incidents import rules
from incidents.models import (
    PUBLIC_COORDINATE_STEP,
    Actor,
    Assessment,
    Incident,
    IncidentItem,
    IncidentLink,
    IncidentStatus,
    ItemCategory,
    Place,
    PlacePrecision,
    RoutePoint,
)

_HALF_STEP = PUBLIC_COORDINATE_STEP / 2
PUBLIC_DECIMALS = -PUBLIC_COORDINATE_STEP.as_tuple().exponent

# The verification summary, derived from the claims.


def with_summary(incidents, *, claim_filter=None):
    """Annotate ``incidents`` with its verification summary and assessment.

    One aggregate over the claims join: a whole page of incidents costs one query.
    Withdrawn claims do not count. Sources speaking for the same organisation (two
    ministries of one government) count as one independent source.

    ``claim_filter``, a Q over ``claims__``, narrows the claims counted further: partners
    pass claims.selectors.visible_claims_of_incident(), so a claim waiting for an editor
    does not show in their counts; the pages count every live claim.
    """
    live = Q(claims__withdrawn_at__isnull=True)
    if claim_filter is not None:
        live &= claim_filter
    verified = live & Q(claims__status=ClaimStatus.VERIFIED)
    return incidents.annotate(
        claims_total=Count("claims", filter=live, distinct=True),
        claims_verified=Count("claims", filter=verified, distinct=True),
        claims_disputed=Count(
            "claims", filter=live & Q(claims__status=ClaimStatus.DISPUTED), distinct=True
        ),
        claims_unverified=Count(
            "claims", filter=live & Q(claims__status=ClaimStatus.UNVERIFIED), distinct=True
        ),
        independent_sources=Count(
            Coalesce("claims__source__organisation_id", "claims__source_id"),
            filter=verified,
            distinct=True,
        ),
    ).annotate(
        assessment=Case(
            When(claims_verified=0, claims_disputed=0, then=Value(Assessment.UNVERIFIED)),
            When(claims_verified=0, then=Value(Assessment.DISPUTED)),
            When(claims_disputed__gt=0, then=Value(Assessment.CONTESTED)),
            When(independent_sources__gte=2, then=Value(Assessment.CORROBORATED)),
            default=Value(Assessment.SINGLE_SOURCE),
            output_field=CharField(max_length=20),
        )
    )


def with_stored_summary(incidents):
    """Annotate ``incidents`` with the verification summary stored on them (kept equal to
    with_summary() over the claims partners see by claims.services.summaries), under
    with_summary()'s names, without aggregating their claims."""
    return incidents.annotate(
        claims_total=F("summary_claims"),
        claims_verified=F("summary_verified"),
        claims_disputed=F("summary_disputed"),
        claims_unverified=F("summary_unverified"),
        independent_sources=F("summary_sources"),
        assessment=F("summary_assessment"),
    )


# Journalists and editors, in the pages.


def visible_incidents(user, queryset: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
    """The incidents ``user`` may see in the pages (incidents.rules.visible_to_staff), from
    ``queryset`` (with its annotations and related rows) if given."""
    queryset = Incident.objects.all() if queryset is None else queryset
    return queryset.filter(rules.visible_to_staff(user))


# Partners.


def published_incidents() -> QuerySet[Incident]:
    """The incidents partners may see (incidents.rules.visible_to_partners)."""
    return Incident.objects.filter(rules.visible_to_partners())


def partner_incidents() -> QuerySet[Incident]:
    """Published incidents with their verification summary, place, actors, items, route,
    links and the claims partners may see, loaded in a constant number of queries whatever
    the page size. The summary counts only those claims, not the ones waiting for an
    editor; a route point names only those claims too, and a link only published incidents.

    Related rows are lists in ``partner_actors``, ``partner_items``, ``partner_claims``
    (each with ``partner_evidence``) and ``partner_route`` (each point with
    ``partner_supporting_claims``): a Prefetch into a list costs nothing per row, where one
    into a related manager builds a queryset for every incident and relation.

    The summary is the one stored on each incident (with_stored_summary), which equals
    with_summary() over those claims: read as columns, it lets the page be chosen first."""
    return partner_incident_rows().prefetch_related(
        *actors_and_items(),
        partner_claims_of_incidents(),
        *route_and_links(claims=visible_claims(), linked=rules.visible_to_partners, brief=True),
    )


def partner_incident_rows() -> QuerySet[Incident]:
    """Published incidents with their stored summary and place, nothing else: the API list
    reads the rest as rows (incidents.api.rows)."""
    return with_stored_summary(published_incidents()).select_related("place")


def actors_and_items() -> list[Prefetch]:
    """An incident's actors and items as lists, in ``partner_actors`` and ``partner_items``:
    the order and names the partner representation reads."""
    return [
        Prefetch("actors", queryset=Actor.objects.order_by("name", "pk"), to_attr="partner_actors"),
        Prefetch(
            "items",
            queryset=IncidentItem.objects.select_related("category").order_by("pk"),
            to_attr="partner_items",
        ),
    ]


def route_and_links(*, claims, linked, brief=False) -> list[Prefetch]:
    """The Prefetches that load incidents' routes (with their places and the supporting
    ``claims``, a Claim queryset) and their links, in both directions, to the incidents
    ``linked(prefix)`` (a visibility rule of incidents.rules) lets the reader see.

    With ``brief``, only the ids of the claims and linked incidents are read (the API), and
    the route is a list in ``partner_route``, each point's claims in
    ``partner_supporting_claims``; otherwise the claims' sources and the linked incidents'
    titles come along (the pages), in the related managers.
    """
    claims = claims.only("pk", "public_id") if brief else claims.select_related("source")
    destinations = IncidentLink.objects.filter(linked("destination__")).select_related(
        "destination"
    )
    origins = IncidentLink.objects.filter(linked("origin__")).select_related("origin")
    if brief:
        destinations = destinations.only("kind", "origin", "destination", "destination__public_id")
        origins = origins.only("kind", "destination", "origin", "origin__public_id")
    return [
        Prefetch(
            "route_points",
            queryset=RoutePoint.objects.select_related("place")
            .prefetch_related(
                Prefetch(
                    "supporting_claims",
                    queryset=claims.order_by("published_at", "pk"),
                    to_attr="partner_supporting_claims" if brief else None,
                )
            )
            .order_by("position"),
            to_attr="partner_route" if brief else None,
        ),
        Prefetch("links_to_destinations", queryset=destinations.order_by("pk")),
        Prefetch("links_to_origins", queryset=origins.order_by("pk")),
    ]


def taken_to(
    incidents: QuerySet[Incident],
    *,
    destinations: QuerySet[Incident],
    country: str | None = None,
    place: Place | None = None,
) -> QuerySet[Incident]:
    """Incidents whose goods were taken to ``country`` (or ``place``): a point of their
    route is there, or they are linked, as the origin of the goods, to an incident of
    ``destinations`` (the incidents the reader may see) that is there or whose route leads
    there (a market, a depot, a column of trucks)."""
    there = Q(place=place) if place is not None else Q(place__country=country)
    points_there = RoutePoint.objects.filter(there).values("incident")
    reached = destinations.filter(there | Q(pk__in=points_there)).values("pk")
    goods_followed = IncidentLink.objects.filter(destination__in=reached).values("origin")
    return incidents.filter(Q(pk__in=points_there) | Q(pk__in=goods_followed))


def partner_deletions() -> QuerySet[Incident]:
    """Incidents that partners could once see and no longer can: withdrawn after being
    published (a merged duplicate is withdrawn too, pointing at its survivor).

    ``merged_into_public_id`` names the survivor only if partners may see it.
    """
    survivor_visible = rules.visible_to_partners("merged_into__")
    return (
        Incident.objects.filter(status=IncidentStatus.WITHDRAWN, published_at__isnull=False)
        .only("pk", "public_id", "withdrawn_at")
        .annotate(merged_into_public_id=Case(When(survivor_visible, then="merged_into__public_id")))
    )


def public_coordinates(place: Place) -> tuple[Decimal, Decimal]:
    """Return (latitude, longitude) of ``place`` as partners may see them."""
    return place.public_coordinates()


def partner_places() -> QuerySet[Place]:
    """Places of at least one published incident or of a point of its route. Places only
    drafts use stay private: a place of `exact` precision is often someone's home."""
    published = published_incidents()
    published_here = published.filter(place=OuterRef("pk"))
    route_here = RoutePoint.objects.filter(incident__in=published, place=OuterRef("pk"))
    return Place.objects.filter(Q(Exists(published_here)) | Q(Exists(route_here)))


def partner_actors() -> QuerySet[Actor]:
    """Actors alleged in a published incident, and the formations above them (up to three
    levels), so that every `parent` a partner sees can be looked up."""
    published = published_incidents()
    condition = Q()
    for path in (
        "actors",
        "actors__parent",
        "actors__parent__parent",
        "actors__parent__parent__parent",
    ):
        condition |= Q(Exists(published.filter(**{path: OuterRef("pk")})))
    return Actor.objects.filter(condition)


def partner_categories() -> QuerySet[ItemCategory]:
    """The whole taxonomy of items: it is public reference data."""
    return ItemCategory.objects.select_related("parent")


def in_public_bbox(
    queryset: QuerySet[Incident],
    *,
    min_lon: Decimal,
    min_lat: Decimal,
    max_lon: Decimal,
    max_lat: Decimal,
) -> QuerySet[Incident]:
    """Incidents whose place, as partners see it, lies inside the box."""
    box = {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}
    return queryset.filter(public_bbox("place__", **box))


def public_bbox(prefix, *, min_lon, min_lat, max_lon, max_lat) -> Q:
    """Places (``prefix`` the path to the place) that lie inside the box as partners see
    them.

    Rounded places are matched on their rounded coordinates, not on the exact ones:
    otherwise shrinking the box step by step would reveal the exact location.
    """
    rounded = Q(**{f"{prefix}precision": PlacePrecision.EXACT}) & Q(
        **{f"{prefix}exact_location_public": False}
    )
    exact_inside = Q(
        **{
            f"{prefix}longitude__gte": min_lon,
            f"{prefix}longitude__lte": max_lon,
            f"{prefix}latitude__gte": min_lat,
            f"{prefix}latitude__lte": max_lat,
        }
    )
    rounded_inside = (
        _rounds_to_at_least(f"{prefix}longitude", min_lon)
        & _rounds_to_at_most(f"{prefix}longitude", max_lon)
        & _rounds_to_at_least(f"{prefix}latitude", min_lat)
        & _rounds_to_at_most(f"{prefix}latitude", max_lat)
    )
    return (~rounded & exact_inside) | (rounded & rounded_inside)


def _rounds_to_at_least(field, bound):
    """Q for values that Place.public_coordinates() rounds (half away from zero) to
    ``bound`` or more."""
    lowest = Decimal(bound).quantize(PUBLIC_COORDINATE_STEP, ROUND_CEILING)
    # A tie rounds away from zero: up above zero, down below it.
    if lowest > 0:
        return Q(**{f"{field}__gte": lowest - _HALF_STEP})
    return Q(**{f"{field}__gt": lowest - _HALF_STEP})


def _rounds_to_at_most(field, bound):
    """Q for values that Place.public_coordinates() rounds to ``bound`` or less."""
    highest = Decimal(bound).quantize(PUBLIC_COORDINATE_STEP, ROUND_FLOOR)
    if highest >= 0:
        return Q(**{f"{field}__lt": highest + _HALF_STEP})
    return Q(**{f"{field}__lte": highest + _HALF_STEP})


# Editors: the dossier.


def incident_for_dossier(incident) -> Incident:
    """``incident`` as its dossier describes it: verification summary, place, actors,
    items and who logged it."""
    return (
        with_summary(Incident.objects.filter(pk=incident.pk))
        .select_related("place", "created_by")
        .prefetch_related(
            Prefetch("actors", queryset=Actor.objects.order_by("name", "pk")),
            Prefetch(
                "items", queryset=IncidentItem.objects.select_related("category").order_by("pk")
            ),
        )
        .get()
    )


def incident_history(incident):
    """The recorded changes of ``incident``, oldest first, with who made each."""
    return incident.history.select_related("history_user").order_by("history_date", "history_id")
