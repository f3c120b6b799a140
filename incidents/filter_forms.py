"""The forms behind the incident filters (incidents.filters): what holds across their
parameters, which one filter alone cannot check."""

from django import forms
from django.utils.translation import gettext_lazy as _


class IncidentFilterForm(forms.Form):
    """The incident filters' form: a date range that ends before it begins is an error
    naming ``occurred_before``, not an empty result that looks like "nothing happened"."""

    range_error = (
        "occurred_before ({before}) is earlier than occurred_after ({after}): no incident "
        "can match. Swap the dates."
    )

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("occurred_after"), cleaned.get("occurred_before")
        if after and before and after > before:
            self.add_error(
                "occurred_before",
                self.range_error.format(after=after.isoformat(), before=before.isoformat()),
            )
        return cleaned


class IncidentPageFilterForm(IncidentFilterForm):
    range_error = _("“To” is before “From”: no incident can match. Swap the dates.")
