"""OpenAPI description of the partner API: the key scheme, the ``format`` parameter, the
GeoJSON and CSV bodies, and the error responses every endpoint may give."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from lootwatch.api.renderers import CSVRenderer


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid parameters: messages by parameter name.",
    )


ERRORS = {
    "400": "Invalid or unknown query parameter, named in `errors`.",
    "401": "No API key, or a key that is unknown, revoked or expired.",
    "403": "Signed in, but not as staff who may read the API.",
    "405": "The API is read-only.",
    "429": "Too many requests for this key: retry after `Retry-After` seconds.",
}


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "lootwatch.api.authentication.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Api-Key <key>`; editors create keys with "
                "`python manage.py create_partner_key NAME`."
            ),
        }


class PartnerAutoSchema(AutoSchema):
    def get_override_parameters(self):
        formats = [renderer.format for renderer in self.view.renderer_classes]
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=formats,
                description="Output format (default json); overrides the Accept header.",
            ),
        ]

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        responses = {(200, "application/json"): serializer}
        geojson = getattr(self.view, "geojson_serializers", None)
        if geojson:
            responses[(200, "application/geo+json")] = geojson[self.view.action]
        if CSVRenderer in self.view.renderer_classes:
            responses[(200, "text/csv")] = OpenApiResponse(
                OpenApiTypes.STR, description="One row per object; next page in the Link header."
            )
        codes = ["400", "401", "403", "405", "429"]
        if self.view.action == "retrieve":
            codes.append("404")
        for code in codes:
            responses[(int(code), "application/json")] = OpenApiResponse(
                ErrorSerializer, description=ERRORS.get(code, "No published object with this id.")
            )
        return responses
