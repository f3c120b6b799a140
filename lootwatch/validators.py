"""Validators the models of both apps share."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

EARLIEST_DATE = datetime.date(1900, 1, 1)


@deconstructible
class PlausibleDateValidator:
    """Refuse a date (or time) before 1900 or after tomorrow: a typo such as 0001-01-01 or
    2099 for 2022, which would otherwise sit at either end of every list and timeline.
    Tomorrow, not today, so that a report from a time zone ahead of UTC is taken."""

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        latest = timezone.now().date() + datetime.timedelta(days=1)
        if day < EARLIEST_DATE:
            raise ValidationError(
                gettext("Give a date between 1 January 1900 and today (this one is before 1900)."),
                code="implausible_date",
            )
        if day > latest:
            raise ValidationError(
                gettext(
                    "Give a date between 1 January 1900 and today (this one is in the future)."
                ),
                code="implausible_date",
            )

    def __eq__(self, other):
        return isinstance(other, PlausibleDateValidator)


plausible_date = PlausibleDateValidator()
