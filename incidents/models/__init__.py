"""The incidents app's data: places, actors, item categories, incidents and the items taken
in them. Who may see and change them is decided in incidents.rules, never here."""

from incidents.models.actors import Actor, ActorKind
from incidents.models.categories import ItemCategory
from incidents.models.incidents import (
    Assessment,
    DatePrecision,
    Incident,
    IncidentQuerySet,
    IncidentStatus,
)
from incidents.models.items import IncidentItem, quantity_range
from incidents.models.places import (
    PUBLIC_COORDINATE_STEP,
    Place,
    PlacePrecision,
    country_code_validator,
)

__all__ = [
    "PUBLIC_COORDINATE_STEP",
    "Actor",
    "ActorKind",
    "Assessment",
    "DatePrecision",
    "Incident",
    "IncidentItem",
    "IncidentQuerySet",
    "IncidentStatus",
    "ItemCategory",
    "Place",
    "PlacePrecision",
    "country_code_validator",
    "quantity_range",
]
