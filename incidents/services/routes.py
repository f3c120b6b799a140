"""Where an incident's goods went: writing its route (the ordered places the goods were
taken to) and its links to other incidents following the same goods. These are parts of
the incident's content, so they are written inside log_incident and edit_incident (and a
merge), never on their own: each change is in the incident's one history record of the edit,
and the route points and links keep their own history too, as items do.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils.translation import gettext as _

from incidents import rules
from incidents.models import (
    MAX_ROUTE_POINTS,
    Incident,
    IncidentLink,
    IncidentStatus,
    LinkRole,
    Place,
    RoutePoint,
)
from incidents.services.parts import refuse_part, run_part
from incidents.services.reference import create_place
from lootwatch.versioning import history_reason

# Points that change position are first lifted this far (out of the 1…MAX_ROUTE_POINTS range)
# so that no two points ever hold the same position, which the database refuses.
_LIFT = 1000


@dataclass(frozen=True)
class RoutePointSubmission:
    """One point of a route, as a form, the admin or an import gives it.

    ``point`` has its place, dates and note set: an unsaved RoutePoint for a new point, or
    one of the incident's points (changed in memory) to keep. Its place is ``point.place``,
    or ``new_place`` (unsaved) created now when the journalist described a new one.
    ``claims`` support the point: claims of the incident, or, while logging the incident,
    positions of the claims logged with it.
    """

    point: RoutePoint
    new_place: Place | None = None
    claims: Sequence = field(default_factory=tuple)


@dataclass(frozen=True)
class LinkSubmission:
    """A link from the incident being logged or edited to ``incident``: ``role`` says what
    that incident is to this one (a LinkRole: where the goods were taken, or where they came
    from), ``kind`` what happened to the goods there (a LinkKind)."""

    incident: Incident
    kind: str
    role: str = LinkRole.DESTINATION


@dataclass
class Changes:
    """How many records of one kind an edit added, changed and removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def describe(self, noun):
        """E.g. "route points: 2 added, 1 removed"; "" when nothing changed."""
        counts = [
            f"{number} {verb}"
            for number, verb in (
                (self.added, "added"),
                (self.changed, "changed"),
                (self.removed, "removed"),
            )
            if number
        ]
        return f"{noun}: {', '.join(counts)}" if counts else ""


# The route.


def save_route(*, incident, user, route, logged_claims=None):
    """Make ``route`` (RoutePointSubmissions, in order) the route of ``incident``.

    Points of the incident not in ``route`` are removed (editors only); the others are
    saved at their new positions when anything about them changed. ``logged_claims`` are
    the claims logged with a new incident, which its points cite by position. Return the
    Changes. Raise SubmissionError naming "route.N" (or "route.N.new_place") for a refused
    point; the caller's transaction then writes nothing.
    """
    route = list(route)
    if len(route) > MAX_ROUTE_POINTS:
        refuse_part(
            "route",
            "route",
            _("A route has at most %(count)d points.") % {"count": MAX_ROUTE_POINTS},
        )
    stored = {
        point.pk: point
        for point in RoutePoint.objects.select_for_update()
        .filter(incident=incident)
        .prefetch_related("supporting_claims")
    }
    kept = [submission.point.pk for submission in route if submission.point.pk is not None]
    if any(pk not in stored for pk in kept) or len(set(kept)) != len(kept):
        raise PermissionDenied(_("This route point belongs to another incident."))
    changes = Changes()
    changes.removed = _remove(
        [point for pk, point in stored.items() if pk not in kept],
        user=user,
        permission="incidents.delete_routepoint",
        refusal=_("Only editors may remove points from a route."),
    )

    moving = [
        submission.point.pk
        for position, submission in enumerate(route, start=1)
        if submission.point.pk is not None and stored[submission.point.pk].position != position
    ]
    if moving:
        # Not a change of content: every moved point is saved again below, with history.
        RoutePoint.objects.filter(pk__in=moving).update(position=F("position") + _LIFT)

    for index, submission in enumerate(route):
        name = f"route.{index}"
        point = submission.point
        point.incident = incident
        point.position = index + 1
        if submission.new_place is not None:
            point.place = run_part(
                f"{name}.new_place",
                lambda submission=submission: create_place(
                    place=submission.new_place, created_by=user
                ),
            )
        before = stored.get(point.pk)
        claims = _supporting_claims(
            incident=incident, submission=submission, logged_claims=logged_claims, name=name
        )
        run_part(name, lambda point=point: _validate(point))
        edited = before is not None and _point_changed(before, point)
        if before is None or edited:
            _record(point, user=user, reason="added" if before is None else "edited")
        cited = set(before.supporting_claims.all()) if before is not None else set()
        recited = _set_claims(point, cited=cited, claims=claims, user=user, name=name)
        if before is None:
            changes.added += 1
        elif edited or recited:
            changes.changed += 1
    return changes


def _remove(records, *, user, permission, refusal):
    """Delete ``records`` (each leaving a history record of who removed it) if ``user``
    holds ``permission``; return how many."""
    if records and not user.has_perm(permission):
        raise PermissionDenied(refusal)
    for record in records:
        record._history_user = user
        record._change_reason = "removed"
        record.delete()
    return len(records)


def _validate(point):
    # The one-point-per-position rule is kept by save_route itself (see _LIFT), so it is
    # left to the database here: checked now, it would see points not yet moved.
    point.full_clean(validate_constraints=False)
    point.validate_constraints(exclude={"position", "incident"})


def _point_changed(before, point):
    return (before.place_id, before.position, before.date_from, before.date_to, before.note) != (
        point.place_id,
        point.position,
        point.date_from,
        point.date_to,
        point.note,
    )


def _record(point, *, user, reason):
    point._history_user = user
    point._change_reason = reason
    point.save()


def _supporting_claims(*, incident, submission, logged_claims, name):
    """The claims ``submission`` cites, each checked to be a claim of ``incident``."""
    claims = []
    for claim in submission.claims:
        if isinstance(claim, int):
            if logged_claims is None or not 0 <= claim < len(logged_claims):
                refuse_part(name, "supporting_claims", _("Pick claims logged with this incident."))
            claim = logged_claims[claim]
        if claim.incident_id != incident.pk:
            # A point stands on the incident's own sources, which editors review with it.
            refuse_part(
                name,
                "supporting_claims",
                _("A route point can only cite claims of its incident."),
            )
        claims.append(claim)
    return claims


def _set_claims(point, *, cited, claims, user, name):
    """Make ``claims`` the claims supporting ``point`` (``cited`` until now), recording
    the change in its history; return True if anything changed."""
    wanted = set(claims)
    added, dropped = wanted - cited, cited - wanted
    if any(claim.withdrawn_at for claim in added):
        refuse_part(name, "supporting_claims", _("A withdrawn claim cannot support a route point."))
    if not added and not dropped:
        return False
    point._history_user = user
    point._change_reason = "supporting claims changed" if cited else "supporting claims cited"
    if added and dropped:
        # Two steps, one history record: the one after both, listing the claims as they end.
        point.skip_history_when_saving = True
        point.supporting_claims.remove(*dropped)
        del point.skip_history_when_saving
        point.supporting_claims.add(*added)
    elif added:
        point.supporting_claims.add(*added)
    else:
        point.supporting_claims.remove(*dropped)
    return True


# Links between incidents.


def links_of(incident):
    """The links in which ``incident`` is the origin or the destination of the goods."""
    return IncidentLink.objects.filter(Q(origin=incident) | Q(destination=incident))


def save_links(*, incident, user, links):
    """Make ``links`` (LinkSubmissions) the links of ``incident``, whichever end it is.

    Links not in ``links`` are removed (editors only), except links to incidents ``user``
    may not see (another journalist's draft), which a form could not show them: those stay
    as they are. A new link must be to an incident ``user`` may see in the pages and that
    is not withdrawn. The other incidents' ``updated_at``
    moves, since partners see the link from both ends. Return the Changes. Raise
    SubmissionError naming "links.N" for a refused link.
    """
    stored = {
        (link.origin_id, link.destination_id): link
        for link in links_of(incident).select_for_update()
    }
    wanted, seen = {}, set()
    for index, submission in enumerate(links):
        name = f"links.{index}"
        other = submission.incident
        if other.pk == incident.pk:
            refuse_part(name, "incident", _("An incident cannot be linked to itself."))
        if other.pk in seen:
            refuse_part(name, "incident", _("This incident is linked twice: keep one link."))
        seen.add(other.pk)
        if submission.role not in LinkRole.values:
            refuse_part(name, "role", _("Unknown role %(role)r.") % {"role": submission.role})
        outgoing = submission.role == LinkRole.DESTINATION
        key = (incident.pk, other.pk) if outgoing else (other.pk, incident.pk)
        if key not in stored:
            _check_new_link(other, user=user, name=name)
        wanted[key] = (index, submission.kind)

    changes = Changes()
    others = {pk for key in stored for pk in key if pk != incident.pk}
    visible = set(
        Incident.objects.filter(rules.visible_to_staff(user), pk__in=others).values_list(
            "pk", flat=True
        )
    )
    changes.removed = _remove(
        [
            link
            for key, link in stored.items()
            if key not in wanted and ({*key} - {incident.pk}) <= visible
        ],
        user=user,
        permission="incidents.delete_incidentlink",
        refusal=_("Only editors may remove links between incidents."),
    )
    for (origin_id, destination_id), (index, kind) in wanted.items():
        link = stored.get((origin_id, destination_id))
        if link is not None and link.kind == kind:
            continue
        if link is None:
            link = IncidentLink(origin_id=origin_id, destination_id=destination_id)
            changes.added += 1
        else:
            changes.changed += 1
        link.kind = kind
        run_part(f"links.{index}", link.full_clean)
        link._history_user = user
        link._change_reason = "added" if link.pk is None else "edited"
        link.save()
    if changes.added or changes.changed or changes.removed:
        others = {pk for key in [*stored, *wanted] for pk in key if pk != incident.pk}
        Incident.objects.filter(pk__in=others).mark_changed()
    return changes


def _check_new_link(other, *, user, name):
    if not Incident.objects.filter(rules.visible_to_staff(user), pk=other.pk).exists():
        refuse_part(name, "incident", _("There is no such incident that you may see."))
    if other.status == IncidentStatus.WITHDRAWN:
        refuse_part(name, "incident", _("A withdrawn incident cannot be linked."))


def mark_linked_changed(incident):
    """Move the ``updated_at`` of the incidents linked to ``incident``: they show the link
    to partners only while ``incident`` is published, so publishing or withdrawing it
    changes them too."""
    linked = links_of(incident).values_list("origin_id", "destination_id")
    others = {pk for pair in linked for pk in pair if pk != incident.pk}
    if others:
        Incident.objects.filter(pk__in=others).mark_changed()


# Merging duplicates.


def copy_to_survivor(*, survivor, duplicate, editor):
    """Copy what the duplicate says about where the goods went to the incident it is
    merged into: its links (but to the survivor itself or twice), and its route when the
    survivor has none (with the claims that moved along). The duplicate keeps its own, on
    record with it."""
    reason = history_reason(f"copied from merged incident “{duplicate.title}”")
    if not survivor.route_points.exists():
        for point in duplicate.route_points.prefetch_related("supporting_claims"):
            copy = RoutePoint(
                incident=survivor,
                position=point.position,
                place_id=point.place_id,
                date_from=point.date_from,
                date_to=point.date_to,
                note=point.note,
            )
            _record(copy, user=editor, reason=reason)
            moved = [
                claim for claim in point.supporting_claims.all() if claim.incident_id == survivor.pk
            ]
            if moved:
                copy._change_reason = reason
                copy.supporting_claims.add(*moved)
    linked = {
        frozenset(pair) for pair in links_of(survivor).values_list("origin_id", "destination_id")
    }
    for link in links_of(duplicate):
        origin_id = survivor.pk if link.origin_id == duplicate.pk else link.origin_id
        destination_id = survivor.pk if link.destination_id == duplicate.pk else link.destination_id
        pair = frozenset((origin_id, destination_id))
        if origin_id == destination_id or pair in linked:
            continue
        linked.add(pair)
        copy = IncidentLink(origin_id=origin_id, destination_id=destination_id, kind=link.kind)
        copy._history_user = editor
        copy._change_reason = reason
        copy.save()
