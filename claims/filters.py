"""Filters over claims (django-filter) for the partner API."""

import django_filters
from drf_spectacular.types import OpenApiTypes

from claims.models import Claim, ClaimStatus, Medium, Source, SourceKind
from lootwatch.filters import (
    CountryFilter,
    DateRangeFilterForm,
    ListedOrderingFilter,
    ReferenceIdFilter,
    UTCDateTimeFilter,
    documented,
)


class ClaimFilterForm(DateRangeFilterForm):
    range_fields = ("published_after", "published_before")
    range_noun = "claim"


class ClaimFilterSet(django_filters.FilterSet):
    incident = django_filters.UUIDFilter(
        field_name="incident__public_id", label="Id of the incident the claims belong to."
    )
    source = ReferenceIdFilter(
        field_name="source_id",
        label="Id of a source (see /api/v1/sources/); an unknown id matches nothing.",
    )
    status = django_filters.ChoiceFilter(choices=ClaimStatus.choices)
    medium = django_filters.ChoiceFilter(choices=Medium.choices)
    language = documented(
        django_filters.CharFilter(max_length=35, label="Language of the text, e.g. uk."),
        OpenApiTypes.STR,
        minLength=1,
        maxLength=35,
    )
    published_after = UTCDateTimeFilter(
        field_name="published_at", lookup_expr="gte", label="Published at or after (ISO 8601)."
    )
    published_before = UTCDateTimeFilter(
        field_name="published_at", lookup_expr="lte", label="Published at or before (ISO 8601)."
    )
    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Claims changed at or after this time (ISO 8601), for incremental sync.",
    )
    ordering = ListedOrderingFilter(
        fields=("created_at", "updated_at"),
        label="Sort by created_at or updated_at; prefix - for descending.",
    )

    class Meta:
        model = Claim
        fields = []
        form = ClaimFilterForm


class SourceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)
    country = CountryFilter(label="ISO 3166-1 alpha-2 country code, e.g. UA.")

    class Meta:
        model = Source
        fields = []
