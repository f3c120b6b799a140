"""Reviewing claims: an editor's decision on a claim's status, with the reason, the checks
behind it and, for a dispute, its reason code, recorded as one immutable Review per
decision. A claim's status changes nowhere else.

A decision ends the editor's hold on the claim (it leaves the queue), and the journalist
who logged the claim is told by email once the decision is committed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.notifications import tell
from claims import rules
from claims.models import CheckItem, CheckResult, Claim, ClaimStatus, DisputeReason, Review
from claims.services.summaries import refresh_summaries
from incidents.models import Incident
from lootwatch.versioning import check_version, save_audited
from webhooks.models import Event
from webhooks.services import announce


def _choices(values):
    return ", ".join(values)


def clean_checklist(checklist):
    """Return the full checklist, every item with a result (an item left out was not
    checked). Raise ValidationError naming an unknown item or result."""
    checklist = dict(checklist or {})
    unknown = sorted(set(checklist) - set(CheckItem.values))
    if unknown:
        raise ValidationError(
            {
                "checklist": _("Unknown checklist item %(items)s: use %(choices)s.")
                % {"items": ", ".join(map(repr, unknown)), "choices": _choices(CheckItem.values)}
            }
        )
    for item, result in checklist.items():
        if result not in CheckResult.values:
            raise ValidationError(
                {
                    "checklist": _("Unknown result %(result)r for %(item)s: use %(choices)s.")
                    % {"result": result, "item": item, "choices": _choices(CheckResult.values)}
                }
            )
    return {item: checklist.get(item, CheckResult.NOT_CHECKED) for item in CheckItem.values}


def _checked_decision(reviewer, to_status, note, checklist, dispute_reason):
    """The decision as _record_review applies it, or the reason it may not be made."""
    if not rules.can_review(reviewer):
        raise PermissionDenied(_("Only editors may verify or dispute claims."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why: a review needs a note.")})
    if to_status not in ClaimStatus.values:
        raise ValidationError(
            {
                "to_status": _("Unknown status %(status)r: use one of %(choices)s.")
                % {"status": to_status, "choices": _choices(ClaimStatus.values)}
            }
        )
    dispute_reason = dispute_reason or ""
    if to_status == ClaimStatus.DISPUTED and not dispute_reason:
        raise ValidationError(
            {
                "dispute_reason": _(
                    "Say why the claim is disputed: choose a reason (%(choices)s). A claim "
                    "nobody could confirm is not disputed: leave it unverified."
                )
                % {"choices": _choices(DisputeReason.values)}
            }
        )
    if dispute_reason and dispute_reason not in DisputeReason.values:
        raise ValidationError(
            {
                "dispute_reason": _("Unknown dispute reason %(reason)r: use one of %(choices)s.")
                % {"reason": dispute_reason, "choices": _choices(DisputeReason.values)}
            }
        )
    if dispute_reason and to_status != ClaimStatus.DISPUTED:
        raise ValidationError({"dispute_reason": _("Only a dispute has a dispute reason.")})
    return {
        "to_status": to_status,
        "note": note,
        "dispute_reason": dispute_reason,
        **clean_checklist(checklist),
    }


def _record_review(*, locked, reviewer, decision, expected_version, now):
    check_version(locked, expected_version)
    if locked.status == decision["to_status"]:
        raise ValidationError(
            {
                "to_status": _("The claim is already %(status)s.")
                % {"status": locked.get_status_display().lower()}
            }
        )
    if locked.withdrawn_at:
        raise ValidationError(_("A withdrawn claim cannot be reviewed."))
    if rules.held_by_another(reviewer, locked, now):
        raise ValidationError(
            _(
                "%(editor)s has taken this claim for review (since %(since)s UTC): ask them, "
                "or wait until they release it."
            )
            % {
                "editor": locked.assigned_to.get_username(),
                "since": f"{locked.assigned_at:%Y-%m-%d %H:%M}",
            }
        )
    review = Review(
        claim=locked,
        reviewer=reviewer,
        from_status=locked.status,
        created_at=now,
        **decision,
    )
    review.full_clean()
    # One INSERT holds the decision, its checks and its reason: a Review is never updated.
    review.save()
    locked.status = review.to_status
    locked.status_changed_at = review.created_at
    locked.dispute_reason = review.dispute_reason
    # The decision ends the hold: the claim has left the queue (or was never held).
    locked.assigned_to = None
    locked.assigned_at = None
    save_audited(
        locked,
        user=reviewer,
        reason=f"reviewed: {review.from_status} → {review.to_status}",
        update_fields=[
            "status",
            "status_changed_at",
            "dispute_reason",
            "assigned_to",
            "assigned_at",
        ],
    )
    Incident.objects.filter(pk=locked.incident_id).mark_changed()
    refresh_summaries([locked.incident_id])
    announce(Event.CLAIM_REVIEWED, claims=[locked])
    announce(Event.INCIDENT_UPDATED, incidents=[locked.incident_id])
    return review


def _subject(decided, first):
    if len(decided) > 1:
        return ngettext(
            "Editors decided on %(count)d of your claims",
            "Editors decided on %(count)d of your claims",
            len(decided),
        ) % {"count": len(decided)}
    if first.to_status == ClaimStatus.VERIFIED:
        return _("Your claim was verified: %(title)s") % {"title": first.claim.incident.title}
    if first.to_status == ClaimStatus.DISPUTED:
        return _("Your claim was disputed: %(title)s") % {"title": first.claim.incident.title}
    return _("Your claim was %(status)s: %(title)s") % {
        "status": first.get_to_status_display().lower(),
        "title": first.claim.incident.title,
    }


def _tell_journalists(reviews, reviewer):
    """Email each journalist whose claims were decided on: one message per person."""
    by_journalist = {}
    for review in reviews:
        by_journalist.setdefault(review.claim.submitted_by_id, []).append(review)
    for decided in by_journalist.values():
        first = decided[0]
        tell(
            recipient=first.claim.submitted_by,
            actor=reviewer,
            subject=lambda decided=decided, first=first: _subject(decided, first),
            template="emails/claims_reviewed.txt",
            context={"reviews": decided},
        )


@transaction.atomic
def review_claim(
    *,
    claim,
    reviewer,
    to_status,
    note,
    expected_version=None,
    checklist=None,
    dispute_reason=None,
):
    """Set a claim's status, recording who decided, when, why, what was checked
    (``checklist``: item → result; items left out were not checked) and, for a dispute,
    the reason code; return the Review.

    Raise PermissionDenied for a user who may not review, and ValidationError, writing
    nothing, for a missing note, an unknown or unchanged status, a stale
    ``expected_version``, a dispute without a reason (or a reason without a dispute), an
    unknown checklist item or result, or a claim another editor holds.
    """
    decision = _checked_decision(reviewer, to_status, note, checklist, dispute_reason)
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("assigned_to", "incident", "submitted_by")
        .get(pk=claim.pk)
    )
    review = _record_review(
        locked=locked,
        reviewer=reviewer,
        decision=decision,
        expected_version=expected_version,
        now=timezone.now(),
    )
    _tell_journalists([review], reviewer)
    claim.refresh_from_db()
    return review


@transaction.atomic
def review_claims(
    *,
    claims,
    reviewer,
    to_status,
    note,
    expected_versions=None,
    checklist=None,
    dispute_reason=None,
):
    """Review several claims with one note, one checklist and one reason: all of them, or
    none if any is refused.

    ``expected_versions`` maps claim pk to the version the editor saw.
    """
    decision = _checked_decision(reviewer, to_status, note, checklist, dispute_reason)
    expected_versions = expected_versions or {}
    pks = sorted(claim.pk for claim in claims)
    locked_claims = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("assigned_to", "incident", "submitted_by")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    now = timezone.now()
    reviews = []
    for locked in locked_claims:
        try:
            reviews.append(
                _record_review(
                    locked=locked,
                    reviewer=reviewer,
                    decision=decision,
                    expected_version=expected_versions.get(locked.pk),
                    now=now,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(claim)s: %(errors)s Nothing was changed.")
                % {"claim": locked, "errors": " ".join(error.messages)}
            ) from error
    _tell_journalists(reviews, reviewer)
    return reviews
