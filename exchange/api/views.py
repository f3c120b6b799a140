"""The partner API's dataset releases: listed newest first, each with its files' links
and hashes and a citation. Releases are public citations (as /releases/ is a public page):
anyone reads them without a key, throttled per address; partners and staff as elsewhere."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny

from exchange import selectors
from exchange.api.serializers import ReleaseSerializer
from lootwatch.api.throttling import AnonymousRateThrottle, PartnerKeyRateThrottle
from lootwatch.api.views import PartnerReadOnlyViewSet

PUBLIC = (
    "Public: anyone may read releases without a key (they are citations, as /releases/ "
    "shows them), at most API_ANONYMOUS_RATE requests per address; with a key or a staff "
    "session as every other endpoint. A key that is sent must be valid."
)


@extend_schema(tags=["releases"])
@extend_schema_view(
    list=extend_schema(description=f"Dataset releases, newest first. {PUBLIC}"),
    retrieve=extend_schema(description=f"One dataset release by its version. {PUBLIC}"),
)
class ReleaseViewSet(PartnerReadOnlyViewSet):
    """Citable, immutable snapshots of the published dataset (see /releases/)."""

    permission_classes = [AllowAny]
    throttle_classes = [PartnerKeyRateThrottle, AnonymousRateThrottle]
    serializer_class = ReleaseSerializer
    filterset_class = None
    lookup_field = "version"
    lookup_value_regex = "[0-9A-Za-z][0-9A-Za-z._-]*"
    ordering = ["-created_at"]
    ordering_tiebreaker = "version"

    def get_queryset(self):
        return selectors.releases()
