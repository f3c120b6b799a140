"""Filter fields shared by the filters of every app (django-filter): country codes,
ISO 8601 times taken as UTC, orderings that list their values, and a way to tell the
OpenAPI schema a filter's type. Each validates its value: a bad one is a form error naming
the parameter (a 400 in the API), never a server error."""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.utils import extend_schema_field


class CountryCodeField(forms.CharField):
    """A two-letter ISO 3166-1 country code; accepts lower case."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        value = value.strip().upper()
        if len(value) != 2 or not value.isascii() or not value.isalpha():
            raise ValidationError(
                "Use a two-letter ISO 3166-1 country code, e.g. UA.", code="invalid"
            )
        return value


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, converted to UTC (a naive time is taken as UTC).

    Converting here keeps odd but valid offsets such as -21:00, which PostgreSQL refuses,
    and times that fall outside the years 1 to 9999 in UTC, from reaching the database.
    """

    default_error_messages = {
        "invalid": "Give a date, YYYY-MM-DD, or an ISO 8601 datetime, e.g. 2022-04-02T12:00:00Z.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError(
                "Give a time between the years 1 and 9999, e.g. 2022-04-02T12:00:00Z.",
                code="invalid",
            ) from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


# The message of every date filter of the partner API.
DATE_ERROR = {"invalid": "Give a date as YYYY-MM-DD, e.g. 2022-04-02."}


class ListedOrderingFilter(django_filters.OrderingFilter):
    """An ``ordering`` whose error for an unknown value lists the values it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        valid = ", ".join(value for value, _ in self.build_choices(self.param_map, {}))
        self.extra["error_messages"] = {
            "invalid_choice": f"Unknown ordering %(value)s; use one of: {valid}."
        }


class CountryFilter(django_filters.CharFilter):
    field_class = CountryCodeField


def documented(filter_, openapi_type, **schema):
    """Tell the OpenAPI schema what type a filter's value has, keeping its label."""
    schema = {**build_basic_type(openapi_type), **schema, "description": filter_.label}
    return extend_schema_field(schema)(filter_)
