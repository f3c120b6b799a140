"""The claims app's data: sources, claims, reviews, evidence files and their chain of
custody. Who may see and change them is decided in claims.rules, never here."""

# The vocabularies live in claims.choices; they are imported here too, where callers have
# always found them.
from claims.choices import (
    CheckItem,
    CheckResult,
    ClaimStatus,
    CustodyAction,
    DisputeReason,
    EvidenceKind,
    Medium,
    SourceKind,
    TranslatorKind,
    check_field,
    checklist_values_valid,
)
from claims.models.claims import STATED_FIELDS, Claim, ClaimQuerySet, language_tag_validator
from claims.models.evidence import CustodyEvent, Evidence, EvidenceQuerySet
from claims.models.fingerprints import PerceptualHash
from claims.models.reviews import Review
from claims.models.sources import (
    PROTECTED_LABEL_PREFIX,
    WITNESS_LABEL_PREFIX,
    Source,
    new_public_code,
)

__all__ = [
    "PROTECTED_LABEL_PREFIX",
    "STATED_FIELDS",
    "WITNESS_LABEL_PREFIX",
    "CheckItem",
    "CheckResult",
    "Claim",
    "ClaimQuerySet",
    "ClaimStatus",
    "CustodyAction",
    "CustodyEvent",
    "DisputeReason",
    "Evidence",
    "EvidenceKind",
    "EvidenceQuerySet",
    "Medium",
    "PerceptualHash",
    "Review",
    "Source",
    "SourceKind",
    "TranslatorKind",
    "check_field",
    "checklist_values_valid",
    "language_tag_validator",
    "new_public_code",
]
