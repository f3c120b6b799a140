"""How incidents and their reference data look to partners. Explicit ``fields``
everywhere; coordinates only as Place.public_coordinates() gives them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import ClaimSerializer
from incidents import selectors
from incidents.models import (
    PLACE_DESCRIPTION_FIELDS,
    Actor,
    Incident,
    IncidentItem,
    ItemCategory,
    LinkKind,
    LinkRole,
    Place,
    RoutePoint,
)


class PublicCoordinatesMixin(serializers.Serializer):
    """Latitude and longitude as partners may see them: rounded to about 1 km for places
    of `exact` precision unless an editor marked the exact location public."""

    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    name = serializers.CharField(
        source="public_name",
        read_only=True,
        help_text="Withheld (district and region only) where the coordinates are rounded.",
    )
    location_rounded = serializers.BooleanField(
        source="location_is_rounded",
        read_only=True,
        help_text="True when the coordinates were rounded to about 1 km.",
    )

    @extend_schema_field({"type": "number", "format": "double"})
    def get_latitude(self, place):
        return float(selectors.public_coordinates(place)[0])

    @extend_schema_field({"type": "number", "format": "double"})
    def get_longitude(self, place):
        return float(selectors.public_coordinates(place)[1])


class PlaceBriefSerializer(PublicCoordinatesMixin, serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = [
            "id",
            "name",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "precision",
            "location_rounded",
        ]


class PlaceSerializer(PublicCoordinatesMixin, serializers.ModelSerializer):
    alternative_names = serializers.ListField(
        source="public_alternative_names", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Place
        fields = ["id", *PLACE_DESCRIPTION_FIELDS, "location_rounded"]


class ActorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind"]


class ActorSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "country", "parent"]


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = ItemCategory
        fields = ["slug", "name", "parent", "description"]


class IncidentItemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = IncidentItem
        fields = ["category", "category_name", "description", "quantity_min", "quantity_max"]


@extend_schema_field(OpenApiTypes.UUID)
class ClaimIdField(serializers.SlugRelatedField):
    """A claim by its id. The type is given: the schema cannot follow a prefetched list (see
    incidents.selectors.partner_incidents) back to Claim.public_id."""


class RoutePointSerializer(serializers.ModelSerializer):
    """A place the goods were taken to, after the incident's place and the points before it."""

    place = PlaceBriefSerializer(read_only=True)
    claims = ClaimIdField(
        source="partner_supporting_claims",
        slug_field="public_id",
        many=True,
        read_only=True,
        help_text="Ids of the incident's claims that say the goods were taken here.",
    )

    class Meta:
        model = RoutePoint
        fields = ["place", "date_from", "date_to", "note", "claims"]
        extra_kwargs = {
            "date_from": {"help_text": "When the goods were there: from (null if unknown)."},
            "date_to": {"help_text": "When the goods were there: until (null if unknown)."},
            "note": {"help_text": "How it is known, e.g. “reported by the ministry”."},
        }


class LinkedIncidentSerializer(serializers.Serializer):
    """Another published incident following the same goods."""

    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(
        choices=LinkKind.choices,
        read_only=True,
        help_text="What happened to the goods there: sold_at, stored_at or carried_by.",
    )
    role = serializers.ChoiceField(
        choices=LinkRole.choices,
        read_only=True,
        help_text=(
            "What the linked incident is to this one: `destination` (goods taken in this "
            "incident were reported there) or `origin` (goods reported here were taken there)."
        ),
    )


class VerificationSerializer(serializers.Serializer):
    """Counts over the incident's claims that partners may see (not withdrawn, not waiting
    for an editor), from incidents.selectors.with_summary()."""

    claims = serializers.IntegerField(source="claims_total")
    verified = serializers.IntegerField(source="claims_verified")
    disputed = serializers.IntegerField(source="claims_disputed")
    unverified = serializers.IntegerField(source="claims_unverified")
    independent_sources = serializers.IntegerField()


class IncidentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    place = PlaceBriefSerializer(read_only=True)
    actors = ActorBriefSerializer(source="partner_actors", many=True, read_only=True)
    items = IncidentItemSerializer(source="partner_items", many=True, read_only=True)
    verification = VerificationSerializer(source="*", read_only=True)
    assessment = serializers.CharField(
        read_only=True,
        help_text=(
            "unverified, single_source, corroborated, contested or disputed: derived from "
            "the claims' review status (see /methodology/)."
        ),
    )
    claims = ClaimSerializer(source="partner_claims", many=True, read_only=True)
    route = RoutePointSerializer(
        source="partner_route",
        many=True,
        read_only=True,
        help_text=(
            "The places the goods were taken to, in order after the incident's place; "
            "empty when not known."
        ),
    )
    linked_incidents = serializers.SerializerMethodField(
        help_text="Published incidents the goods are followed to (destinations) or from (origins)."
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "summary",
            "occurred_from",
            "occurred_to",
            "date_precision",
            "place",
            "actors",
            "items",
            "verification",
            "assessment",
            "claims",
            "route",
            "linked_incidents",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(LinkedIncidentSerializer(many=True))
    def get_linked_incidents(self, incident):
        return [
            {"id": str(linked.public_id), "kind": str(kind), "role": str(role)}
            for linked, kind, role in incident.linked_incidents()
        ]


class DeletionSerializer(serializers.Serializer):
    """An incident or a claim partners must remove from their mirror."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    type = serializers.SerializerMethodField(
        help_text="`incident`, or `claim` for a claim withdrawn from a published incident."
    )
    withdrawn_at = serializers.DateTimeField(read_only=True)
    incident = serializers.SerializerMethodField(
        help_text="For a claim: the id of its incident (null for an incident)."
    )
    merged_into = serializers.SerializerMethodField(
        help_text="When withdrawn as a duplicate: the id of the incident it was merged into."
    )

    @extend_schema_field({"type": "string", "enum": ["incident", "claim"]})
    def get_type(self, row):
        return "incident" if isinstance(row, Incident) else "claim"

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_incident(self, row):
        return None if isinstance(row, Incident) else str(row.incident.public_id)

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_merged_into(self, row):
        # incidents.selectors.partner_deletions names the survivor only if partners see it.
        survivor = getattr(row, "merged_into_public_id", None)
        return str(survivor) if survivor is not None else None
