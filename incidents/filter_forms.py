"""The forms behind the incident filters (incidents.filters): what holds across their
parameters, which one filter alone cannot check."""

from django.utils.translation import gettext_lazy as _

from lootwatch.filters import DateRangeFilterForm


class IncidentFilterForm(DateRangeFilterForm):
    """The incident filters' form: ``occurred_before`` may not be before ``occurred_after``."""

    range_fields = ("occurred_after", "occurred_before")
    range_noun = "incident"


class IncidentPageFilterForm(IncidentFilterForm):
    range_error = _("“To” is before “From”: no incident can match. Swap the dates.")
