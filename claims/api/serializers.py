"""How claims and sources look to partners. Explicit ``fields`` everywhere: a new model
field stays private until someone decides to publish it here."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Claim, DisputeReason, Evidence, Source


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind"]


class SourceSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "country", "url", "organisation"]


class EvidenceSerializer(serializers.ModelSerializer):
    """A file's published derivatives: links only, nothing about the original."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    display_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "display_url", "thumbnail_url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_display_url(self, evidence):
        return self._url(evidence, evidence.display, "claims:evidence-display")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, evidence):
        return self._url(evidence, evidence.thumbnail, "claims:evidence-thumbnail")

    def _url(self, evidence, derivative, url_name):
        if not derivative:
            return None
        path = reverse(url_name, kwargs={"public_id": evidence.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(
    {
        "type": "string",
        "enum": [*DisputeReason.values, None],
        "nullable": True,
        "description": (
            "Why an editor disputes the claim, for a disputed claim (null otherwise, and for "
            "claims disputed before reasons were recorded): "
            + "; ".join(f"`{value}`: {label}" for value, label in DisputeReason.choices)
            + ". A claim nobody could confirm is not disputed: it stays unverified."
        ),
    }
)
class DisputeReasonField(serializers.Field):
    """The claim's dispute reason code, null when it has none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as partners see it, within its incident."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    source = SourceBriefSerializer(read_only=True)
    text = serializers.CharField(source="original_text", read_only=True)
    reported_via = serializers.UUIDField(
        source="reported_via_public_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the claim through which this one is known, if partners can see it.",
    )
    reviewed_at = serializers.DateTimeField(
        source="status_changed_at",
        read_only=True,
        allow_null=True,
        help_text="When an editor last changed the status; null while never reviewed.",
    )
    dispute_reason = DisputeReasonField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "source",
            "medium",
            "url",
            "archived_url",
            "published_at",
            "language",
            "text",
            "translation",
            "translated_by",
            "reported_via",
            "status",
            "dispute_reason",
            "reviewed_at",
            "evidence",
            "created_at",
            "updated_at",
        ]


class ClaimWithIncidentSerializer(ClaimSerializer):
    """A claim on its own (the claims endpoint): also names its incident."""

    incident = serializers.UUIDField(source="incident.public_id", read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = ["id", "incident", *ClaimSerializer.Meta.fields[1:]]
