"""Logging an incident and editing it: each a single service call for everything one form
sends (the incident, its place or a new one, actors, items, claims with their sources and
evidence, the route its goods were taken along and its links to other incidents), saved in
one transaction or not at all.

A refusal of one part of a submission is raised as a SubmissionError naming the part
("new_place", "items.2", "claims.0", "route.1", "links.0"), so that a page can show it next
to what the journalist typed; a refusal of the incident itself is a plain ValidationError
(a StaleEditError when someone else saved it first).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import services as claim_services
from claims.models import Claim, Source
from incidents import rules
from incidents.models import Actor, Incident, IncidentItem, IncidentStatus, Place
from incidents.services.parts import SubmissionError, run_part
from incidents.services.reference import create_actor, create_place
from incidents.services.routes import (
    Changes,
    LinkSubmission,
    RoutePointSubmission,
    save_links,
    save_route,
)
from lootwatch.versioning import check_version, history_reason, lock_for_update, save_audited
from webhooks.models import Event
from webhooks.services import announce

# What the log and edit forms may change on an incident; its editorial state (status,
# publication, withdrawal) changes only through incidents.services.editorial.
EDITABLE_FIELDS = (
    "title",
    "summary",
    "place",
    "occurred_from",
    "occurred_to",
    "date_precision",
    "internal_notes",
)


@dataclass(frozen=True)
class ClaimSubmission:
    """One claim of a log-an-incident submission.

    ``claim`` is unsaved, with its fields set; its source is ``claim.source`` or, when the
    journalist named a new one, ``new_source`` (unsaved). ``reported_via`` is the position of
    an earlier claim of the same submission through which this one is known. ``evidence``
    holds ``(file, kind)`` pairs for claims.services.attach_evidence.
    """

    claim: Claim
    new_source: Source | None = None
    reported_via: int | None = None
    evidence: Sequence = field(default_factory=tuple)


def _place(*, user, place, new_place):
    if place is not None:
        return place
    if new_place is None:
        raise ValidationError({"place": _("Pick a place, or describe a new one.")})
    return run_part("new_place", lambda: create_place(place=new_place, created_by=user))


def _new_actors(*, user, actors):
    """Create the new alleged actors (unsaved Actors) through create_actor, each with its
    history; an actor already known by that name (any case and spacing) and formation is
    the known one, not a second copy."""
    saved = []
    for index, actor in enumerate(actors):
        actor.name = " ".join(actor.name.split())
        known = Actor.objects.filter(name__iexact=actor.name, parent=actor.parent_id).first()
        saved.append(
            known
            or run_part(
                f"new_actors.{index}",
                lambda actor=actor: create_actor(actor=actor, created_by=user),
            )
        )
    return saved


def _save_items(*, incident, user, items, name="items"):
    for index, item in enumerate(items):
        if item.pk and item.incident_id != incident.pk:
            raise PermissionDenied(_("This item belongs to another incident."))
        item.incident = incident
        run_part(f"{name}.{index}", item.full_clean)
        item._history_user = user
        item._change_reason = "edited" if item.pk else "added"
        item.save()


def _save_claims(*, incident, user, claims, reason="added"):
    saved = []
    for index, submission in enumerate(claims):
        claim = submission.claim
        claim.incident = incident
        if submission.reported_via is not None:
            if not 0 <= submission.reported_via < index:
                raise SubmissionError(
                    ValidationError({"reported_via": _("Pick an earlier claim of this form.")}),
                    part=f"claims.{index}",
                )
            claim.reported_via = saved[submission.reported_via]
        run_part(
            f"claims.{index}",
            lambda claim=claim, submission=submission: claim_services.create_claim(
                claim=claim,
                submitted_by=user,
                new_source=submission.new_source,
                evidence=submission.evidence,
                reason=reason,
            ),
        )
        saved.append(claim)
    return saved


@transaction.atomic
def log_incident(
    *,
    logged_by,
    incident: Incident,
    place: Place | None = None,
    new_place: Place | None = None,
    actors=(),
    new_actors: Sequence[Actor] = (),
    items: Sequence[IncidentItem] = (),
    claims: Sequence[ClaimSubmission] = (),
    route: Sequence[RoutePointSubmission] = (),
    links: Sequence[LinkSubmission] = (),
    submit=False,
    reason=None,
):
    """Log ``incident`` (unsaved, its fields set) with everything it comes with, and return it.

    Its place is ``place``, or ``new_place`` (unsaved) created now; ``actors`` are the
    alleged actors, with ``new_actors`` (unsaved Actors) created now through create_actor;
    ``items`` (unsaved IncidentItems) what was taken; ``claims`` the
    ClaimSubmissions it stands on. ``route`` holds the places the goods were taken to, in
    order (RoutePointSubmissions citing the claims by their position in ``claims``), and
    ``links`` the incidents the goods are followed to or from (LinkSubmissions). With
    ``submit`` it goes to the editors' review queue at once, which needs at least one claim;
    otherwise it is a draft. The incident gets one history record, whatever it came with.

    Raise PermissionDenied for a user who may not log incidents, SubmissionError for a
    refused part (see the module's docstring) and ValidationError for the incident itself.
    Nothing is written unless everything is. ``reason``, if given, is the history's reason
    for the incident and its claims (an import names its file and line).
    """
    rules.require(logged_by, "incidents.add_incident", _("You are not allowed to log incidents."))
    if submit and not claims:
        raise ValidationError(
            _("Add at least one claim before submitting: nothing goes unsourced.")
        )
    incident.place = _place(user=logged_by, place=place, new_place=new_place)
    incident.created_by = logged_by
    incident.status = IncidentStatus.SUBMITTED if submit else IncidentStatus.DRAFT
    incident.submitted_at = timezone.now() if submit else None
    incident.full_clean()
    incident._history_user = logged_by
    incident._change_reason = history_reason(
        reason or ("logged and submitted for review" if submit else "logged as a draft")
    )
    incident.save()
    incident.actors.set([*actors, *_new_actors(user=logged_by, actors=new_actors)])
    _save_items(incident=incident, user=logged_by, items=items)
    logged_claims = _save_claims(
        incident=incident, user=logged_by, claims=claims, reason=reason or "added"
    )
    save_route(incident=incident, user=logged_by, route=route, logged_claims=logged_claims)
    save_links(incident=incident, user=logged_by, links=links)
    return incident


def _describe_changes(
    fields, *, route, links, added_actors, removed_actors, items_saved, items_removed
):
    """The history's reason for an edit: every kind of change, in one line (cut at 100
    characters, so the route and links come before the lists of names)."""
    parts = []
    if fields:
        parts.append(f"edited {', '.join(fields)}")
    parts += [
        description
        for description in (route.describe("route points"), links.describe("links"))
        if description
    ]
    for verb, actors in (("added", added_actors), ("removed", removed_actors)):
        if actors:
            names = ", ".join(sorted(actor.name for actor in actors))
            parts.append(f"actors {verb}: {names}")
    if items_saved:
        parts.append(f"{items_saved} item{pluralize(items_saved)} added or changed")
    if items_removed:
        parts.append(f"{items_removed} item{pluralize(items_removed)} removed")
    return "; ".join(parts)


@transaction.atomic
def edit_incident(
    *,
    incident: Incident,
    editor,
    expected_version,
    changes: dict,
    new_place: Place | None = None,
    actors=None,
    new_actors: Sequence[Actor] = (),
    items: Sequence[IncidentItem] = (),
    removed_items: Sequence[IncidentItem] = (),
    route: Sequence[RoutePointSubmission] | None = None,
    links: Sequence[LinkSubmission] | None = None,
    submit=False,
    reason=None,
):
    """Apply an edit of ``incident`` if nobody saved it since ``expected_version``.

    ``changes`` maps incident fields (EDITABLE_FIELDS) to their new values; ``new_place``
    (unsaved) replaces the place with a new one; ``actors``, unless None, are the alleged
    actors from now on (``new_actors``, unsaved Actors created now, are added to them);
    ``items`` are new or changed items and ``removed_items`` items to
    remove (editors only). ``route``, unless None, is the whole route from now on, in order
    (RoutePointSubmissions citing claims of the incident): points left out are removed
    (editors only). ``links``, unless None, are all the incident's links from now on
    (LinkSubmissions), likewise. With ``submit`` a draft also goes to the review queue.

    Whatever changed, the incident is saved once: one history record naming every change
    and one version step (its reason starts with ``reason`` when given, e.g. "imported
    from FILE, line N"). An edit that changes nothing writes nothing. Raise StaleEditError
    if the incident moved on since ``expected_version`` and PermissionDenied or
    ValidationError (SubmissionError for a refused item, route point or link) for anything
    refused; nothing is written then.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable through edit_incident: {', '.join(sorted(unknown))}.")
    current = lock_for_update(incident)
    if not rules.can_edit_incident(editor, current):
        raise PermissionDenied(_("You may not edit this incident in its current state."))
    if expected_version is None:
        raise ValidationError(
            _(
                "This edit does not say which version of the incident it was made on, so it "
                "cannot tell whether someone else changed the incident since. Reload it and "
                "make your changes again."
            ),
            code="stale",
        )
    check_version(current, expected_version)
    if removed_items and not editor.has_perm("incidents.delete_incidentitem"):
        raise PermissionDenied(_("Only editors may remove items from an incident."))

    if new_place is not None:
        changes = {**changes, "place": _place(user=editor, place=None, new_place=new_place)}
    fields = [name for name in EDITABLE_FIELDS if name in changes]
    changed = [name for name in fields if getattr(current, name) != changes[name]]
    for name in changed:
        setattr(current, name, changes[name])

    if new_actors:
        created = _new_actors(user=editor, actors=new_actors)
        actors = [*(current.actors.all() if actors is None else actors), *created]
    added_actors = removed_actors = set()
    if actors is not None:
        before, after = set(current.actors.all()), set(actors)
        added_actors, removed_actors = after - before, before - after
        if added_actors or removed_actors:
            current.actors.set(after)

    items = [item for item in items if item.pk is None or _item_changed(item)]
    _save_items(incident=current, user=editor, items=items)
    for item in removed_items:
        if item.incident_id != current.pk:
            raise PermissionDenied(_("This item belongs to another incident."))
        item._history_user = editor
        item._change_reason = "removed"
        item.delete()
    route_changes = (
        Changes() if route is None else save_route(incident=current, user=editor, route=route)
    )
    link_changes = (
        Changes() if links is None else save_links(incident=current, user=editor, links=links)
    )

    update_fields = list(changed)
    why, reason = (
        reason,
        _describe_changes(
            changed,
            route=route_changes,
            links=link_changes,
            added_actors=added_actors,
            removed_actors=removed_actors,
            items_saved=len(items),
            items_removed=len(removed_items),
        ),
    )
    if submit and current.status == IncidentStatus.DRAFT:
        if not rules.can_submit(editor, current):
            raise PermissionDenied(_("You may not submit this incident."))
        if not current.claims.live().exists():
            raise ValidationError(
                _("Add at least one claim before submitting: nothing goes unsourced.")
            )
        current.status = IncidentStatus.SUBMITTED
        current.submitted_at = timezone.now()
        update_fields += ["status", "submitted_at"]
        reason = f"{reason}; submitted for review" if reason else "submitted for review"
    if reason and why:
        reason = f"{why}: {reason}"
    if reason:
        current.full_clean()
        save_audited(current, user=editor, reason=reason, update_fields=update_fields)
        announce(Event.INCIDENT_UPDATED, incidents=[current])
    if incident is not current:
        incident.refresh_from_db()
    return incident


def _item_changed(item):
    """Return True if ``item`` (an existing item, changed in memory) differs from its row."""
    stored = IncidentItem.objects.filter(pk=item.pk).values(
        "category_id", "description", "quantity_min", "quantity_max"
    )
    current = {
        "category_id": item.category_id,
        "description": item.description,
        "quantity_min": item.quantity_min,
        "quantity_max": item.quantity_max,
    }
    return not stored or stored[0] != current
