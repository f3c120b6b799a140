"""Reading one claim of an import's record into an unsaved (or changed, not saved) Claim:
its source, what was said, when and how, its translator and links, its relay and the
status the file gives it (applied by exchange.importing.applying.Importer)."""

from django.core.exceptions import ValidationError

from claims import rules as claim_rules
from claims.models import STATED_FIELDS, Claim, ClaimStatus, DisputeReason
from exchange.importing.compare import claim_values
from exchange.importing.resolving import translator
from exchange.importing.values import Problems, read_moment, read_uuid

CLAIM_FIELDS = (*STATED_FIELDS, "reported_via")
# Asked for every claim of a file: a Choices' ``values`` is a new list each time.
STATUSES = frozenset(ClaimStatus.values)
DISPUTE_REASONS = frozenset(DisputeReason.values)


class ClaimReading:
    """The Importer's reading of claims (it holds ``refs``, ``claims``, ``held_claims``
    and ``keep_review_state``)."""

    def _claim(self, given, existing_incident):
        """An unsaved (or changed, not saved) Claim for ``given``, and its wanted status."""
        staff = given.get("staff") or {}
        problems = Problems()
        claim_id = read_uuid(given.get("id"), "claim_id")
        stored = (
            Claim.objects.select_related("source").filter(public_id=claim_id).first()
            if claim_id and self._held(self.held_claims, claim_id)
            else None
        )
        if stored is not None and (
            existing_incident is None or stored.incident_id != existing_incident.pk
        ):
            raise ValidationError({"claim_id": "This claim belongs to another incident."})
        claim = stored or (Claim(public_id=claim_id) if claim_id else Claim())
        if stored is not None:
            claim._before = claim_values(stored)
        claim._fields = CLAIM_FIELDS
        # A stored claim changes only in what the record contains (absent keys stay).
        has = (lambda name: True) if stored is None else (lambda name: name in given)
        if has("source"):
            if not isinstance(given.get("source"), dict):
                problems.add(ValidationError({"source": "Give the claim's source."}))
            else:
                with problems.part("source"):
                    claim.source = self.refs.source(given["source"], staff=staff.get("source"))
        # What the source said, when and how: the claim's content (update_claim's fields).
        content = {
            "medium": ("medium", lambda value: value or ""),
            "published_at": ("published_at", lambda value: read_moment(value, "published_at")),
            "language": ("language", lambda value: value or ""),
            "original_text": ("text", lambda value: value or ""),
            "translation": ("translation", lambda value: value or ""),
        }
        for name, (key, read) in content.items():
            if has(key):
                with problems.part(key):
                    setattr(claim, name, read(given.get(key)))
        if has("translated_by") or "translator_kind" in staff:
            translated_by, kind = translator(given, staff)
            if stored is None or staff or translated_by != claim_rules.translator_for(None, stored):
                claim.translated_by, claim.translator_kind = translated_by, kind
        if has("url") or has("archived_url") or "url" in staff or "archived_url" in staff:
            urls = (
                (
                    staff.get("url", claim.url if stored else ""),
                    staff.get("archived_url", claim.archived_url if stored else ""),
                )
                if staff
                else (
                    given.get("url") or "" if has("url") else claim.url,
                    given.get("archived_url") or "" if has("archived_url") else claim.archived_url,
                )
            )
            # A partner's file withholds a protected source's links: keep the stored ones.
            if stored is None or staff or urls != claim_rules.claim_urls_for(None, stored):
                claim.url, claim.archived_url = urls
        if "internal_notes" in staff:
            claim.internal_notes = staff["internal_notes"] or ""
            claim._fields = (*CLAIM_FIELDS, "internal_notes")
        relay = None
        with problems.part("reported_via"):
            relay = read_uuid(given.get("reported_via"), "reported_via")
        claim._relay_id = relay
        claim._keep_relay = not has("reported_via")
        if relay and relay not in self.claims and self._held(self.held_claims, relay):
            found = Claim.objects.filter(public_id=relay).first()
            if found is not None:
                self.claims[relay] = found
        status = (
            given.get("status") or ClaimStatus.UNVERIFIED
            if has("status")
            else claim.status or ClaimStatus.UNVERIFIED
        )
        if status not in STATUSES:
            problems.add(ValidationError({"status": f"Unknown status {status!r}."}))
        reason = given.get("dispute_reason") or ""
        if reason and reason not in DISPUTE_REASONS:
            problems.add(ValidationError({"dispute_reason": f"Unknown dispute reason {reason!r}."}))
        if self.keep_review_state and status == ClaimStatus.DISPUTED and not reason:
            problems.add(
                ValidationError(
                    {
                        "dispute_reason": "A disputed claim needs its dispute_reason (one of "
                        f"{', '.join(DisputeReason.values)})."
                    }
                )
            )
        claim._problems = problems
        claim._wanted = (status, reason)
        claim._digests = [e.get("sha256") for e in staff.get("evidence") or () if e.get("sha256")]
        return claim
