"""The editorial life of an incident: submitted for review by its journalist, published
and withdrawn by editors, and merged with its duplicate. Each step checks the rules in
incidents.rules, locks the rows it changes and writes one history record saying why; the
journalist who logged the incident is told by email when it is published or withdrawn, and
partners' webhooks when what they see changes (webhooks.services.announce)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.notifications import tell
from claims.services.summaries import refresh_summaries
from incidents import rules
from incidents.models import IncidentStatus
from incidents.services.routes import copy_to_survivor, mark_linked_changed
from lootwatch import text_limits
from lootwatch.text_limits import require_within
from lootwatch.versioning import check_version, history_reason, lock_for_update, save_audited
from webhooks.models import Event
from webhooks.services import announce


@transaction.atomic
def submit_incident(*, incident, user):
    """Send a draft to the editors' review queue."""
    current = lock_for_update(incident)
    if not rules.can_edit_incident(user, current):
        raise PermissionDenied(_("You may not submit this incident."))
    if not rules.can_submit(user, current):
        raise ValidationError(_("Only a draft can be submitted for review."))
    if not current.claims.live().exists():
        raise ValidationError(
            _("Add at least one claim before submitting: nothing goes unsourced.")
        )
    current.status = IncidentStatus.SUBMITTED
    current.submitted_at = timezone.now()
    save_audited(current, user=user, reason="submitted", update_fields=["status", "submitted_at"])
    _refresh(incident, current)
    return incident


def _reason(reason):
    """An editor's reason, stripped and within its limit."""
    reason = (reason or "").strip()
    require_within(reason, text_limits.REASON, "reason")
    return reason


@transaction.atomic
def publish_incident(*, incident, editor, reason="", expected_version=None):
    """Make an incident visible to partners. It must stand on at least one claim.

    ``reason`` (why it may be published, as the admin's publish step asks) is kept on the
    incident and in its history."""
    rules.require(
        editor, "incidents.publish_incident", _("You are not allowed to publish incidents.")
    )
    reason = _reason(reason)
    current = lock_for_update(incident)
    check_version(current, expected_version)
    if current.status == IncidentStatus.PUBLISHED:
        raise ValidationError(_("This incident is already published."))
    if current.status == IncidentStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn incident cannot be published again."))
    if not current.claims.live().exists():
        raise ValidationError(_("An incident without claims cannot be published."))
    now = timezone.now()
    current.status = IncidentStatus.PUBLISHED
    current.published_at = now
    current.submitted_at = current.submitted_at or now
    current.publication_reason = reason
    save_audited(
        current,
        user=editor,
        reason=f"published: {reason}" if reason else "published",
        update_fields=["status", "published_at", "submitted_at", "publication_reason"],
    )
    # From now on, a claim added and not yet reviewed waits for an editor, uncounted.
    refresh_summaries([current.pk])
    mark_linked_changed(current)
    _tell_journalist(current, editor, "published")
    announce(Event.INCIDENT_PUBLISHED, incidents=[current])
    _refresh(incident, current)
    return incident


@transaction.atomic
def withdraw_incident(*, incident, editor, reason, expected_version=None, merged_into=None):
    """Take an incident out of publication, keeping it and its claims on record."""
    rules.require(
        editor, "incidents.publish_incident", _("You are not allowed to withdraw incidents.")
    )
    reason = _reason(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the incident is withdrawn.")})
    current = lock_for_update(incident)
    check_version(current, expected_version)
    if current.status == IncidentStatus.WITHDRAWN:
        raise ValidationError(_("This incident is already withdrawn."))
    current.status = IncidentStatus.WITHDRAWN
    current.withdrawn_at = timezone.now()
    current.withdrawal_reason = reason
    current.merged_into = merged_into
    step = f"merged into “{merged_into.title}”" if merged_into is not None else "withdrawn"
    save_audited(
        current,
        user=editor,
        reason=f"{step}: {reason}",
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "merged_into"],
    )
    mark_linked_changed(current)
    _tell_journalist(current, editor, "withdrawn", reason=reason)
    announce(Event.INCIDENT_WITHDRAWN, incidents=[current])
    _refresh(incident, current)
    return incident


@transaction.atomic
def merge_incidents(*, survivor, duplicate, editor, reason="", expected_versions=None):
    """Move the duplicate's claims, items and actors to the survivor and withdraw it; copy
    its links to other incidents, and its route if the survivor has none.

    ``reason`` (why they are one incident, as the admin's merge step asks) is the
    duplicate's withdrawal reason and is in both incidents' history.

        ``expected_versions`` optionally maps each incident's pk to the version the editor saw;
        if either incident changed since, StaleEditError is raised and nothing is merged.
    """
    rules.require(editor, "incidents.merge_incidents", _("You are not allowed to merge incidents."))
    reason = _reason(reason)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("An incident cannot be merged into itself."))
    # Lock in primary-key order so two editors merging the same pair cannot deadlock.
    first, second = sorted([survivor, duplicate], key=lambda incident: incident.pk)
    locked = {row.pk: row for row in (lock_for_update(first), lock_for_update(second))}
    kept, dropped = locked[survivor.pk], locked[duplicate.pk]
    for row in (kept, dropped):
        check_version(row, (expected_versions or {}).get(row.pk))
    if IncidentStatus.WITHDRAWN in (kept.status, dropped.status):
        raise ValidationError(_("Withdrawn incidents cannot be merged."))

    kept_urls = set(kept.claims.exclude(url="").values_list("url", flat=True))
    left_behind = 0
    for claim in dropped.claims.select_for_update():
        if claim.url and claim.url in kept_urls:
            # The survivor already cites this URL; keep the duplicate claim where it is, on
            # record with the withdrawn incident, rather than break the uniqueness rule.
            left_behind += 1
            continue
        claim.incident = kept
        save_audited(
            claim,
            user=editor,
            reason=f"moved from merged incident “{dropped.title}”",
            update_fields=["incident"],
        )
    kept_items = {
        (item.category_id, item.description.strip().lower(), item.quantity_min, item.quantity_max)
        for item in kept.items.all()
    }
    for item in dropped.items.all():
        key = (
            item.category_id,
            item.description.strip().lower(),
            item.quantity_min,
            item.quantity_max,
        )
        if key in kept_items:
            continue
        kept_items.add(key)
        item.pk = None
        item.incident = kept
        item._history_user = editor
        item._change_reason = history_reason(f"copied from merged incident “{dropped.title}”")
        item.save()
    kept.actors.add(*dropped.actors.all())
    # The claims moved: both summaries change.
    refresh_summaries([kept.pk, dropped.pk])
    copy_to_survivor(survivor=kept, duplicate=dropped, editor=editor)
    merged = f"merged with duplicate “{dropped.title}”"
    save_audited(
        kept, user=editor, reason=f"{merged}: {reason}" if reason else merged, update_fields=[]
    )
    announce(Event.INCIDENT_UPDATED, incidents=[kept])
    withdraw_incident(
        incident=dropped,
        editor=editor,
        # The survivor is named by merged_into, which the pages show as a link.
        reason=(reason or "A duplicate; merged.")
        + (
            f" {left_behind} claim{pluralize(left_behind)} citing URLs the surviving incident "
            f"already cites {'stays' if left_behind == 1 else 'stay'} "
            "on record here."
            if left_behind
            else ""
        ),
        merged_into=kept,
    )
    _refresh(survivor, kept)
    duplicate.refresh_from_db()
    return survivor


# Whole sentences per decision (languages inflect "published" by the incident's gender).
SUBJECTS = {
    "published": gettext_lazy("Your incident was published: %(title)s"),
    "withdrawn": gettext_lazy("Your incident was withdrawn: %(title)s"),
}


def _tell_journalist(incident, editor, decision, reason=""):
    """Email the journalist who logged ``incident`` the decision, once it is committed."""
    tell(
        recipient=incident.created_by,
        actor=editor,
        subject=lambda: SUBJECTS[decision] % {"title": incident.title},
        template="emails/incident_decided.txt",
        context={"incident": incident, "decision": decision, "reason": reason},
    )


def _refresh(instance, current):
    """Copy the saved state back onto the caller's instance."""
    if instance is not current:
        instance.refresh_from_db()
