"""The rules of incidents.rules for templates, so that a page asks them rather than
re-deriving them from an incident's status: ``{% can_add_claims incident as may_add %}``."""

from django import template

from incidents import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def can_add_claims(context, incident):
    """Return True if the signed-in user may add a claim to ``incident``."""
    return rules.can_add_claims(context["user"], incident)
