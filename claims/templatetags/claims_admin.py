"""Template helpers for the editors' admin."""

from django import template

from claims import rules
from claims.models import Claim
from claims.selectors import in_review_queue

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_size(context):
    """Return how many claims wait in the review queue, or None if the signed-in user may
    not review claims (then the admin offers no link to the queue)."""
    request = context.get("request")
    if request is None or not rules.can_review(request.user):
        return None
    return in_review_queue(Claim.objects.all()).count()
