"""Small display helpers for the journalists' pages."""

from django import template
from django.template.defaultfilters import pluralize

from incidents.models import Assessment
from lootwatch import countries

register = template.Library()


@register.filter
def assessment_label(value):
    """Return the label of an assessment value annotated by incidents.selectors.with_summary()."""
    try:
        return Assessment(value).label
    except ValueError:
        return value


@register.filter
def country_name(code):
    """The name of a country code, "Ukraine" for UA (lootwatch.countries)."""
    return countries.country_name(code)


@register.filter
def claims_summary(incident):
    """The verification summary of an incident (annotated by incidents.selectors
    .with_summary()) spelled out: "2 claims: 1 verified, 1 disputed, 0 unverified;
    1 independent source"."""
    total, sources = incident.claims_total, incident.independent_sources
    return (
        f"{total} claim{pluralize(total)}: {incident.claims_verified} verified, "
        f"{incident.claims_disputed} disputed, {incident.claims_unverified} unverified; "
        f"{sources} independent source{pluralize(sources)}"
    )
