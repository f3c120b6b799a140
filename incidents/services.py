"""Editorial operations on incidents. The admin, the pages and the API all call these.

Each function checks the caller's permission itself, runs in one transaction, locks the
rows it changes, and leaves a history record naming who did it and why.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, IncidentStatus
from lootwatch.versioning import check_version, history_reason, lock_for_update, save_audited


def _require(user, permission, action):
    if not (user and user.is_active and user.has_perm(permission)):
        raise PermissionDenied(f"You are not allowed to {action}.")


def touch_incident(*, incident_id):
    """Mark an incident as changed for partners' mirrors (its ``updated_at`` moves to now).

    Call it when what partners see of an incident changes without the incident row itself
    being saved: a claim reviewed, added, edited or withdrawn, evidence attached, items or
    actors changed. Not an audited change, so a plain update: ``updated_at`` is excluded
    from the history and the version stays, as the incident's own content is unchanged.
    """
    touch_incidents(Incident.objects.filter(pk=incident_id))


def touch_incidents(incidents):
    """Mark every incident in the queryset ``incidents`` as changed for partners' mirrors.

    For edits of a record many incidents show, such as a place made private or an actor
    renamed: partners see those inside each incident, so each one must come back in an
    ``updated_since`` sync. A plain ``update()`` is right here, unlike for audited content:
    ``updated_at`` is excluded from the history and is not content (the version stays), and
    one statement avoids loading and saving hundreds of incidents.
    """
    incidents.update(updated_at=timezone.now())


def can_edit_incident(user, incident):
    """Return True if ``user`` may change ``incident``'s content (not its status)."""
    if not user.is_authenticated or not user.has_perm("incidents.change_incident"):
        return False
    if user.has_perm("incidents.publish_incident"):
        return incident.status != IncidentStatus.WITHDRAWN
    return incident.is_editable


@transaction.atomic
def create_incident(*, incident, created_by, submit=False):
    """Save a new incident (built by a form or serializer) as a draft, or submit it."""
    _require(created_by, "incidents.add_incident", "log incidents")
    incident.created_by = created_by
    incident.status = IncidentStatus.SUBMITTED if submit else IncidentStatus.DRAFT
    incident.submitted_at = timezone.now() if submit else None
    incident.full_clean()
    incident._history_user = created_by
    incident._change_reason = "submitted" if submit else "created as draft"
    incident.save()
    return incident


@transaction.atomic
def update_incident(*, incident, editor, expected_version, fields):
    """Save ``fields`` already set on ``incident`` if nobody changed it since
    ``expected_version``; otherwise raise StaleEditError and write nothing."""
    current = lock_for_update(incident)
    if not can_edit_incident(editor, current):
        raise PermissionDenied("You may not edit this incident in its current state.")
    check_version(current, expected_version)
    incident.version = current.version
    incident.full_clean()
    save_audited(incident, user=editor, reason="edited", update_fields=fields)
    return incident


@transaction.atomic
def create_place(*, place, created_by):
    """Save a new place (built by a form), e.g. one a journalist adds while logging."""
    _require(created_by, "incidents.add_place", "add places")
    place.full_clean()
    place._history_user = created_by
    place._change_reason = "added"
    place.save()
    return place


@transaction.atomic
def update_place(*, place, editor, fields):
    """Save ``fields`` already set on ``place``, with history, and move the ``updated_at``
    of every incident at that place, since partners see the place inside each incident
    (e.g. an exact location made private must reach their mirrors rounded)."""
    _require(editor, "incidents.change_place", "edit places")
    place.full_clean()
    if not fields:
        return place
    place._history_user = editor
    place._change_reason = history_reason(f"edited: {', '.join(sorted(fields))}")
    place.save(update_fields=fields)
    touch_incidents(Incident.objects.filter(place=place))
    return place


@transaction.atomic
def update_actor(*, actor, editor, fields):
    """Save ``fields`` already set on ``actor``, with history, and move the ``updated_at``
    of every incident alleging that actor (partners see its name and kind there)."""
    _require(editor, "incidents.change_actor", "edit actors")
    actor.full_clean()
    if not fields:
        return actor
    actor._history_user = editor
    actor._change_reason = history_reason(f"edited: {', '.join(sorted(fields))}")
    actor.save(update_fields=fields)
    touch_incidents(Incident.objects.filter(actors=actor))
    return actor


@transaction.atomic
def save_incident_items(*, incident, editor, items, removed=()):
    """Save the new or changed ``items`` taken in ``incident`` and delete ``removed`` ones.

    Journalists may add and correct items while they may edit the incident; only users
    allowed to delete items (editors) may remove one.
    """
    if not can_edit_incident(editor, incident):
        raise PermissionDenied("You may not edit this incident in its current state.")
    if removed and not editor.has_perm("incidents.delete_incidentitem"):
        raise PermissionDenied("Only editors may remove items from an incident.")
    for item in items:
        if item.pk and item.incident_id != incident.pk:
            raise PermissionDenied("This item belongs to another incident.")
        item.incident = incident
        item.full_clean()
        item._history_user = editor
        item._change_reason = "edited" if item.pk else "added"
        item.save()
    for item in removed:
        if item.incident_id != incident.pk:
            raise PermissionDenied("This item belongs to another incident.")
        item._history_user = editor
        item._change_reason = "removed"
        item.delete()
    touch_incident(incident_id=incident.pk)


@transaction.atomic
def set_incident_actors(*, incident, editor, actors):
    """Replace the alleged actors of ``incident``, on record.

    The incident's history does not copy many-to-many relations, so a change of actors is
    an audited save of the incident (its version moves) whose reason names the actors
    added and removed. Setting the same actors again writes nothing.
    """
    current = lock_for_update(incident)
    if not can_edit_incident(editor, current):
        raise PermissionDenied("You may not edit this incident in its current state.")
    before, after = set(current.actors.all()), set(actors)
    added, removed = after - before, before - after
    if not added and not removed:
        return incident
    current.actors.set(after)
    changes = [
        f"{verb} {', '.join(sorted(actor.name for actor in group))}"
        for verb, group in (("added", added), ("removed", removed))
        if group
    ]
    save_audited(current, user=editor, reason=f"actors {'; '.join(changes)}")
    _refresh(incident, current)
    return incident


@transaction.atomic
def submit_incident(*, incident, user):
    """Send a draft to the editors' review queue."""
    current = lock_for_update(incident)
    if not can_edit_incident(user, current):
        raise PermissionDenied("You may not submit this incident.")
    if current.status != IncidentStatus.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    if not current.claims.live().exists():
        raise ValidationError("Add at least one claim before submitting: nothing goes unsourced.")
    current.status = IncidentStatus.SUBMITTED
    current.submitted_at = timezone.now()
    save_audited(current, user=user, reason="submitted", update_fields=["status", "submitted_at"])
    _refresh(incident, current)
    return incident


@transaction.atomic
def publish_incident(*, incident, editor, expected_version=None):
    """Make an incident visible to partners. It must stand on at least one claim."""
    _require(editor, "incidents.publish_incident", "publish incidents")
    current = lock_for_update(incident)
    check_version(current, expected_version)
    if current.status == IncidentStatus.PUBLISHED:
        raise ValidationError("This incident is already published.")
    if current.status == IncidentStatus.WITHDRAWN:
        raise ValidationError("A withdrawn incident cannot be published again.")
    if not current.claims.live().exists():
        raise ValidationError("An incident without claims cannot be published.")
    now = timezone.now()
    current.status = IncidentStatus.PUBLISHED
    current.published_at = now
    current.submitted_at = current.submitted_at or now
    save_audited(
        current,
        user=editor,
        reason="published",
        update_fields=["status", "published_at", "submitted_at"],
    )
    _refresh(incident, current)
    return incident


@transaction.atomic
def withdraw_incident(*, incident, editor, reason, expected_version=None, merged_into=None):
    """Take an incident out of publication, keeping it and its claims on record."""
    _require(editor, "incidents.publish_incident", "withdraw incidents")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the incident is withdrawn."})
    current = lock_for_update(incident)
    check_version(current, expected_version)
    if current.status == IncidentStatus.WITHDRAWN:
        raise ValidationError("This incident is already withdrawn.")
    current.status = IncidentStatus.WITHDRAWN
    current.withdrawn_at = timezone.now()
    current.withdrawal_reason = reason
    current.merged_into = merged_into
    save_audited(
        current,
        user=editor,
        reason=f"withdrawn: {reason}",
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "merged_into"],
    )
    _refresh(incident, current)
    return incident


@transaction.atomic
def merge_incidents(*, survivor, duplicate, editor, expected_versions=None):
    """Move the duplicate's claims, items and actors to the survivor and withdraw it.

    ``expected_versions`` optionally maps each incident's pk to the version the editor saw;
    if either incident changed since, StaleEditError is raised and nothing is merged.
    """
    _require(editor, "incidents.merge_incidents", "merge incidents")
    if survivor.pk == duplicate.pk:
        raise ValidationError("An incident cannot be merged into itself.")
    # Lock in primary-key order so two editors merging the same pair cannot deadlock.
    first, second = sorted([survivor, duplicate], key=lambda incident: incident.pk)
    locked = {row.pk: row for row in (lock_for_update(first), lock_for_update(second))}
    kept, dropped = locked[survivor.pk], locked[duplicate.pk]
    for row in (kept, dropped):
        check_version(row, (expected_versions or {}).get(row.pk))
    if IncidentStatus.WITHDRAWN in (kept.status, dropped.status):
        raise ValidationError("Withdrawn incidents cannot be merged.")

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
            reason=f"moved from merged incident {dropped.public_id}",
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
        item._change_reason = history_reason(f"copied from merged incident {dropped.public_id}")
        item.save()
    kept.actors.add(*dropped.actors.all())
    save_audited(
        kept, user=editor, reason=f"merged with duplicate {dropped.public_id}", update_fields=[]
    )
    withdraw_incident(
        incident=dropped,
        editor=editor,
        reason=f"Duplicate of {kept.public_id} ({kept.title}); merged."
        + (
            f" {left_behind} claim(s) citing URLs the surviving incident already cites stay "
            "on record here."
            if left_behind
            else ""
        ),
        merged_into=kept,
    )
    _refresh(survivor, kept)
    duplicate.refresh_from_db()
    return survivor


def _refresh(instance, current):
    """Copy the saved state back onto the caller's instance."""
    if instance is not current:
        instance.refresh_from_db()
