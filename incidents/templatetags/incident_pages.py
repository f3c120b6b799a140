"""Small display helpers for the journalists' pages."""

from django import template

from incidents.models import Assessment

register = template.Library()


@register.filter
def assessment_label(value):
    """Return the label of an assessment value annotated by incidents.selectors.with_summary()."""
    try:
        return Assessment(value).label
    except ValueError:
        return value
