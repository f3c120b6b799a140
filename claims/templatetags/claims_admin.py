"""Template helpers for the editors' admin."""

from django import template

from claims import rules
from claims.evidence.placement import FAR_KM
from claims.models import CheckItem, CheckResult, Claim
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


@register.filter
def far_km(precision):
    """How far from a place of this precision a photo may be taken before it is flagged."""
    return FAR_KM.get(precision, 0)


@register.simple_tag
def review_checks(review):
    """The checklist of ``review`` as (item label, result, result label) rows; empty for a
    review recorded before checklists existed."""
    return [
        (CheckItem(item).label, result, CheckResult(result).label)
        for item, result in review.checklist.items()
    ]
