"""Filter fields shared by the filters of every app (django-filter): country codes,
ISO 8601 times taken as UTC, orderings that list their values, and a way to tell the
OpenAPI schema a filter's type. Each validates its value: a bad one is a form error naming
the parameter (a 400 in the API), never a server error."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django_filters.fields import IsoDateTimeField
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.utils import extend_schema_field


class CountryCodeField(forms.CharField):
    """A two-letter ISO 3166-1 country code; accepts lower case."""

    def __init__(self, **kwargs):
        # Exactly two letters, as the schema says: " UA" is as wrong as "UKR".
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        value = value.upper()
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
            # A valid time whose UTC equivalent falls before year 1 or after 9999 (an
            # offset at the very ends of the calendar): as a bound, the end it is at.
            return (
                datetime.min.replace(tzinfo=UTC)
                if value.year == 1
                else datetime.max.replace(tzinfo=UTC)
            )


class DescribedFilterMixin:
    """A filter whose values the OpenAPI schema describes exactly (``openapi_schema``),
    with its label as the description: what the server accepts and what the schema says
    must be the same, or schemathesis (and partners' generated clients) find out."""

    openapi_schema = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.openapi_schema is not None:
            description = {"description": str(self.label)} if self.label else {}
            extend_schema_field({**self.openapi_schema, **description})(self)


class UTCDateTimeFilter(DescribedFilterMixin, django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField
    openapi_schema = {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
    }


# The largest id a row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class ReferenceIdField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Give an id: a whole number, e.g. 12.",
        "min_value": f"Give an id from 1 to {MAX_ID}.",
        "max_value": f"Give an id from 1 to {MAX_ID}.",
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class ReferenceIdFilter(DescribedFilterMixin, django_filters.NumberFilter):
    """The id of a reference record (a place, an actor, a source). An id that names none
    partners can see simply matches nothing, as an id that names nothing at all does: an
    error would only tell them which ids exist."""

    field_class = ReferenceIdField
    openapi_schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class SlugFilter(DescribedFilterMixin, django_filters.CharFilter):
    """A slug; one that names nothing matches nothing."""

    openapi_schema = {"type": "string", "pattern": SLUG_PATTERN}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [RegexValidator(SLUG_PATTERN, "Give a slug, e.g. cars.")])
        super().__init__(*args, **kwargs)


# The message of every date filter of the partner API.
DATE_ERROR = {"invalid": "Give a date as YYYY-MM-DD, e.g. 2022-04-02."}


class ListedOrderingFilter(django_filters.OrderingFilter):
    """An ``ordering`` whose error for an unknown value lists the values it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Name the values partners send (``assessment``), not the fields behind them.
        fields = {field: param for param, field in self.param_map.items()}
        valid = ", ".join(value for value, _ in self.build_choices(fields, {}))
        self.extra["error_messages"] = {
            "invalid_choice": f"Unknown ordering %(value)s; use one of: {valid}."
        }


class CountryFilter(DescribedFilterMixin, django_filters.CharFilter):
    field_class = CountryCodeField
    openapi_schema = {"type": "string", "pattern": "^[A-Za-z]{2}$"}


def documented(filter_, openapi_type, **schema):
    """Tell the OpenAPI schema what type a filter's value has, keeping its label."""
    schema = {**build_basic_type(openapi_type), **schema, "description": filter_.label}
    return extend_schema_field(schema)(filter_)


class DateRangeFilterForm(forms.Form):
    """A filter form whose range (``range_fields``: the start's and the end's parameters)
    ending before it begins is an error naming the end, not an empty result that looks
    like "nothing happened"."""

    range_fields = ("", "")
    range_error = (
        "{end} ({before}) is earlier than {start} ({after}): no {noun} can match. Swap the dates."
    )
    range_noun = ""

    def clean(self):
        cleaned = super().clean()
        start, end = self.range_fields
        after, before = cleaned.get(start), cleaned.get(end)
        if after and before and after > before:
            self.add_error(
                end,
                self.range_error.format(
                    start=start,
                    end=end,
                    after=after.isoformat(),
                    before=before.isoformat(),
                    noun=self.range_noun,
                ),
            )
        return cleaned
