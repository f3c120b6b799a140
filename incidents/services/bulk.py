"""Logging many new incidents at once: what an import's new records go through.

``log_incidents`` keeps every rule of log_incident for each incident (the permission, a
submitted incident stands on claims, each row validated as ``full_clean`` validates it,
one history record per incident, item and claim naming who and why, claims unverified
through claims.services.create_claims, the stored summaries, search documents and listed
counts brought up to date) but does per batch what log_incident does per row: the
foreign keys and unique ids are checked in one query each, rows and their history are
inserted in a few statements, and the summaries, search documents and the counts per
place, week and cell (incidents.listed_counts) brought up to date in one statement each. The
database's own constraints are the last word on each row: if it refuses one that these
checks let through, the row is found with the one-row checks and named.

It takes saved places and actors (an import creates the new ones first, through
create_place and create_actor) and no route or links (an import brings none).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.services.bulk import NewClaim, create_claims
from incidents import fulltext, listed_counts, rules
from incidents.models import Actor, Incident, IncidentItem, IncidentStatus, Place
from incidents.services.recording import ClaimSubmission
from lootwatch.batches import BatchRefusal, FieldChecks, refuse_duplicates, refuse_missing, refusing
from lootwatch.copying import BulkWriter
from lootwatch.planner import note_inserted
from lootwatch.versioning import history_reason

BATCH = 1000


@dataclass(frozen=True)
class IncidentSubmission:
    """One incident for log_incidents: ``incident`` unsaved with its fields set, at
    ``place`` (saved), with ``actors`` (saved), ``items`` (unsaved IncidentItems) and
    ``claims`` (ClaimSubmissions, as for log_incident). ``reason`` is the history's reason
    for the incident and its claims (an import names its file and line)."""

    incident: Incident
    place: Place | None
    actors: Sequence[Actor] = ()
    items: Sequence[IncidentItem] = ()
    claims: Sequence[ClaimSubmission] = field(default_factory=tuple)
    reason: str | None = None


@transaction.atomic
def log_incidents(*, logged_by, submissions: Sequence[IncidentSubmission], submit=False):
    """Log these new incidents with their items and claims, all of them or none, and return
    the incidents; with ``submit`` they go to the editors' review queue, otherwise they are
    drafts (as log_incident).

    Raise PermissionDenied for a user who may not log incidents or add claims, and a
    BatchRefusal for anything refused: its ``index`` is the submission's position and its
    ``part`` names the refused part as log_incident's SubmissionError would ("items.1",
    "claims.0"), "" for the incident itself. Nothing is written then.
    """
    rules.require(logged_by, "incidents.add_incident", _("You are not allowed to log incidents."))
    now = timezone.now()
    incidents, items, alleged = [], [], []
    # Each row's full_clean, each distinct value once (see FieldChecks).
    incident_checks = FieldChecks(Incident, exclude=["place", "created_by", "merged_into"])
    item_checks = FieldChecks(IncidentItem, exclude=["incident", "category"])
    for index, submission in enumerate(submissions):
        incident = submission.incident
        with refusing(index):
            if submit and not submission.claims:
                raise ValidationError(
                    _("Add at least one claim before submitting: nothing goes unsourced.")
                )
            if submission.place is None or submission.place.pk is None:
                raise ValidationError({"place": _("Pick a place, or describe a new one.")})
            incident.place = submission.place
            incident.created_by = logged_by
            incident.status = IncidentStatus.SUBMITTED if submit else IncidentStatus.DRAFT
            incident.submitted_at = now if submit else None
            incident_checks.full_clean(incident)
        incident._history_user = logged_by
        incident._change_reason = history_reason(
            submission.reason
            or ("logged and submitted for review" if submit else "logged as a draft")
        )
        incidents.append(incident)
        for number, item in enumerate(submission.items):
            with refusing(index, f"items.{number}"):
                item_checks.full_clean(item)
            item._history_user = logged_by
            item._change_reason = "added"
            items.append((index, number, item))
        alleged += [(index, actor) for actor in submission.actors]
    refuse_duplicates(Incident, incidents)
    refuse_missing(Incident, incidents, "place")
    refuse_missing(Incident, incidents, "created_by")
    _refuse_unknown(submissions, items, alleged)
    writer = BulkWriter()
    try:
        with transaction.atomic(), fulltext.silenced():
            writer.assign_ids(Incident, incidents)
            with listed_counts.silenced():
                writer.write(Incident, incidents, with_ids=True)
            listed_counts.count_new(incident.pk for incident in incidents)
            writer.write_history(Incident, incidents)
            Alleged = Incident.actors.through
            writer.write(
                Alleged,
                [Alleged(incident_id=incidents[i].pk, actor_id=a.pk) for i, a in alleged],
                with_ids=False,
            )
            rows = [item for __, __, item in items]
            for index, __, item in items:
                item.incident = incidents[index]
            writer.assign_ids(IncidentItem, rows)
            writer.write(IncidentItem, rows, with_ids=True)
            writer.write_history(IncidentItem, rows)
            note_inserted(Incident, len(incidents))
            _create_claims(submissions, logged_by)
    except IntegrityError:
        _name_refused(incidents, items)
        raise
    fulltext.refresh(incident.pk for incident in incidents)
    return incidents


def _refuse_unknown(submissions, items, alleged):
    """The items' categories and the actors exist (full_clean's and the many-to-many
    manager's questions, one query each)."""
    rows = [item for __, __, item in items]
    for position, item in enumerate(rows):
        if item.category_id is None:
            index, number, __ = items[position]
            error = ValidationError(
                {"category": item._meta.get_field("category").error_messages["null"]}
            )
            raise BatchRefusal(error, index=index, part=f"items.{number}")
    try:
        refuse_missing(IncidentItem, rows, "category")
    except BatchRefusal as refusal:
        index, number, __ = items[refusal.index]
        raise BatchRefusal(refusal, index=index, part=f"items.{number}") from refusal
    wanted = {actor.pk for __, actor in alleged}
    known = set(Actor.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for index, actor in alleged:
        if actor.pk not in known:
            raise BatchRefusal(
                ValidationError({"actors": _("Pick alleged actors that exist.")}), index=index
            )


def _create_claims(submissions, logged_by):
    """The claims of every submission, through create_claims; a relay by position (as for
    log_incident) is the earlier claim of the same incident."""
    new, where = [], []
    for index, submission in enumerate(submissions):
        incident = submission.incident
        saved = []
        for number, claim_submission in enumerate(submission.claims):
            claim = claim_submission.claim
            claim.incident = incident
            via = claim_submission.reported_via
            if via is not None:
                if not 0 <= via < number:
                    raise BatchRefusal(
                        ValidationError({"reported_via": _("Pick an earlier claim of this form.")}),
                        index=index,
                        part=f"claims.{number}",
                    )
                claim.reported_via = saved[via]
            saved.append(claim)
            new.append(
                NewClaim(
                    claim=claim,
                    reason=submission.reason or "added",
                    new_source=claim_submission.new_source,
                    evidence=claim_submission.evidence,
                )
            )
            where.append((index, f"claims.{number}"))
    try:
        # Its incidents are the batch's own, inserted a moment ago: none holds a claim.
        create_claims(claims=new, submitted_by=logged_by, new_incidents=True)
    except BatchRefusal as refusal:
        index, part = where[refusal.index]
        raise BatchRefusal(refusal, index=index, part=part) from refusal


def _name_refused(incidents, items):
    """The database refused a row the checks above let through: find it with full_clean's
    own constraint checks and raise its refusal (the caller re-raises the IntegrityError if
    none is found)."""
    for index, incident in enumerate(incidents):
        incident.pk = None
        try:
            incident.validate_constraints(exclude=["merged_into"])
        except ValidationError as error:
            raise BatchRefusal(error, index=index) from error
    for index, number, item in items:
        item.pk = None
        try:
            item.validate_constraints(exclude=["incident"])
        except ValidationError as error:
            raise BatchRefusal(error, index=index, part=f"items.{number}") from error
