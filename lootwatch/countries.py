"""Countries as ISO 3166-1 alpha-2 codes, checked and named with pycountry: the one place
that says which codes exist and what they are called, for the models' validators, the
forms' country pickers, the admin and the pages."""

from functools import lru_cache

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


@lru_cache(maxsize=512)
def _country(code):
    return pycountry.countries.get(alpha_2=code) if code else None


def country_name(code):
    """The country's common name ("Ukraine" for UA), or the code itself if unknown."""
    country = _country((code or "").upper())
    if country is None:
        return code or ""
    return getattr(country, "common_name", None) or country.name


def validate_country_code(value):
    """Refuse anything but an ISO 3166-1 alpha-2 code in capitals, e.g. UA."""
    if not value or value != value.upper() or _country(value) is None:
        raise ValidationError(
            "%(value)s is not an ISO 3166-1 alpha-2 country code: use two capitals, e.g. UA.",
            code="invalid_country",
            params={"value": value},
        )


@lru_cache(maxsize=1)
def country_choices():
    """(code, "Name (CODE)") for every country, by name."""
    return sorted(
        (
            (country.alpha_2, f"{country_name(country.alpha_2)} ({country.alpha_2})")
            for country in pycountry.countries
        ),
        key=lambda choice: choice[1],
    )


@lru_cache(maxsize=1)
def _options_html():
    return format_html_join("", '<option value="{}">{}</option>', [("", "—"), *country_choices()])


class CountrySelect(forms.Select):
    """A country picker: every country by name, its code as the value.

    Drawn from one cached string rather than Django's template per option: a log form has
    several of these (place, sources, actor, route), 250 options each."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", "—"), *country_choices()])

    def render(self, name, value, attrs=None, renderer=None):
        value = (self.format_value(value) or [""])[0]
        options = _options_html()
        chosen = format_html('<option value="{}">', value)
        options = options.replace(chosen, format_html('<option value="{}" selected>', value), 1)
        attributes = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 (escaped above)
