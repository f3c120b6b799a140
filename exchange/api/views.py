"""The partner API's dataset releases: listed newest first, each with its files' links
and hashes and a citation."""

from drf_spectacular.utils import extend_schema

from exchange import selectors
from exchange.api.serializers import ReleaseSerializer
from lootwatch.api.views import PartnerReadOnlyViewSet


@extend_schema(tags=["releases"])
class ReleaseViewSet(PartnerReadOnlyViewSet):
    """Citable, immutable snapshots of the published dataset (see /releases/)."""

    serializer_class = ReleaseSerializer
    filterset_class = None
    lookup_field = "version"
    lookup_value_regex = "[0-9A-Za-z][0-9A-Za-z._-]*"
    ordering = ["-created_at"]
    ordering_tiebreaker = "version"

    def get_queryset(self):
        return selectors.releases()
