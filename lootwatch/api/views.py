"""The base of every partner API endpoint: read-only, keyed, throttled, paginated by
keyset, strict about query parameters, with ETags."""

import hashlib

from django.http import HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from lootwatch.api.authentication import (
    IsPartnerOrStaff,
    PartnerKeyAuthentication,
)
from lootwatch.api.negotiation import FormatParameterNegotiation
from lootwatch.api.pagination import KeysetPagination
from lootwatch.api.renderers import FastJSONRenderer
from lootwatch.api.schema import PartnerAutoSchema
from lootwatch.api.throttling import PartnerKeyRateThrottle


class PartnerAPIMixin:
    """Read-only, nothing else: other methods answer 405 in JSON.

    Subclasses read through a selector in ``get_queryset()`` (never a model's default
    manager) and set ``serializer_class``, ``filterset_class``, ``ordering`` and
    ``ordering_tiebreaker`` (a unique field, so that pages are stable).
    """

    # Partners send a key; journalists and editors may use their browser session.
    authentication_classes = [PartnerKeyAuthentication, SessionAuthentication]
    permission_classes = [IsPartnerOrStaff]
    throttle_classes = [PartnerKeyRateThrottle]
    pagination_class = KeysetPagination
    content_negotiation_class = FormatParameterNegotiation
    renderer_classes = [FastJSONRenderer]
    schema = PartnerAutoSchema()
    lookup_field = "public_id"
    ordering = ["pk"]
    ordering_tiebreaker = "pk"
    # Query parameters besides the filters that the endpoint understands.
    extra_query_parameters = ("format",)
    list_query_parameters = ("cursor", "page_size")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def check_query_parameters(self, request):
        """Refuse parameters this endpoint does not know, so that a misspelt filter is an
        error rather than a silently unfiltered (and wrong) mirror."""
        known = set(self.extra_query_parameters)
        if self.action == "list":
            known |= set(self.list_query_parameters)
            if self.filterset_class is not None:
                known |= set(self.filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        # An empty value (?country=) is refused, not taken as no filter: the schema says
        # what each parameter takes, and an empty string is none of it. An empty cursor
        # is the first page.
        empty = sorted(
            name
            for name, value in request.query_params.items()
            if name in known and name != "cursor" and value == ""
        )
        # An ordering with an empty item (ordering=, or ordering=-updated_at,) too.
        ordering = request.query_params.get("ordering")
        if "ordering" in known and ordering and "" in ordering.split(","):
            empty.append("ordering")
        if empty:
            raise exceptions.ValidationError(
                {name: ["Give a value, or leave the parameter out."] for name in empty}
            )
        # Every parameter takes one value: ?country=UA&country=BY filtered by the last alone.
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise exceptions.ValidationError(
                {
                    name[:50]: ["Give this parameter once: it takes a single value."]
                    for name in repeated
                }
            )
        if unknown:
            allowed = ", ".join(sorted(known))
            raise exceptions.ValidationError(
                {
                    name[:50]: [f"Unknown query parameter; this endpoint takes: {allowed}."]
                    for name in unknown
                }
            )

    def filter_queryset(self, queryset):
        # No filter asked for (check_query_parameters() refused unknown ones): django-filter
        # would build and validate a form of every filter (~2 ms) only to apply none.
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and not (
            set(self.request.query_params) & set(filterset_class.base_filters)
        ):
            return queryset
        return super().filter_queryset(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 or request.method == "OPTIONS":
            # Errors, and the description OPTIONS gives of an endpoint, are always JSON,
            # even when a GeoJSON or CSV body was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
            return response
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return self.conditional_response(request, response)
        return response

    @staticmethod
    def conditional_response(request, response):
        """Give a strong ETag (a digest of the body) and answer If-None-Match with 304."""
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        # The same URL may answer differently to staff and to a partner, or by Accept.
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        conditional = get_conditional_response(request, etag=etag, response=response)
        if isinstance(conditional, HttpResponseNotModified):
            return conditional
        return response


class PartnerListViewSet(PartnerAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list endpoint (reference data, deletions)."""


class PartnerReadOnlyViewSet(PartnerAPIMixin, viewsets.ReadOnlyModelViewSet):
    """A list endpoint and a detail endpoint by public id."""


class APIIndexView(PartnerAPIMixin, APIView):
    """``/api/v1/`` itself: where the endpoints and their documentation are, so that a
    partner who starts at the root finds their way rather than a 404."""

    pagination_class = None
    # The endpoints listed, by the URL names the routers give their lists.
    ENDPOINTS = (
        ("incidents", "incident-list"),
        ("claims", "claim-list"),
        ("sources", "source-list"),
        ("places", "place-list"),
        ("actors", "actor-list"),
        ("categories", "category-list"),
        ("deletions", "deletion-list"),
        ("releases", "release-list"),
    )
    action = "index"

    @extend_schema(exclude=True)
    def get(self, request):
        endpoints = {
            name: request.build_absolute_uri(reverse(url_name)) for name, url_name in self.ENDPOINTS
        }
        return Response(
            {
                "endpoints": endpoints,
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
            }
        )
