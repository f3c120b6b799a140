"""Adding many new claims at once: the claims of the incidents an import logs together
(incidents.services.log_incidents).

``create_claims`` keeps every rule of create_claim: the permission, claims only on
incidents that take them, each claim validated as ``full_clean`` validates it, submitted
unverified, one history record each naming who and why, the incidents' ``updated_at``
moved and their summaries recomputed. What it does per batch instead of per row: the
foreign keys and unique ids are checked in one query each, the rows and their history are
inserted in a few statements, and the summaries recomputed in one. The database's own
constraints are the last word on each row: if it refuses one that these checks let
through, the row is found with the one-row checks and named.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimStatus, Source, new_public_code
from claims.same_source import clean_name, existing_source, known_sources
from claims.services.evidence import attach_evidence
from claims.services.recording import RELATIONS as SOURCE_RELATIONS
from claims.services.recording import create_source, prepare_source, refuse_known
from claims.services.summaries import refresh_summaries
from incidents import rules as incident_rules
from incidents.models import Incident
from lootwatch.batches import BatchRefusal, FieldChecks, refuse_duplicates, refuse_missing, refusing
from lootwatch.copying import BulkWriter
from lootwatch.planner import note_inserted
from lootwatch.versioning import history_reason

BATCH = 1000
# Checked per batch (refuse_missing), not per row by full_clean.
RELATIONS = ("incident", "source", "submitted_by", "reported_via", "assigned_to")


@dataclass(frozen=True)
class NewClaim:
    """One claim for create_claims: ``claim`` unsaved, its incident (saved) and fields set;
    ``new_source`` and ``evidence`` as for create_claim; ``reason`` the history's."""

    claim: Claim
    reason: str = "added"
    new_source: Source | None = None
    evidence: Sequence = field(default_factory=tuple)


@transaction.atomic
def create_claims(*, claims: Sequence[NewClaim], submitted_by, new_incidents=False):
    """Attach these new claims to their incidents, all of them or none; return the claims.

    A claim's ``reported_via`` may be another claim of the batch (unsaved): it is written
    first. ``new_incidents``: the claims' incidents were all inserted by the caller's
    transaction just before (log_incidents), so no claim is stored on them to ask about.
    Raise PermissionDenied for a user who may not add claims, and a BatchRefusal
    naming the refused claim's position otherwise; nothing is written then.
    """
    incident_rules.require(
        submitted_by, "claims.add_claim", _("You are not allowed to add claims.")
    )
    rows = [new.claim for new in claims]
    takes_claims = {}
    # Each claim's full_clean, each distinct value once (see FieldChecks).
    checks = FieldChecks(Claim, exclude=RELATIONS)
    for index, new in enumerate(claims):
        claim = new.claim
        with refusing(index):
            incident = claim.incident
            if incident.pk not in takes_claims:
                takes_claims[incident.pk] = incident_rules.can_add_claims(submitted_by, incident)
            if not takes_claims[incident.pk]:
                raise ValidationError(_("Claims cannot be added to a withdrawn incident."))
            if new.new_source is not None:
                new.new_source.name = clean_name(new.new_source.name)
                claim.source = existing_source(new.new_source) or create_source(
                    source=new.new_source, created_by=submitted_by
                )
            claim.submitted_by = submitted_by
            claim.status = ClaimStatus.UNVERIFIED
            checks.full_clean(claim)
            claim._history_user = submitted_by
            claim._change_reason = history_reason(new.reason)
    _check_together(rows, stored=not new_incidents)
    try:
        with transaction.atomic():
            _write(rows)
    except IntegrityError:
        _name_refused(rows)
        raise
    note_inserted(Claim, len(rows))
    for index, new in enumerate(claims):
        for file, kind in new.evidence:
            try:
                attach_evidence(claim=new.claim, file=file, uploaded_by=submitted_by, kind=kind)
            except ValidationError as error:
                refused = ValidationError({"evidence": error.messages})
                raise BatchRefusal(refused, index=index) from error
    incident_ids = {claim.incident_id for claim in rows}
    if not new_incidents:  # else they were stamped as they were inserted, a moment ago
        Incident.objects.filter(pk__in=incident_ids).mark_changed()
    refresh_summaries(incident_ids)
    return rows


def _check_together(rows, stored=True):
    """What full_clean asks the database about each claim, asked once for the batch: its
    relations exist, its id is new, its URL is not already a claim of its incident (of
    the batch; with ``stored``, of those stored too)."""
    refuse_duplicates(Claim, rows)
    for relation in RELATIONS:
        # A relay of the same batch is unsaved (no id yet): it is written first.
        refuse_missing(Claim, rows, relation)
    constraint = next(
        c for c in Claim._meta.constraints if c.name == "claims_claim_url_unique_per_incident"
    )
    seen = {}
    for index, claim in enumerate(rows):
        if claim.url:
            key = (claim.incident_id, claim.url)
            if key in seen:
                raise BatchRefusal(
                    ValidationError(constraint.get_violation_error_message()), index=index
                )
            seen[key] = index
    if not stored:
        return
    held = Claim.objects.filter(
        incident__in={key[0] for key in seen}, url__in={key[1] for key in seen}
    ).values_list("incident_id", "url")
    for key in held:
        if key in seen:
            raise BatchRefusal(
                ValidationError(constraint.get_violation_error_message()), index=seen[key]
            )


def _write(rows):
    """Insert the claims and their history, a COPY each, in the order given (each relay
    before the claims it relays, as log_incident writes them). Their ids are drawn first,
    so a claim relayed by another of the batch refers to it at once (the foreign keys are
    checked at commit)."""
    writer = BulkWriter()
    writer.assign_ids(Claim, rows)
    writer.write(Claim, rows, with_ids=True)
    writer.write_history(Claim, rows)


def _name_refused(rows):
    """The database refused a row the checks above let through: find it with full_clean's
    own constraint checks and raise its refusal (the caller re-raises the IntegrityError
    if none is found)."""
    for index, claim in enumerate(rows):
        claim.pk = None
        try:
            claim.validate_constraints()
        except ValidationError as error:
            raise BatchRefusal(error, index=index) from error


@transaction.atomic
def create_sources(*, sources: Sequence[Source], created_by):
    """create_source for many new sources at once (an import's, one batch of its lines):
    all of them or none; return them.

    Its rules for each source (the permission, asked once; the name tidied, a witness
    protected, each field's and the model's own checks; a source already known, or named
    by an earlier one of the batch, refused), but one query for the known sources, one
    for the public codes taken (drawn again until free), and a COPY each for the rows and
    their history. The check constraints are the database's to refuse (an import then
    applies its lines again one at a time through create_source, which names the line).
    A source may have its id already (BulkWriter.reserve_ids), and its ``organisation``
    may be another of the batch. Raise a BatchRefusal naming the refused position.
    """
    incident_rules.require(
        created_by, "claims.add_source", _("You are not allowed to add sources.")
    )
    for source in sources:
        prepare_source(source, created_by)
    candidates = known_sources(source.name for source in sources)
    for index, source in enumerate(sources):
        with refusing(index):
            refuse_known(source, existing_source(source, candidates))
            source.full_clean(
                exclude=SOURCE_RELATIONS, validate_unique=False, validate_constraints=False
            )
        candidates.append(source)
        source._history_user = created_by
        source._change_reason = "added"
    # Each relation held, or (an organisation) one of the batch: one query each.
    ids = {source.pk for source in sources} - {None}
    for relation in SOURCE_RELATIONS:
        outside = [
            (index, source)
            for index, source in enumerate(sources)
            if getattr(source, f"{relation}_id") not in ids
        ]
        try:
            refuse_missing(Source, [source for __, source in outside], relation)
        except BatchRefusal as refusal:
            raise BatchRefusal(refusal, index=outside[refusal.index][0]) from refusal
    _draw_free_codes(sources)
    writer = BulkWriter()
    writer.assign_ids(Source, [source for source in sources if source.pk is None])
    writer.write(Source, sources, with_ids=True)
    writer.write_history(Source, sources)
    return sources


def _draw_free_codes(sources):
    """Give each source a public code no other source holds (as create_source does, one
    query a round rather than one a source): a code given is kept if still free."""
    waiting = list(sources)
    taken = set()
    while waiting:
        for source in waiting:
            if not source.public_code or source.public_code in taken:
                source.public_code = new_public_code()
        codes = [source.public_code for source in waiting]
        held = set(
            Source.objects.filter(public_code__in=codes).values_list("public_code", flat=True)
        )
        retry = []
        for source in waiting:
            if source.public_code in held or source.public_code in taken:
                retry.append(source)
            else:
                taken.add(source.public_code)
        taken |= held
        waiting = retry
