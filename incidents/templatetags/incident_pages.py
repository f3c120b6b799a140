"""Small display helpers for the journalists' pages."""

from django import template
from django.utils.translation import gettext, ngettext

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
    return gettext(
        "%(claims)s: %(verified)s verified, %(disputed)s disputed, %(unverified)s unverified; "
        "%(sources)s"
    ) % {
        "claims": ngettext("%(count)s claim", "%(count)s claims", total) % {"count": total},
        "verified": incident.claims_verified,
        "disputed": incident.claims_disputed,
        "unverified": incident.claims_unverified,
        "sources": ngettext(
            "%(count)s independent source", "%(count)s independent sources", sources
        )
        % {"count": sources},
    }
