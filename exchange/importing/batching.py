"""New incidents of an import written in batches: each record creating an incident is
checked as it is read (its line's errors, duplicates and references, as before) and held;
every BATCH records, and before any record updating a stored incident, the held ones are
written through incidents.services.log_incidents and, with ``keep_review_state``,
claims.services.review_each, a few statements a batch instead of some forty a claim.

If a batch service refuses anything (the database's constraints are the last word), the
batch is rolled back and its records are applied again one by one through log_incident
and review_claim, which name every refused line, exactly as an import without batches
would. The import is all or nothing either way.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims import services as claim_services
from claims.models import ClaimStatus
from exchange.importing.ids import canonical_uuid, is_uuid
from exchange.importing.outcomes import RecordFailed, SkippedDuplicate
from incidents.services.bulk import IncidentSubmission, log_incidents

BATCH = 500


@dataclass
class Held:
    record: object
    submission: IncidentSubmission
    claim_ids: list
    decisions: list = field(default_factory=list)


class Batches:
    """The records held for the next batch of an Importer."""

    def __init__(self, importer, size=BATCH):
        self.importer = importer
        self.size = size
        self.held = []
        self.seen = set()  # incident and claim ids of the file read so far
        self.claims_seen = set()  # claim ids (canonical) of the file read so far
        self.later_mark = 0

    def takes(self, record):
        """True if ``record`` creates an incident and claims that are neither stored nor
        named by an earlier line: a new incident for the batch (else it is applied alone,
        as before: an update, or a line whose ids repeat, which log_incident refuses)."""
        importer = self.importer
        ids = [record.data.get("id")]
        ids += [c.get("id") for c in record.data.get("claims") or () if isinstance(c, dict)]
        ids = [str(i) for i in ids if i]
        if any(not is_uuid(i) for i in ids) or len(set(ids)) != len(ids):
            return False
        known = (self.seen, importer.held_incidents, importer.held_claims)
        if importer.held_incidents is None or importer.held_claims is None:
            return False
        return not any(i in ids_of for i in ids for ids_of in known)

    def note(self, record):
        """Remember the ids ``record`` names (whichever way it is applied)."""
        claims = [c for c in record.data.get("claims") or () if isinstance(c, dict)]
        self.seen.update(
            str(i) for i in [record.data.get("id"), *(c.get("id") for c in claims)] if i
        )
        self.claims_seen.update(
            canonical_uuid(c["id"]) for c in claims if c.get("id") and is_uuid(c["id"])
        )

    @property
    def full(self):
        return len(self.held) >= self.size

    def hold(self, record, mark, submission):
        """Hold a checked new incident for the batch; its claims are known to later lines
        (relays) from now on. ``mark``: how many relays further down were noted before it."""
        if not self.held:
            self.later_mark = mark
        self.held.append(
            Held(record, submission, [str(s.claim.public_id) for s in submission.claims])
        )

    def decide(self, claim, line):
        """Review ``claim`` to its file's status with the batch (keep_review_state)."""
        status, dispute_reason = claim._wanted
        self.held[-1].decisions.append(
            claim_services.Decision(
                claim=claim,
                to_status=status,
                note=self.importer.reason(line),
                dispute_reason=dispute_reason if status == ClaimStatus.DISPUTED else None,
            )
        )

    def write(self):
        """Write the held records; return (LineErrors, lines of the refused records)."""
        held, self.held = self.held, []
        if not held:
            return [], set()
        importer = self.importer
        try:
            with transaction.atomic():
                importer.refs.write_new()
                log_incidents(
                    logged_by=importer.user,
                    submissions=[h.submission for h in held],
                    submit=True,
                )
                decisions = [d for h in held for d in h.decisions]
                if decisions:
                    claim_services.review_each(
                        reviewer=importer.user, decisions=decisions, new_claims=True
                    )
            importer.refs.written()
            for h in held:
                importer.check.written_now(h.record.line, h.submission.incident)
            return [], set()
        except (ValidationError, PermissionDenied, IntegrityError):
            return self._one_by_one(held)

    def _one_by_one(self, held):
        """The batch was refused: apply its records again one by one, to name each line."""
        importer = self.importer
        importer.refs.forget_unwritten()
        importer.refs.defer = False
        del importer.later[self.later_mark :]
        for h in held:
            for claim_id in h.claim_ids:
                importer.claims.pop(claim_id, None)
        errors, refused = [], set()
        for h in held:
            importer.refs.begin()
            try:
                with transaction.atomic():
                    # Its duplicates were listed when it was read.
                    importer.apply(h.record, checked=True)
                importer.check.written_now(h.record.line, importer.incident)
            except RecordFailed as failure:
                errors += failure.errors
                refused.add(h.record.line)
                importer.refs.forget_pending()
            except SkippedDuplicate:
                refused.add(h.record.line)
        return errors, refused
