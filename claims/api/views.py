"""Partner API endpoints for claims and sources: thin viewsets over claims/selectors.py."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from claims import selectors
from claims.api.csv_columns import CLAIM_CSV_COLUMNS
from claims.api.representation import claim_representation
from claims.api.serializers import ClaimWithIncidentSerializer, SourceSerializer
from claims.filters import ClaimFilterSet, SourceFilterSet
from lootwatch.api.renderers import CSVRenderer, FastJSONRenderer
from lootwatch.api.views import PartnerListViewSet, PartnerReadOnlyViewSet


@extend_schema(tags=["claims"])
class ClaimViewSet(PartnerReadOnlyViewSet):
    """Live claims of published incidents."""

    serializer_class = ClaimWithIncidentSerializer
    filterset_class = ClaimFilterSet
    renderer_classes = [FastJSONRenderer, CSVRenderer]
    csv_columns = CLAIM_CSV_COLUMNS
    ordering = ["-created_at"]
    ordering_tiebreaker = "public_id"

    def get_queryset(self):
        return selectors.partner_claims()

    # Serialized through claim_representation, as webhooks are, so the two never differ.
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(claim_representation(page, request=request))

    def retrieve(self, request, *args, **kwargs):
        return Response(claim_representation([self.get_object()], request=request)[0])


@extend_schema(tags=["reference data"])
class SourceViewSet(PartnerListViewSet):
    """Sources of visible claims, and the organisations they speak for."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    # The names partners see: sorting on the real ones would place a witness among them.
    ordering = ["public_name"]
    ordering_tiebreaker = "pk"

    def get_queryset(self):
        return selectors.partner_sources()
