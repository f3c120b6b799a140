"""Partner API endpoints for incidents and their reference data: thin viewsets over the
selectors in incidents/selectors.py, which alone decide what partners may see."""

from django.conf import settings
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response

from claims import selectors as claim_selectors
from claims.api.plain import Rendering
from incidents import selectors
from incidents.api import claims_json, stored_page
from incidents.api.csv_columns import INCIDENT_CSV_COLUMNS
from incidents.api.related_json import with_related_json
from incidents.api.related_rows import with_related_rows
from incidents.api.representation import (
    deletion_representation,
    incident_page_representation,
    incident_representation,
)
from incidents.api.rows import with_claims_json
from incidents.api.serializers import (
    ActorSerializer,
    CategorySerializer,
    DeletionSerializer,
    IncidentSerializer,
    PlaceSerializer,
)
from incidents.filters import (
    ActorFilterSet,
    DeletionFilterSet,
    IncidentFilterSet,
    PlaceFilterSet,
)
from incidents.models import Incident
from lootwatch.api.renderers import CSVRenderer, FastJSONRenderer, GeoJSONRenderer
from lootwatch.api.views import PartnerListViewSet, PartnerReadOnlyViewSet


def _position():
    return serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        help_text="[longitude, latitude], as published (rounded for homes).",
    )


class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = _position()


class LineStringSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["LineString"])
    coordinates = serializers.ListField(
        child=_position(),
        min_length=2,
        help_text="The incident's place, then each place of its route, in order.",
    )


@extend_schema_serializer(many=False)
class IncidentFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.UUIDField()
    geometry = PointSerializer()
    properties = IncidentSerializer()


class RouteFeaturePropertiesSerializer(serializers.Serializer):
    """The route's points, with their dates, notes and claims, are in the incident's own
    feature (``properties.route``): the line only names its incident."""

    incident = serializers.UUIDField(help_text="The id of the incident whose route this is.")
    title = serializers.CharField(help_text="The incident's title.")


@extend_schema_serializer(many=False)
class RouteFeatureSerializer(serializers.Serializer):
    """Where an incident's goods were taken: follows the incident's own feature."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField(help_text="The incident's id followed by `/route`.")
    geometry = LineStringSerializer()
    properties = RouteFeaturePropertiesSerializer()


@extend_schema_serializer(many=False)
class IncidentFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = serializers.ListField(
        child=PolymorphicProxySerializer(
            component_name="IncidentOrRouteFeature",
            serializers=[IncidentFeatureSerializer, RouteFeatureSerializer],
            resource_type_field_name=None,
        ),
        help_text=(
            "Each incident as a Point feature, followed by its route as a LineString "
            "feature when it has one."
        ),
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


@extend_schema(tags=["incidents"])
class IncidentViewSet(PartnerReadOnlyViewSet):
    """Published incidents with place, actors, items, verification summary, claims, the
    route their goods were taken along and the incidents they are linked to."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    renderer_classes = [FastJSONRenderer, GeoJSONRenderer, CSVRenderer]
    geojson_serializers = {
        "list": IncidentFeatureCollectionSerializer,
        "retrieve": IncidentFeatureSerializer,
    }
    csv_columns = INCIDENT_CSV_COLUMNS
    ordering = ["-occurred_from"]
    ordering_tiebreaker = "public_id"

    def get_queryset(self):
        # A page reads its related rows itself (incidents.api.rows); one incident is
        # prefetched and built as webhooks and exports build it.
        if self.action == "list":
            if self._as_json():
                return with_related_json(selectors.partner_incident_rows())
            return with_related_rows(selectors.partner_incident_rows())
        return selectors.partner_incidents()

    # The same data as incident_representation, which webhooks use (tests/api/test_fast_path.py).
    # JSON and GeoJSON place the claims' JSON text, written by PostgreSQL, in the body as it
    # is (FastJSONRenderer); CSV reads no claim.
    def list(self, request, *args, **kwargs):
        as_json = self._as_json()
        rendering = Rendering(request, settings.SITE_URL)
        incidents = self._stored_first_page(request, rendering, as_json=as_json)
        if incidents is None:
            incidents = self.filter_queryset(self.get_queryset())
            if as_json:
                incidents = with_claims_json(incidents, rendering)
        page = self.paginate_queryset(incidents)
        data = incident_page_representation(page, request=request, claims_as_json=as_json)
        return self.get_paginated_response(data)

    def _stored_first_page(self, request, rendering, *, as_json):
        """The first page without a filter, through its statement compiled once per shape
        (incidents.api.stored_page); None for any other page."""
        params = request.query_params
        if params.get("cursor") or set(params) & set(self.filterset_class.base_filters):
            return None
        page_size = self.paginator.get_page_size(request)
        links = tuple(claims_json.links(rendering)) if as_json else ()
        shape = ("incident-list", as_json, page_size, links, str(rendering.zone))

        def build():
            incidents = self.get_queryset()
            if as_json:
                incidents = with_claims_json(incidents, rendering)
            ordering = self.paginator.get_ordering(incidents, self)
            return incidents.order_by(*ordering)[: page_size + 1]

        return stored_page.first_page(shape, build, model=Incident)

    def _as_json(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, FastJSONRenderer)

    def retrieve(self, request, *args, **kwargs):
        return Response(incident_representation([self.get_object()], request=request)[0])


@extend_schema(tags=["reference data"])
class PlaceViewSet(PartnerListViewSet):
    """Places of published incidents; homes rounded to about 1 km."""

    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    ordering = ["name"]
    ordering_tiebreaker = "pk"

    def get_queryset(self):
        return selectors.partner_places()


@extend_schema(tags=["reference data"])
class ActorViewSet(PartnerListViewSet):
    """Alleged actors of published incidents and the formations above them."""

    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    ordering = ["name"]
    ordering_tiebreaker = "pk"

    def get_queryset(self):
        return selectors.partner_actors()


@extend_schema(tags=["reference data"])
class CategoryViewSet(PartnerListViewSet):
    """The taxonomy of items taken; filter incidents with a category's slug."""

    serializer_class = CategorySerializer
    filterset_class = None
    ordering = ["slug"]
    ordering_tiebreaker = "slug"

    def get_queryset(self):
        return selectors.partner_categories()


@extend_schema(tags=["sync"])
class DeletionViewSet(PartnerListViewSet):
    """Incidents withdrawn after publication, and claims withdrawn from published incidents
    (`type` tells them apart): remove them from your mirror."""

    serializer_class = DeletionSerializer
    filterset_class = DeletionFilterSet
    ordering = ["withdrawn_at"]
    ordering_tiebreaker = "public_id"

    def get_queryset(self):
        return selectors.partner_deletions()

    def list(self, request, *args, **kwargs):
        # Two feeds in one, in one order (withdrawn_at, then id): incidents and claims.
        incidents = self.filter_queryset(self.get_queryset())
        # The same filters (``since``) apply to claims, already validated just above.
        claims = self.filterset_class(
            request.query_params, queryset=claim_selectors.partner_claim_deletions()
        ).qs
        page = self.paginator.paginate_querysets([incidents, claims], request, view=self)
        return self.get_paginated_response(deletion_representation(page, request=request))
