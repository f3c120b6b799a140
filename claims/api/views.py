"""Partner API endpoints for claims and sources: thin viewsets over claims/selectors.py."""

from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import selectors
from claims.api.representation import claim_representation
from claims.api.serializers import ClaimWithIncidentSerializer, SourceSerializer
from claims.filters import ClaimFilterSet, SourceFilterSet
from lootwatch.api.renderers import CSVRenderer
from lootwatch.api.views import PartnerListViewSet, PartnerReadOnlyViewSet

CLAIM_CSV_COLUMNS = [
    ("id", lambda row: row["id"]),
    ("incident", lambda row: row["incident"]),
    ("source_id", lambda row: row["source"]["id"]),
    ("source", lambda row: row["source"]["name"]),
    ("source_kind", lambda row: row["source"]["kind"]),
    ("medium", lambda row: row["medium"]),
    ("url", lambda row: row["url"]),
    ("archived_url", lambda row: row["archived_url"]),
    ("published_at", lambda row: row["published_at"]),
    ("language", lambda row: row["language"]),
    ("text", lambda row: row["text"]),
    ("translation", lambda row: row["translation"]),
    ("translated_by", lambda row: row["translated_by"]),
    ("reported_via", lambda row: row["reported_via"]),
    ("status", lambda row: row["status"]),
    ("dispute_reason", lambda row: row["dispute_reason"]),
    ("reviewed_at", lambda row: row["reviewed_at"]),
    ("evidence_urls", lambda row: "; ".join(e["display_url"] or "" for e in row["evidence"])),
    ("created_at", lambda row: row["created_at"]),
    ("updated_at", lambda row: row["updated_at"]),
]


@extend_schema(tags=["claims"])
class ClaimViewSet(PartnerReadOnlyViewSet):
    """Live claims of published incidents."""

    serializer_class = ClaimWithIncidentSerializer
    filterset_class = ClaimFilterSet
    renderer_classes = [JSONRenderer, CSVRenderer]
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
