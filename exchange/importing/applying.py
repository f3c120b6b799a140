"""Writing one record of an import through the use-case services: a new incident through
log_incident (submitted for review, its claims unverified), a known one (by its UUID)
through edit_incident, update_claim and create_claim, each audited with the reason
"imported from FILE, line N"; with ``keep_review_state``, each claim's status through
review_claim with that note. A record identical to what is stored writes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from claims import services as claim_services
from claims.models import ClaimStatus
from exchange.importing.claim_reading import ClaimReading
from exchange.importing.compare import claim_unchanged, incident_unchanged
from exchange.importing.duplicates import DuplicateCheck
from exchange.importing.outcomes import Outcome, RecordFailed, SkippedDuplicate
from exchange.importing.reading import LineError
from exchange.importing.values import (
    Problems,
    check_claim_shape,
    check_shape,
    line_errors,
    read_date,
    read_item,
    read_uuid,
    relays_first,
)
from incidents import services as incident_services
from incidents.models import Incident
from incidents.services import ClaimSubmission, SubmissionError
from incidents.services.bulk import IncidentSubmission

# What the services set on a claim (its incident, who submitted it, its relay).
CLEAN_LATER = ["incident", "submitted_by", "reported_via", "assigned_to"]


class Importer(ClaimReading):
    """Applies records one by one; remembers the claims it wrote, for ``reported_via``."""

    def __init__(
        self, *, user, file_name, references, keep_review_state, skip_duplicates, file_claims=()
    ):
        self.user = user
        self.file_name = file_name
        self.refs = references
        self.keep_review_state = keep_review_state
        self.skip_duplicates = skip_duplicates
        self.claims = {}
        self.check = DuplicateCheck(user=user)
        self.file_claims = set(file_claims)  # every claim id in the file
        self.later = []  # (claim, relay id, line): relays further down (relays.link_later)
        self.duplicates = []

    # Ids read for the whole file at once (relays.held); None: not read, ask each time.
    held_incidents = held_claims = None
    incident = None  # the incident the last record wrote (or found unchanged)
    # The claim ids the file's reported_via name (lowercase): only those claims are kept
    # in ``claims`` (at 100,000 incidents, keeping every claim costs gigabytes).
    relays = None

    @staticmethod
    def _held(known, public_id):
        return known is None or str(public_id) in known

    def reason(self, line):
        return f"imported from {self.file_name}, line {line}"

    # Batches of new incidents (exchange.importing.batching); None: each record alone.
    batches = None

    def apply(self, record, *, bulk=False, checked=False):
        """Write ``record`` (with ``bulk``, hold it for the next batch); return its Outcome.
        ``checked``: its duplicates were listed already. Raise RecordFailed or
        SkippedDuplicate."""
        mark = len(self.later)
        try:
            return self._apply(record, bulk=bulk, checked=checked)
        except (RecordFailed, SkippedDuplicate):
            del self.later[mark:]
            raise

    def _apply(self, record, *, bulk, checked):
        data, line = record.data, record.line
        errors, existing = [], None
        try:
            check_shape(data)
        except ValidationError as error:
            raise RecordFailed(line_errors(error, line)) from error
        try:
            incident_id = read_uuid(data.get("id"), "id")
            existing = (
                Incident.objects.select_related("place").filter(public_id=incident_id).first()
                if incident_id and self._held(self.held_incidents, incident_id)
                else None
            )
            fields, place, actors, items = self._incident_parts(data, existing)
        except (ValidationError, PermissionDenied) as error:
            errors += line_errors(error, line)
        claims = []
        for index, claim_data in enumerate(data.get("claims") or []):
            claim_line = record.claim_lines[index]
            try:
                check_claim_shape(claim_data)
                claim = self._claim(claim_data, existing)
                # Each claim checked here, so every bad line is reported (every bad field
                # of it): the services stop at a record's first bad claim.
                # Its source comes from self.refs: no need to read it again. In a batch,
                # log_incidents validates it (if it refuses, the batch is applied again
                # one by one, with this check).
                with claim._problems.part():
                    if not bulk:
                        claim.full_clean(exclude=[*CLEAN_LATER, "source"], validate_unique=False)
                claim._problems.raise_any()
                claims.append(claim)
            except (ValidationError, PermissionDenied) as error:
                errors += line_errors(error, claim_line)
        if errors and bulk:
            # Read again with every check, so that each of its claims' bad fields is named.
            return self._apply(record, bulk=False, checked=checked)
        if errors:
            raise RecordFailed(errors)
        try:
            order = relays_first(data.get("claims") or [])
        except ValidationError as error:
            raise RecordFailed(line_errors(error, line)) from error
        if existing is None:
            parts = (incident_id, fields, place, actors, items, claims, order)
            return self._log(record, *parts, bulk=bulk, checked=checked)
        return self._update(record, existing, fields, place, actors, items, claims, order)

    def _incident_parts(self, data, existing):
        """The incident's fields, place, actors and items as the record gives them. For a
        stored incident only what the record contains: an absent key (or CSV column) is
        None (actors, items) or missing from ``fields``, and the stored value stays."""
        staff = data.get("staff") or {}
        if existing is None:
            data = {
                "title": "",
                "occurred_from": None,
                "summary": "",
                "occurred_to": data.get("occurred_from"),
                "date_precision": "range",
                "actors": [],
                "items": [],
                **data,
            }
        readers = {
            "title": lambda value: (value or "").strip(),
            "summary": lambda value: value or "",
            "occurred_from": lambda value: read_date(value, "occurred_from"),
            # No end given: the incident ended the day it began (as the log form has it).
            "occurred_to": lambda value: (
                None if value in (None, "") else read_date(value, "occurred_to")
            ),
            "date_precision": lambda value: value or "range",
        }
        problems = Problems()
        fields = {}
        for name, read in readers.items():
            if name in data:
                with problems.part(name):
                    fields[name] = read(data.get(name))
        start = fields.get("occurred_from", getattr(existing, "occurred_from", None))
        if "occurred_to" in fields and fields["occurred_to"] is None:
            fields["occurred_to"] = start
        end = fields.get("occurred_to", getattr(existing, "occurred_to", None))
        if start and end and end < start and "occurred_to" in fields:
            problems.add(ValidationError({"occurred_to": "before occurred_from."}))
        if "internal_notes" in staff:
            fields["internal_notes"] = staff["internal_notes"] or ""
        place = None
        if existing is not None and "place" not in data:
            place = existing.place
        elif not isinstance(data.get("place"), dict):
            problems.add(ValidationError({"place": "Give the place."}))
        else:
            with problems.part("place"):
                place = self.refs.place(
                    data["place"],
                    staff=staff.get("place"),
                    current=existing.place if existing is not None else None,
                )
        actors = None
        if "actors" in data:
            actors = []
            for actor in data.get("actors") or []:
                with problems.part("actors"):
                    actors.append(self.refs.actor(actor))
        items = (
            None
            if "items" not in data
            else [read_item(i, self.refs.category, problems) for i in data["items"] or []]
        )
        problems.raise_any()
        return fields, place, actors, items

    def _relay(self, claim, line):
        if claim._relay_id is None:
            return None
        relay = self.claims.get(claim._relay_id)
        if relay is None and claim._relay_id in self.file_claims:
            self.later.append((claim, claim._relay_id, line))  # linked after the file
            return None
        if relay is None:
            raise RecordFailed([LineError(line, "reported_via", "No claim has this id.")])
        return relay

    def _duplicates(self, found, *, left_out=""):
        """List ``found`` (LineErrors) as possible duplicates; return True if they are to be
        left out (--skip-duplicates)."""
        skip = bool(found) and self.skip_duplicates
        for error in found:
            text = f"{error.reason}{left_out if skip else ''}"
            self.duplicates.append(LineError(error.line, error.field, text))
        return skip

    def _log(self, record, incident_id, fields, place, actors, items, claims, order, **how):
        mark = len(self.later)
        found = (
            []
            if how["checked"]
            else self.check.found(record.line, claims, fields=fields, place=place)
        )
        if self._duplicates(found):
            raise SkippedDuplicate()
        incident = Incident(**fields)
        if incident_id:
            incident.public_id = incident_id
        position = {}
        submissions = []
        for index in order:
            claim = claims[index]
            relay = claim._relay_id
            via = position.get(relay)
            if via is None:
                claim.reported_via = self._relay(claim, record.claim_lines[index])
            position[str(claim.public_id)] = len(submissions)
            submissions.append(ClaimSubmission(claim=claim, reported_via=via))
        if how["bulk"]:
            incident.place = place
            self.batches.hold(
                record,
                mark,
                IncidentSubmission(
                    incident=incident,
                    place=place,
                    actors=actors,
                    items=items,
                    claims=submissions,
                    reason=self.reason(record.line),
                ),
            )
        else:
            self._log_now(record, incident, place, actors, items, submissions, order)
        if not how["checked"]:
            self.check.remember(record.line, incident, claims, new=True)
        self.incident = incident
        for index in order:
            self._settle(claims[index], record.claim_lines[index], bulk=how["bulk"])
        return Outcome.NEW

    def _log_now(self, record, incident, place, actors, items, submissions, order):
        try:
            incident_services.log_incident(
                logged_by=self.user,
                incident=incident,
                place=place,
                actors=actors,
                items=items,
                claims=submissions,
                submit=True,
                reason=self.reason(record.line),
            )
        except SubmissionError as error:
            part, _, number = error.part.partition(".")
            if part == "claims":
                line = record.claim_lines[order[int(number)]]
                raise RecordFailed(line_errors(error, line)) from error
            raise RecordFailed(line_errors(error, record.line, prefix=f"{part}.")) from error
        except (ValidationError, PermissionDenied) as error:
            raise RecordFailed(line_errors(error, record.line)) from error

    def _update(self, record, existing, fields, place, actors, items, claims, order):
        version = existing.version
        stored_items = list(existing.items.order_by("pk")) if items is not None else []
        changed_items = []
        for index, item in enumerate(items or ()):
            if index < len(stored_items):
                stored = stored_items[index]
                stored.category = item.category
                stored.description = item.description
                stored.quantity_min, stored.quantity_max = item.quantity_min, item.quantity_max
                item = stored
            changed_items.append(item)
        unchanged = incident_unchanged(existing, fields, place, actors, items)
        try:
            if not unchanged:
                incident_services.edit_incident(
                    incident=existing,
                    editor=self.user,
                    expected_version=version,
                    changes={**fields, "place": place},
                    actors=actors,
                    items=changed_items,
                    removed_items=stored_items[len(items) :] if items is not None else (),
                    reason=self.reason(record.line),
                )
        except (ValidationError, PermissionDenied) as error:
            raise RecordFailed(line_errors(error, record.line)) from error
        existing.refresh_from_db(fields=["version"])
        changed = existing.version != version
        kept = []
        for index in order:
            claim, line = claims[index], record.claim_lines[index]
            if claim.pk is None and self._duplicates(
                self.check.found(line, [claim], incident=existing), left_out=" (left out)"
            ):
                continue
            kept.append(claim)
            if not claim._keep_relay:
                claim.reported_via = self._relay(claim, line)
            try:
                if claim.pk is None:
                    claim.incident = existing
                    claim_services.create_claim(
                        claim=claim, submitted_by=self.user, reason=self.reason(line)
                    )
                    changed = True
                elif not claim_unchanged(claim):
                    before = claim.version
                    claim_services.update_claim(
                        claim=claim,
                        editor=self.user,
                        expected_version=before,
                        fields=claim._fields,
                        reason=self.reason(line),
                    )
                    changed |= claim.version != before
            except (ValidationError, PermissionDenied) as error:
                raise RecordFailed(line_errors(error, line)) from error
            changed |= self._settle(claim, line)
        self.check.remember(record.line, existing, kept, new=False)
        self.incident = existing
        return Outcome.UPDATED if changed else Outcome.UNCHANGED

    def _settle(self, claim, line, bulk=False):
        """Remember the claim; with keep_review_state, review it to its file's status (with
        ``bulk``, with the batch). Return True if a review was written."""
        if self.relays is None or str(claim.public_id).lower() in self.relays:
            self.claims[str(claim.public_id)] = claim
        status, dispute_reason = claim._wanted
        if not self.keep_review_state or claim.status == status:
            return False
        if bulk:
            self.batches.decide(claim, line)
            return True
        try:
            claim_services.review_claim(
                claim=claim,
                reviewer=self.user,
                to_status=status,
                note=self.reason(line),
                dispute_reason=dispute_reason if status == ClaimStatus.DISPUTED else None,
            )
        except (ValidationError, PermissionDenied) as error:
            raise RecordFailed(line_errors(error, line, prefix="status.")) from error
        claim.refresh_from_db()
        return True
