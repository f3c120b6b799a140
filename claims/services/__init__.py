"""Use cases on claims, their reviews, sources and evidence: one function per user action.
The admin, the pages, the API and the commands all call these; each checks permissions
itself (claims.rules), runs in one transaction and writes its own audit record."""

from claims.services.assignment import (
    keep_unverified,
    release_claim,
    release_lapsed_claims,
    take_claim,
)
from claims.services.bulk import NewClaim, create_claims, create_sources
from claims.services.evidence import (
    attach_evidence,
    backfill_perceptual_hash,
    record_custody,
)
from claims.services.recording import (
    check_new_source,
    create_claim,
    create_source,
    update_claim,
    update_source,
    withdraw_claim,
)
from claims.services.review import Decision, review_claim, review_claims, review_each

__all__ = [
    "Decision",
    "NewClaim",
    "attach_evidence",
    "backfill_perceptual_hash",
    "check_new_source",
    "create_claim",
    "create_claims",
    "create_source",
    "create_sources",
    "keep_unverified",
    "record_custody",
    "release_claim",
    "release_lapsed_claims",
    "review_claim",
    "review_claims",
    "review_each",
    "take_claim",
    "update_claim",
    "update_source",
    "withdraw_claim",
]
