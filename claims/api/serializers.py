"""How claims and sources look to partners. Explicit ``fields`` everywhere: a new model
field stays private until someone decides to publish it here.

What partners may see of a protected source (its label, never its name, handle, URL or
organisation, nor its claims' URLs) and of a translator is decided by claims.rules, asked
here with no user: partners, and staff reading the API, see the same thing.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import rules
from claims.models import Claim, DisputeReason, Evidence, Source

# The API's audience, for claims.rules: nobody who may see a protected identity.
PARTNER = None


class SourceBriefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(
        help_text="The source's name, or for a protected source (every witness) its stable "
        "public label, e.g. “Witness W-3F2A9C”."
    )

    class Meta:
        model = Source
        fields = ["id", "name", "kind"]

    @extend_schema_field(serializers.CharField())
    def get_name(self, source):
        return rules.source_name_for(PARTNER, source)


class SourceSerializer(SourceBriefSerializer):
    url = serializers.SerializerMethodField(help_text="Empty for a protected source.")
    organisation = serializers.SerializerMethodField(
        help_text="Id of the source this one speaks for; null for a protected source."
    )

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "country", "url", "organisation"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, source):
        return rules.source_url_for(PARTNER, source)

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_organisation(self, source):
        if not rules.can_see_identity(PARTNER, source):
            return None
        return source.organisation_id


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
        if request is not None:
            return request.build_absolute_uri(path)
        # A webhook has no request: its links start with the site's address.
        return f"{self.context.get('base_url', '')}{path}"


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
    evidence = EvidenceSerializer(source="partner_evidence", many=True, read_only=True)
    url = serializers.SerializerMethodField(
        help_text="Where the claim was published; empty when its source is protected."
    )
    archived_url = serializers.SerializerMethodField(
        help_text="An archived copy; empty when its source is protected."
    )
    translated_by = serializers.SerializerMethodField(
        help_text="The outlet or organisation that translated the text; “Lootwatch staff” "
        "or “Independent translator (not named)” when a person did."
    )

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

    @extend_schema_field(serializers.CharField())
    def get_url(self, claim):
        return rules.claim_urls_for(PARTNER, claim)[0]

    @extend_schema_field(serializers.CharField())
    def get_archived_url(self, claim):
        return rules.claim_urls_for(PARTNER, claim)[1]

    @extend_schema_field(serializers.CharField())
    def get_translated_by(self, claim):
        return rules.translator_for(PARTNER, claim)


class ClaimWithIncidentSerializer(ClaimSerializer):
    """A claim on its own (the claims endpoint): also names its incident."""

    incident = serializers.UUIDField(source="incident.public_id", read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = ["id", "incident", *ClaimSerializer.Meta.fields[1:]]
