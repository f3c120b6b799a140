"""Reviewing claims: an editor's decision on a claim's status, with the reason, recorded
as one immutable Review per decision. A claim's status changes nowhere else."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims import rules
from claims.models import Claim, ClaimStatus, Review
from incidents.models import Incident
from lootwatch.versioning import check_version, lock_for_update, save_audited


def _validate_review(*, reviewer, to_status, note):
    if not rules.can_review(reviewer):
        raise PermissionDenied("Only editors may verify or dispute claims.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say why: a review needs a note."})
    if to_status not in ClaimStatus.values:
        choices = ", ".join(ClaimStatus.values)
        raise ValidationError({"to_status": f"Unknown status {to_status!r}: use one of {choices}."})
    return note


def _record_review(*, locked, reviewer, to_status, note, expected_version):
    check_version(locked, expected_version)
    if locked.status == to_status:
        raise ValidationError(
            {"to_status": f"The claim is already {locked.get_status_display().lower()}."}
        )
    if locked.withdrawn_at:
        raise ValidationError("A withdrawn claim cannot be reviewed.")
    review = Review(
        claim=locked,
        reviewer=reviewer,
        from_status=locked.status,
        to_status=to_status,
        note=note,
        created_at=timezone.now(),
    )
    review.full_clean()
    review.save()
    locked.status = to_status
    locked.status_changed_at = review.created_at
    save_audited(
        locked,
        user=reviewer,
        reason=f"reviewed: {review.from_status} → {to_status}",
        update_fields=["status", "status_changed_at"],
    )
    Incident.objects.filter(pk=locked.incident_id).mark_changed()
    return review


@transaction.atomic
def review_claim(*, claim, reviewer, to_status, note, expected_version=None):
    """Set a claim's status, recording who decided, when and why; return the Review.

    Raise PermissionDenied for a user who may not review, and ValidationError for a
    missing note, an unknown or unchanged status, or a stale ``expected_version``.
    """
    note = _validate_review(reviewer=reviewer, to_status=to_status, note=note)
    locked = lock_for_update(claim)
    review = _record_review(
        locked=locked,
        reviewer=reviewer,
        to_status=to_status,
        note=note,
        expected_version=expected_version,
    )
    claim.refresh_from_db()
    return review


@transaction.atomic
def review_claims(*, claims, reviewer, to_status, note, expected_versions=None):
    """Review several claims with one note: all of them, or none if any is refused.

    ``expected_versions`` maps claim pk to the version the editor saw.
    """
    note = _validate_review(reviewer=reviewer, to_status=to_status, note=note)
    expected_versions = expected_versions or {}
    pks = sorted(claim.pk for claim in claims)
    locked_claims = Claim.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    reviews = []
    for locked in locked_claims:
        try:
            reviews.append(
                _record_review(
                    locked=locked,
                    reviewer=reviewer,
                    to_status=to_status,
                    note=note,
                    expected_version=expected_versions.get(locked.pk),
                )
            )
        except ValidationError as error:
            raise ValidationError(
                f"{locked}: {' '.join(error.messages)} Nothing was changed."
            ) from error
    return reviews
