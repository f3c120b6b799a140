"""The incidents app's data: places, actors, item categories, incidents, the items taken
in them, and where those goods went (routes, and links between incidents). Who may see and
change them is decided in incidents.rules, never here."""

from incidents.models.actors import Actor, ActorKind
from incidents.models.categories import ItemCategory
from incidents.models.incidents import (
    ASSESSMENT_ORDER,
    ASSESSMENT_RANK,
    SUMMARY_FIELDS,
    Assessment,
    DatePrecision,
    Incident,
    IncidentQuerySet,
    IncidentStatus,
)
from incidents.models.items import IncidentItem, quantity_range
from incidents.models.places import (
    PLACE_DESCRIPTION_FIELDS,
    PUBLIC_COORDINATE_STEP,
    CellListing,
    Place,
    PlaceListing,
    PlacePrecision,
    WeekListing,
    country_code_validator,
)
from incidents.models.routes import (
    MAX_ROUTE_POINTS,
    IncidentLink,
    LinkKind,
    LinkRole,
    RoutePoint,
)
from incidents.models.search import IncidentSearchDocument, document_query

__all__ = [
    "ASSESSMENT_ORDER",
    "ASSESSMENT_RANK",
    "MAX_ROUTE_POINTS",
    "PLACE_DESCRIPTION_FIELDS",
    "PUBLIC_COORDINATE_STEP",
    "SUMMARY_FIELDS",
    "Actor",
    "ActorKind",
    "Assessment",
    "CellListing",
    "DatePrecision",
    "Incident",
    "IncidentItem",
    "IncidentLink",
    "IncidentQuerySet",
    "IncidentSearchDocument",
    "IncidentStatus",
    "ItemCategory",
    "LinkKind",
    "LinkRole",
    "Place",
    "PlaceListing",
    "PlacePrecision",
    "RoutePoint",
    "WeekListing",
    "country_code_validator",
    "document_query",
    "quantity_range",
]
