"""Who is reviewing which claim: an editor takes a claim from the queue so that nobody else
reviews it at the same time, and releases it (or it frees itself after
claims.rules.ASSIGNMENT_LIFETIME untouched). And what an editor does with a claim nobody
could confirm: keeps it unverified, with a note on record.

Taking and releasing are on the claim's history (who, when, why) but do not move its
version: they change who works on the claim, not what it says, so an edit opened before
someone took the claim still saves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import rules
from claims.models import Claim, ClaimStatus
from claims.services.review import clean_checklist
from lootwatch.versioning import check_version, history_reason, save_audited
from webhooks.models import Event
from webhooks.services import announce

ASSIGNMENT_FIELDS = ["assigned_to", "assigned_at"]


def _lock(claim):
    return (
        Claim.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=claim.pk)
    )


def _save_assignment(locked, *, user, reason):
    locked._history_user = user
    locked._change_reason = history_reason(reason)
    locked.save(update_fields=ASSIGNMENT_FIELDS)


def _refresh(claim, locked):
    claim.assigned_to, claim.assigned_at = locked.assigned_to, locked.assigned_at


@transaction.atomic
def take_claim(*, claim, editor):
    """Take ``claim`` for review: other editors see that ``editor`` has it and cannot
    decide on it until it is released or left untouched for ASSIGNMENT_LIFETIME. Taking a
    claim one already holds starts its time again."""
    if not rules.can_review(editor):
        raise PermissionDenied(_("Only editors may take claims for review."))
    locked = _lock(claim)
    if not Claim.objects.filter(rules.awaiting_review(), pk=locked.pk).exists():
        raise ValidationError(_("Only a claim waiting in the review queue can be taken."))
    now = timezone.now()
    if rules.held_by_another(editor, locked, now):
        raise ValidationError(
            _("%(editor)s has already taken this claim (since %(since)s UTC).")
            % {
                "editor": locked.assigned_to.get_username(),
                "since": f"{locked.assigned_at:%Y-%m-%d %H:%M}",
            }
        )
    if locked.assigned_to_id == editor.pk and rules.holder(locked, now) is not None:
        reason = "taken again for review"
    elif locked.assigned_to_id is not None:
        reason = f"taken for review (left untouched by {locked.assigned_to.get_username()})"
    else:
        reason = "taken for review"
    locked.assigned_to, locked.assigned_at = editor, now
    _save_assignment(locked, user=editor, reason=reason)
    _refresh(claim, locked)
    return claim


@transaction.atomic
def release_claim(*, claim, editor):
    """Give ``claim`` back to the queue. Only the editor who took it releases it by hand."""
    locked = _lock(claim)
    if not rules.can_release(editor, locked):
        raise ValidationError(_("You have not taken this claim, so there is nothing to release."))
    locked.assigned_to, locked.assigned_at = None, None
    _save_assignment(locked, user=editor, reason="released")
    _refresh(claim, locked)
    return claim


@transaction.atomic
def release_lapsed_claims(*, now=None):
    """Write down the release of every claim left untouched for longer than
    ASSIGNMENT_LIFETIME (by the system: no user); return how many.

    The queue already treats them as free (claims.rules.taken); this puts the release on
    each claim's history, e.g. from a scheduled job (the release_lapsed_claims command).
    """
    now = now or timezone.now()
    lapsed = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("assigned_to")
        .filter(assigned_to__isnull=False)
        .exclude(rules.taken(now=now))
    )
    count = 0
    for locked in lapsed:
        name = locked.assigned_to.get_username()
        locked.assigned_to, locked.assigned_at = None, None
        _save_assignment(
            locked,
            user=None,
            reason=f"released: untouched by {name} for {rules.ASSIGNMENT_LIFETIME}",
        )
        count += 1
    return count


@transaction.atomic
def keep_unverified(*, claim, editor, note, checklist=None, expected_version=None):
    """Record that ``editor`` tried to confirm ``claim`` and could not: the claim stays
    unverified (it is not disputed: nothing was found against it) and back in the queue,
    and the note — with the checks done — is added to its internal notes and history.

    Raise ValidationError, writing nothing, without a note, for a claim that is not
    unverified, or with an unknown checklist item or result.
    """
    if not rules.can_review(editor):
        raise PermissionDenied(_("Only editors may review claims."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what you tried: the note is required.")})
    checks = clean_checklist(checklist)
    locked = _lock(claim)
    check_version(locked, expected_version)
    if locked.status != ClaimStatus.UNVERIFIED or locked.withdrawn_at:
        raise ValidationError(_("Only a live, unverified claim can be kept unverified."))
    if rules.held_by_another(editor, locked):
        raise ValidationError(
            _("%(editor)s has taken this claim for review.")
            % {"editor": locked.assigned_to.get_username()}
        )
    done = ", ".join(
        f"{item.replace('_', ' ')} {result.replace('_', ' ')}"
        for item, result in checks.items()
        if result != "not_checked"
    )
    entry = (
        f"{timezone.now():%Y-%m-%d %H:%M} UTC, {editor.get_username()}: could not confirm. "
        f"{note}" + (f" (Checks: {done}.)" if done else "")
    )
    locked.internal_notes = f"{locked.internal_notes}\n\n{entry}".strip()
    locked.assigned_to, locked.assigned_at = None, None
    save_audited(
        locked,
        user=editor,
        reason=f"kept unverified: {note}",
        update_fields=["internal_notes", *ASSIGNMENT_FIELDS],
    )
    # A claim added after publication is shown to partners once an editor has looked at it.
    announce(Event.INCIDENT_UPDATED, incidents=[locked.incident_id])
    claim.refresh_from_db()
    return claim
