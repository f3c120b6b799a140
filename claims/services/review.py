"""Reviewing claims: an editor's decision on a claim's status, with the reason, the checks
behind it and, for a dispute, its reason code, recorded as one immutable Review per
decision. A claim's status changes nowhere else.

A decision ends the editor's hold on the claim (it leaves the queue), and the journalist
who logged the claim is told by email once the decision is committed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.notifications import tell
from claims import rules
from claims.models import CheckItem, CheckResult, Claim, ClaimStatus, DisputeReason, Review
from claims.services.summaries import refresh_summaries
from incidents import fulltext
from incidents.models import Incident
from lootwatch.batches import BatchRefusal, FieldChecks, refuse_missing, refusing
from lootwatch.copying import BulkWriter
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


# Asked for every decision (an import reviews thousands): ``values`` is a new list each time.
STATUSES = frozenset(ClaimStatus.values)
DISPUTE_REASONS = frozenset(DisputeReason.values)


def _checked_decision(reviewer, to_status, note, checklist, dispute_reason):
    """The decision as _record_review applies it, or the reason it may not be made."""
    if not rules.can_review(reviewer):
        raise PermissionDenied(_("Only editors may verify or dispute claims."))
    if to_status not in STATUSES:
        raise ValidationError(
            {
                "to_status": _("Unknown status %(status)r: use one of %(choices)s.")
                % {"status": to_status, "choices": _choices(ClaimStatus.values)}
            }
        )
    # What is missing is named at once: a note and, for a dispute, its reason.
    missing = {}
    note = (note or "").strip()
    if not note:
        missing["note"] = _("Say why: a review needs a note.")
    dispute_reason = dispute_reason or ""
    if to_status == ClaimStatus.DISPUTED and not dispute_reason:
        missing["dispute_reason"] = _(
            "Say why the claim is disputed: choose a reason (%(choices)s). A claim "
            "nobody could confirm is not disputed: leave it unverified."
        ) % {"choices": _choices(DisputeReason.values)}
    if missing:
        raise ValidationError(missing)
    if dispute_reason and dispute_reason not in DISPUTE_REASONS:
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


# What a review changes on its claim (besides its version and updated_at).
REVIEWED_FIELDS = ("status", "status_changed_at", "dispute_reason", "assigned_to", "assigned_at")


def _record_review(*, locked, reviewer, decision, expected_version, now):
    review = _checked_review(locked, reviewer, decision, expected_version, now)
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
        update_fields=REVIEWED_FIELDS,
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


@dataclass(frozen=True)
class Decision:
    """One decision of review_each: as review_claim's arguments."""

    claim: Claim
    to_status: str
    note: str
    dispute_reason: str | None = None
    checklist: dict | None = None
    expected_version: int | None = None


@transaction.atomic
def review_each(*, reviewer, decisions, new_claims=False):
    """Record a decision of its own on each claim (an import keeping its file's review
    state: one review per claim, each with its note): all of them, or none if any is
    refused. Return the Reviews, in the order of ``decisions``.

    ``new_claims``: every claim was created by the caller's transaction a moment ago
    (create_claims, for an import's batch). No other transaction can see them, so they
    are neither locked nor read again: the claims given are the claims as stored.

    The checks are review_claim's, claim by claim; what it does per claim is done per batch
    here: the claims are locked in one query, the reviews, the claims' new state and their
    history written in a few statements, the summaries, search documents and
    ``updated_at`` of their incidents brought up to date once, and partners' webhooks
    announced once. Raise PermissionDenied for a user who may not review, and a
    BatchRefusal naming the refused decision's position otherwise.
    """
    if not decisions:
        return []
    checked = []
    for index, decision in enumerate(decisions):
        with refusing(index):
            checked.append(
                _checked_decision(
                    reviewer,
                    decision.to_status,
                    decision.note,
                    decision.checklist,
                    decision.dispute_reason,
                )
            )
    pks = [decision.claim.pk for decision in decisions]
    if new_claims:
        locked = {decision.claim.pk: decision.claim for decision in decisions}
    else:
        locked = {
            claim.pk: claim
            for claim in Claim.objects.select_for_update(of=("self",))
            .select_related("assigned_to", "incident", "submitted_by")
            .filter(pk__in=pks)
            .order_by("pk")
        }
    if len(set(pks)) != len(pks):
        raise BatchRefusal(ValidationError(_("Each claim is reviewed once.")), index=len(pks) - 1)
    refuse_missing(Review, [Review(reviewer=reviewer)], "reviewer")
    now = timezone.now()
    reviews, changed = [], []
    checks = FieldChecks(Review, exclude=["claim", "reviewer"])
    for index, (decision, wanted) in enumerate(zip(decisions, checked, strict=True)):
        current = locked.get(decision.claim.pk)
        with refusing(index):
            if current is None:
                raise ValidationError(_("This claim does not exist."))
            review = _checked_review(current, reviewer, wanted, decision.expected_version, now)
            # Its claim (locked above) and reviewer (refuse_missing) exist, and the checks
            # it would ask the database about are _checked_decision's own.
            # full_clean (a Review has no unique field), each distinct value once.
            checks.full_clean(review)
        reviews.append(review)
        changed.append(current)
    with fulltext.silenced():
        writer = BulkWriter()
        writer.assign_ids(Review, reviews)
        writer.write(Review, reviews, with_ids=True)
        # One UPDATE per decision (status and reason): the decisions of a batch are few.
        alike = {}
        for review, current in zip(reviews, changed, strict=True):
            current.status = review.to_status
            current.status_changed_at = review.created_at
            current.dispute_reason = review.dispute_reason
            current.assigned_to = None
            current.assigned_at = None
            current.version += 1
            current.updated_at = now
            current._history_user = reviewer
            current._change_reason = f"reviewed: {review.from_status} → {review.to_status}"
            alike.setdefault((review.to_status, review.dispute_reason), []).append(current.pk)
        for (status, dispute_reason), pks in alike.items():
            Claim.objects.filter(pk__in=pks).update(
                status=status,
                status_changed_at=now,
                dispute_reason=dispute_reason,
                assigned_to=None,
                assigned_at=None,
                version=F("version") + 1,
                updated_at=now,
            )
        writer.write_history(Claim, changed, history_type="~", date=now)
    incident_ids = {claim.incident_id for claim in changed}
    Incident.objects.filter(pk__in=incident_ids).mark_changed()
    refresh_summaries(incident_ids)
    fulltext.refresh_reviewed(incident_ids)
    announce(Event.CLAIM_REVIEWED, claims=changed)
    announce(Event.INCIDENT_UPDATED, incidents=incident_ids)
    _tell_journalists(reviews, reviewer)
    for decision, current in zip(decisions, changed, strict=True):
        for name in (*REVIEWED_FIELDS, "version", "updated_at"):
            setattr(decision.claim, name, getattr(current, name))
    return reviews


def _checked_review(current, reviewer, decision, expected_version, now):
    """The Review of ``decision`` on ``current`` (the claim, locked), unsaved; raise
    ValidationError if it may not be made now."""
    check_version(current, expected_version)
    if current.status == decision["to_status"]:
        raise ValidationError(
            {
                "to_status": _("The claim is already %(status)s.")
                % {"status": current.get_status_display().lower()}
            }
        )
    if current.withdrawn_at:
        raise ValidationError(_("A withdrawn claim cannot be reviewed."))
    if rules.held_by_another(reviewer, current, now):
        raise ValidationError(
            _(
                "%(editor)s has taken this claim for review (since %(since)s UTC): ask them, "
                "or wait until they release it."
            )
            % {
                "editor": current.assigned_to.get_username(),
                "since": f"{current.assigned_at:%Y-%m-%d %H:%M}",
            }
        )
    return Review(
        claim=current, reviewer=reviewer, from_status=current.status, created_at=now, **decision
    )
