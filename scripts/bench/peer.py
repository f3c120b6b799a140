"""The peer: the incidents endpoint as a capable developer would first write it with DRF, a
plain ModelViewSet with nested ModelSerializers and prefetch_related over the same models.
It shows published incidents and nothing else of the partner rules (no rounding, no
protected identities, no hidden claims), so it does less than ours: a generous peer.

Lives here, not in the app: it is a yardstick, never served.
"""

from rest_framework import pagination, permissions, serializers, viewsets
from rest_framework.test import APIRequestFactory

from claims.models import Claim, Evidence, Source
from incidents.models import Actor, Incident, IncidentItem, Place, RoutePoint


class PeerPlace(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "country", "admin1", "latitude", "longitude", "precision"]


class PeerActor(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "kind"]


class PeerItem(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = IncidentItem
        fields = ["category", "description", "quantity_min", "quantity_max"]


class PeerSource(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind"]


class PeerEvidence(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["public_id", "kind", "display", "thumbnail"]


class PeerClaim(serializers.ModelSerializer):
    source = PeerSource()
    evidence = PeerEvidence(many=True)

    class Meta:
        model = Claim
        fields = [
            "public_id",
            "source",
            "medium",
            "url",
            "archived_url",
            "published_at",
            "language",
            "original_text",
            "translation",
            "translated_by",
            "status",
            "dispute_reason",
            "status_changed_at",
            "evidence",
            "created_at",
            "updated_at",
        ]


class PeerRoutePoint(serializers.ModelSerializer):
    place = PeerPlace()
    supporting_claims = serializers.SlugRelatedField(
        slug_field="public_id", many=True, read_only=True
    )

    class Meta:
        model = RoutePoint
        fields = ["place", "date_from", "date_to", "note", "supporting_claims"]


class PeerIncident(serializers.ModelSerializer):
    place = PeerPlace()
    actors = PeerActor(many=True)
    items = PeerItem(many=True)
    claims = PeerClaim(many=True)
    route_points = PeerRoutePoint(many=True)

    class Meta:
        model = Incident
        fields = [
            "public_id",
            "title",
            "summary",
            "occurred_from",
            "occurred_to",
            "date_precision",
            "place",
            "actors",
            "items",
            "summary_claims",
            "summary_verified",
            "summary_disputed",
            "summary_unverified",
            "summary_sources",
            "summary_assessment",
            "claims",
            "route_points",
            "created_at",
            "updated_at",
        ]


class PeerPagination(pagination.CursorPagination):
    ordering = ("-occurred_from", "-public_id")
    page_size_query_param = "page_size"
    max_page_size = 500


class PeerIncidentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Incident.objects.filter(status="published")
        .select_related("place")
        .prefetch_related(
            "actors",
            "items__category",
            "claims__source",
            "claims__evidence",
            "route_points__place",
            "route_points__supporting_claims",
        )
    )
    serializer_class = PeerIncident
    pagination_class = PeerPagination
    permission_classes = [permissions.AllowAny]
    authentication_classes = []


class PeerClient:
    """Requests to the peer, through DRF's full view stack (no URL routing needed)."""

    view = staticmethod(PeerIncidentViewSet.as_view({"get": "list"}))

    def __init__(self):
        self.factory = APIRequestFactory()

    def get(self, url, **headers):
        path, _, query = url.partition("?")
        params = dict(part.split("=", 1) for part in query.split("&") if part)
        response = self.view(self.factory.get(path, params, **headers))
        response.render()
        return response
