"""Filters over incidents and their reference data (django-filter), shared by the partner
API and the pages.

Every filter validates its value: a bad date, a malformed box or an unknown slug is a form
error naming the parameter (a 400 in the API), never a server error.
"""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes

from claims import selectors as claim_selectors
from claims.models import ClaimStatus, Medium
from incidents import selectors
from incidents.filter_forms import IncidentFilterForm
from incidents.models import (
    Actor,
    ActorKind,
    Assessment,
    Incident,
    ItemCategory,
    Place,
    PlacePrecision,
)
from lootwatch.filters import (
    DATE_ERROR,
    CountryFilter,
    ListedOrderingFilter,
    ReferenceIdFilter,
    SlugFilter,
    UTCDateTimeFilter,
    documented,
)


class BoundingBoxField(forms.CharField):
    """``min_lon,min_lat,max_lon,max_lat`` in degrees (WGS 84, the GeoJSON order)."""

    message = (
        "Give four numbers, min_lon,min_lat,max_lon,max_lat, e.g. 29.5,50.0,31.0,51.0 "
        "(longitude -180 to 180, latitude -90 to 90, minimum not above maximum)."
    )

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        parts = value.split(",")
        if len(parts) != 4:
            raise ValidationError(self.message, code="invalid")
        try:
            min_lon, min_lat, max_lon, max_lat = (Decimal(part.strip()) for part in parts)
        except InvalidOperation:
            raise ValidationError(self.message, code="invalid") from None
        if not all(number.is_finite() for number in (min_lon, min_lat, max_lon, max_lat)):
            raise ValidationError(self.message, code="invalid")
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ValidationError(self.message, code="invalid")
        return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        return selectors.in_public_bbox(qs, **value)


class PlaceFilterSet(django_filters.FilterSet):
    country = CountryFilter(label="ISO 3166-1 alpha-2 country code, e.g. UA.")
    precision = django_filters.ChoiceFilter(choices=PlacePrecision.choices)

    class Meta:
        model = Place
        fields = []


class ActorFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)
    country = CountryFilter(label="ISO 3166-1 alpha-2 country code, e.g. RU.")

    class Meta:
        model = Actor
        fields = []


class DeletionFilterSet(django_filters.FilterSet):
    since = UTCDateTimeFilter(
        field_name="withdrawn_at",
        lookup_expr="gte",
        label="Incidents withdrawn at or after this time (ISO 8601): your last sync's start.",
    )

    class Meta:
        model = Incident
        fields = []


class IncidentFilterSet(django_filters.FilterSet):
    """Filters over published incidents for the partner API.

    Date filters select incidents whose date range overlaps the given bound. Filters on
    claims (``claim_status``, ``medium``) and full-text ``q`` look only at the claims
    partners may see (claims.selectors.visible_to_partners): otherwise a filter would tell
    them that a claim waiting for an editor exists.
    """

    occurred_after = django_filters.DateFilter(
        field_name="occurred_to",
        lookup_expr="gte",
        label="Incidents that went on until this date or later (YYYY-MM-DD).",
        error_messages=DATE_ERROR,
        input_formats=["%Y-%m-%d"],
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_from",
        lookup_expr="lte",
        label="Incidents that had begun by this date (YYYY-MM-DD).",
        error_messages=DATE_ERROR,
        input_formats=["%Y-%m-%d"],
    )
    country = CountryFilter(
        field_name="place__country",
        label="Country of the place, ISO 3166-1 alpha-2 (e.g. UA).",
    )
    place = ReferenceIdFilter(
        field_name="place_id",
        label="Id of a place (see /api/v1/places/); an unknown id matches nothing.",
    )
    taken_to_country = CountryFilter(
        method="filter_taken_to_country",
        label=(
            "Incidents whose goods were taken to this country (ISO 3166-1 alpha-2, e.g. BY): "
            "a point of their route is there, or they are linked to an incident there (a "
            "market, a depot) or whose route leads there."
        ),
    )
    taken_to_place = ReferenceIdFilter(
        method="filter_taken_to_place",
        label=(
            "Id of a place (see /api/v1/places/): incidents whose goods were taken there, "
            "by their route or a linked incident, as for taken_to_country. An unknown id "
            "matches nothing."
        ),
    )
    category = SlugFilter(
        method="filter_category",
        label="Slug of an item category; includes its subcategories. An unknown slug "
        "matches nothing (see /api/v1/categories/).",
    )
    actor = ReferenceIdFilter(
        method="filter_actor",
        label="Id of an alleged actor (see /api/v1/actors/); an unknown id matches nothing.",
    )
    claim_status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices,
        method="filter_claim_status",
        label="Incidents with at least one live claim of this status.",
    )
    medium = django_filters.ChoiceFilter(
        choices=Medium.choices,
        method="filter_medium",
        label="Incidents with at least one live claim in this medium.",
    )
    bbox = documented(
        BoundingBoxFilter(
            label="min_lon,min_lat,max_lon,max_lat: incidents whose published location is inside.",
        ),
        OpenApiTypes.STR,
        example="29.5,50.0,31.0,51.0",
    )
    q = documented(
        django_filters.CharFilter(
            method="filter_q",
            max_length=200,
            label="Full text over titles, summaries and claim texts.",
        ),
        OpenApiTypes.STR,
        minLength=1,
        maxLength=200,
    )
    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Incidents changed at or after this time (ISO 8601), for incremental sync.",
    )
    assessment = django_filters.ChoiceFilter(
        field_name="summary_assessment",
        choices=Assessment.choices,
        label=(
            "Incidents of this assessment: unverified, single_source, corroborated, contested "
            "or disputed (see /methodology/)."
        ),
    )
    ordering = ListedOrderingFilter(
        fields=(
            ("occurred_from", "occurred_from"),
            ("updated_at", "updated_at"),
            ("created_at", "created_at"),
            ("summary_rank", "assessment"),
        ),
        label=(
            "Sort by occurred_from, updated_at, created_at or assessment (from the least "
            "supported, disputed, through contested, unverified and single_source to "
            "corroborated); prefix - for descending."
        ),
    )

    class Meta:
        model = Incident
        fields = []
        form = IncidentFilterForm

    def filter_category(self, queryset, name, value):
        if isinstance(value, str):
            value = ItemCategory.objects.filter(slug=value).first()
            if value is None:
                return queryset.none()
        return queryset.in_category(value)

    def filter_actor(self, queryset, name, value):
        actor = getattr(value, "pk", value)
        return queryset.filter(
            pk__in=Incident.actors.through.objects.filter(actor=actor).values("incident")
        )

    # The audience: which claims the claim filters and the search look at. Partners see
    # only the claims claims.selectors gives them; IncidentPageFilterSet names the pages'.
    # Their search document (incidents.models.search) leaves out the same claims.
    search_document = "partners"

    def claims_looked_at(self):
        """The claims the claim filters look at."""
        return claim_selectors.visible_claims()

    def searched_claims(self):
        """The claims the search looks at, as a ``claim_filter`` of IncidentQuerySet.search."""
        return claim_selectors.visible_claims_of_incident()

    def linked_incidents_looked_at(self):
        """The incidents the ``taken_to_*`` filters follow goods to through a link."""
        return selectors.published_incidents()

    def filter_taken_to_country(self, queryset, name, value):
        return selectors.taken_to(
            queryset, destinations=self.linked_incidents_looked_at(), country=value
        )

    def filter_taken_to_place(self, queryset, name, value):
        return selectors.taken_to(
            queryset, destinations=self.linked_incidents_looked_at(), place=value
        )

    def filter_claim_status(self, queryset, name, value):
        claims = self.claims_looked_at().filter(status=value)
        return queryset.filter(pk__in=claims.values("incident"))

    def filter_medium(self, queryset, name, value):
        claims = self.claims_looked_at().filter(medium=value)
        return queryset.filter(pk__in=claims.values("incident"))

    def filter_q(self, queryset, name, value):
        return queryset.search(
            value, document=self.search_document, claim_filter=self.searched_claims()
        )
