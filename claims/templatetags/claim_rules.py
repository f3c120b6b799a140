"""The rules of claims.rules for templates, so that a page asks them rather than reading a
protected source's name or links itself: ``{% source_name claim.source %}``,
``{% claim_links claim as links %}``."""

from django import template

from claims import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def source_name(context, source):
    """The name of ``source`` the signed-in user may see: its real name or public label."""
    return rules.source_name_for(context["user"], source)


@register.simple_tag(takes_context=True)
def claim_links(context, claim):
    """The claim's URL and archived URL as the signed-in user may see them, as
    ``{"url": …, "archived_url": …}``; empty strings where they are withheld."""
    url, archived_url = rules.claim_urls_for(context["user"], claim)
    return {
        "url": url,
        "archived_url": archived_url,
        "withheld": bool(claim.url or claim.archived_url) and not (url or archived_url),
    }
