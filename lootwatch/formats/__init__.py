"""How dates are typed, defined once per language (Django's FORMAT_MODULE_PATH): the first
input format of the active language is what every date field of the pages and the admin
shows, takes and names in its hint. English is day first (``en/formats.py``); a language
added later brings its own module beside it, e.g. ``uk/formats.py``.

The partner API does not use these: it takes ISO 8601 (YYYY-MM-DD) whatever the language.
"""

import datetime

from django import forms
from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext

# The day every hint shows its format with: a day above 12, so day and month cannot be
# mistaken for each other.
EXAMPLE = datetime.datetime(2022, 4, 27, 14, 30)
_PLACEHOLDERS = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%H": "hh", "%M": "mm"}


def _spelled(pattern):
    for directive, placeholder in _PLACEHOLDERS.items():
        pattern = pattern.replace(directive, placeholder)
    return pattern


def _hint(format_key):
    pattern = get_format(format_key)[0]
    return gettext("%(format)s, e.g. %(example)s") % {
        "format": _spelled(pattern),
        "example": EXAMPLE.strftime(pattern),
    }


# Lazy: evaluated when a page is drawn, in the language it is drawn in.
date_hint = lazy(lambda: _hint("DATE_INPUT_FORMATS"), str)()
datetime_hint = lazy(lambda: _hint("DATETIME_INPUT_FORMATS"), str)()
date_placeholder = lazy(lambda: _spelled(get_format("DATE_INPUT_FORMATS")[0]), str)()
datetime_placeholder = lazy(lambda: _spelled(get_format("DATETIME_INPUT_FORMATS")[0]), str)()


# No date or time is longer than this however it is typed ("27/04/2022 14:30" is 16): the
# browser keeps a paste into a date field to this, instead of sending megabytes that Django
# would refuse with the whole form (lootwatch.request_limits).
TYPED_DATE_LENGTH = 40


class DayFirstDateInput(forms.DateInput):
    """A date typed in the active language's input format, which its placeholder shows."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "placeholder": date_placeholder,
                "autocomplete": "off",
                "maxlength": TYPED_DATE_LENGTH,
                **(attrs or {}),
            }
        )


class DayFirstDateTimeInput(forms.DateTimeInput):
    """A date and time typed in the active language's input format."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "placeholder": datetime_placeholder,
                "autocomplete": "off",
                "maxlength": TYPED_DATE_LENGTH,
                **(attrs or {}),
            }
        )
