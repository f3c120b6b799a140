"""Countries as ISO 3166-1 alpha-2 codes, checked and named with pycountry: the one place
that says which codes exist and what they are called, for the models' validators, the
forms' country pickers, the admin and the pages."""

import gettext
from functools import lru_cache

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy


@lru_cache(maxsize=512)
def _country(code):
    return pycountry.countries.get(alpha_2=code) if code else None


@lru_cache(maxsize=8)
def _names_in(language):
    """The country names of Debian's iso-codes (shipped by pycountry) in ``language``."""
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _language():
    language = (get_language() or "en").lower()
    return None if language.startswith("en") else language.split("-")[0]


def country_name(code):
    """The country's common name in the active language ("Ukraine" for UA, "Україна" in
    Ukrainian), or the code itself if unknown."""
    country = _country((code or "").upper())
    if country is None:
        return code or ""
    common = getattr(country, "common_name", None)
    language = _language()
    if language is None:
        return common or country.name
    names = _names_in(language)
    # iso-codes translates the common name when it has one ("Moldova"), else the name.
    if common and names.gettext(common) != common:
        return names.gettext(common)
    return names.gettext(country.name)


def validate_country_code(value):
    """Refuse anything but an ISO 3166-1 alpha-2 code in capitals, e.g. UA."""
    if not value or value != value.upper() or _country(value) is None:
        raise ValidationError(
            gettext_lazy(
                "%(value)s is not an ISO 3166-1 alpha-2 country code: use two capitals, e.g. UA."
            ),
            code="invalid_country",
            params={"value": value},
        )


def country_choices():
    """(code, "Name (CODE)") for every country, by name in the active language."""
    return _choices_in(_language())


@lru_cache(maxsize=8)
def _choices_in(language):
    return sorted(
        (
            (country.alpha_2, f"{country_name(country.alpha_2)} ({country.alpha_2})")
            for country in pycountry.countries
        ),
        key=lambda choice: choice[1],
    )


def _options_html():
    return _options_html_in(_language())


@lru_cache(maxsize=8)
def _options_html_in(language):
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
