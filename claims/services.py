"""Editorial operations on claims and their evidence. The admin, the pages and the API
all call these; each checks permissions itself and writes its own audit record."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.evidence import intake
from claims.evidence import storage as evidence_storage
from claims.evidence.derivatives import make_derivatives
from claims.models import Claim, ClaimStatus, CustodyAction, CustodyEvent, Evidence, Review
from claims.selectors import evidence_locations
from incidents.models import Incident, IncidentStatus
from incidents.services import (
    can_edit_incident,
    touch_incident,
    touch_incidents,
)
from lootwatch.versioning import check_version, history_reason, lock_for_update, save_audited


def can_review(user):
    return bool(user and user.is_active and user.has_perm("claims.review_claim"))


def _validate_review(*, reviewer, to_status, note):
    if not can_review(reviewer):
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
    touch_incident(incident_id=locked.incident_id)
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


@transaction.atomic
def create_source(*, source, created_by):
    """Save a new source (built by a form), e.g. one a journalist names while logging."""
    if not created_by.has_perm("claims.add_source"):
        raise PermissionDenied("You are not allowed to add sources.")
    source.full_clean()
    source._history_user = created_by
    source._change_reason = "added"
    source.save()
    return source


@transaction.atomic
def update_source(*, source, editor, fields):
    """Save ``fields`` already set on ``source``, with history, and move the ``updated_at``
    of every claim it made and of their incidents: partners see the source inside both.

    Plain updates of ``updated_at``, as in incidents.services.touch_incidents: it is not
    audited content, and neither the claims' nor the incidents' versions change.
    """
    if not (editor and editor.is_active and editor.has_perm("claims.change_source")):
        raise PermissionDenied("You are not allowed to edit sources.")
    source.full_clean()
    if not fields:
        return source
    source._history_user = editor
    source._change_reason = history_reason(f"edited: {', '.join(sorted(fields))}")
    source.save(update_fields=fields)
    Claim.objects.filter(source=source).update(updated_at=timezone.now())
    made = Claim.objects.filter(source=source).values("incident_id")
    touch_incidents(Incident.objects.filter(pk__in=made))
    return source


def can_edit_claim(user, claim):
    return user.has_perm("claims.change_claim") and can_edit_incident(user, claim.incident)


@transaction.atomic
def create_claim(*, claim, submitted_by):
    """Attach a new claim (built by a form or serializer) to its incident."""
    if not submitted_by.has_perm("claims.add_claim"):
        raise PermissionDenied("You are not allowed to add claims.")
    if claim.incident.status == IncidentStatus.WITHDRAWN:
        raise ValidationError("Claims cannot be added to a withdrawn incident.")
    claim.submitted_by = submitted_by
    claim.status = ClaimStatus.UNVERIFIED
    claim.full_clean()
    claim._history_user = submitted_by
    claim._change_reason = "added"
    claim.save()
    touch_incident(incident_id=claim.incident_id)
    return claim


@transaction.atomic
def update_claim(*, claim, editor, expected_version, fields):
    """Save ``fields`` already set on ``claim`` unless someone changed it meanwhile."""
    current = lock_for_update(claim)
    if not can_edit_claim(editor, current):
        raise PermissionDenied("You may not edit this claim.")
    check_version(current, expected_version)
    claim.version = current.version
    claim.full_clean()
    save_audited(claim, user=editor, reason="edited", update_fields=fields)
    touch_incident(incident_id=claim.incident_id)
    return claim


@transaction.atomic
def withdraw_claim(*, claim, editor, reason, expected_version=None):
    """Take a claim out of the record shown to partners, keeping it on file."""
    if not can_review(editor):
        raise PermissionDenied("Only editors may withdraw claims.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is withdrawn."})
    current = lock_for_update(claim)
    check_version(current, expected_version)
    if current.withdrawn_at:
        raise ValidationError("This claim is already withdrawn.")
    current.withdrawn_at = timezone.now()
    current.withdrawal_reason = reason
    save_audited(
        current,
        user=editor,
        reason=f"withdrawn: {reason}",
        update_fields=["withdrawn_at", "withdrawal_reason"],
    )
    touch_incident(incident_id=current.incident_id)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def attach_evidence(*, claim, file, uploaded_by, kind=None):
    """Validate ``file``, store it and return the new Evidence attached to ``claim``.

    The original is kept byte-for-byte in private storage, filed by its SHA-256. A file
    already held for another claim is linked, not stored twice;
    ``claims.selectors.evidence_locations(sha256)`` says where else it appears. An
    image gets a display image and a thumbnail stripped of all metadata. Each step is
    recorded in the evidence's chain of custody.

    ``kind`` is None for an image or a PDF (decided from the bytes), or
    ``EvidenceKind.PAGE_CAPTURE`` for a saved copy of the claim's web page (HTML, PDF, WARC).

    Raise PermissionDenied for a user who may not upload evidence, and ValidationError for
    a file it refuses, writing nothing: no file in storage, no row in the database.
    """
    from django.db import IntegrityError

    if not uploaded_by.has_perm("claims.add_evidence"):
        raise PermissionDenied("You are not allowed to upload evidence.")
    if claim.withdrawn_at:
        raise ValidationError("Evidence cannot be added to a withdrawn claim.")
    if claim.incident.status == IncidentStatus.WITHDRAWN:
        raise ValidationError("Evidence cannot be added to a claim of a withdrawn incident.")
    inspected = intake.inspect_upload(file, kind=kind)
    if claim.evidence.filter(sha256=inspected.sha256).exists():
        raise ValidationError("This file is already attached to this claim.", code="duplicate")
    # Everything that can refuse the file runs before anything is written.
    derivatives = make_derivatives(inspected)
    held = Evidence.objects.same_file(inspected.sha256).order_by("pk").first()

    evidence = Evidence(
        claim=claim,
        kind=inspected.kind,
        original_filename=os.path.basename(getattr(file, "name", "") or "")[:255],
        sha256=inspected.sha256,
        size_bytes=inspected.size,
        content_type=inspected.content_type,
        width=inspected.width,
        height=inspected.height,
        metadata=inspected.metadata,
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
    )
    # Files this call wrote, removed again if the database does not take the rows.
    written = []
    saved = False
    try:
        evidence.original.name, stored_now = evidence_storage.store_original(inspected, held=held)
        if stored_now:
            written.append((evidence.original.storage, evidence.original.name))
        reused = bool(derivatives) and evidence_storage.derivatives_held(held)
        if reused:
            evidence.display.name, evidence.thumbnail.name = held.display.name, held.thumbnail.name
        else:
            for name, derivative in derivatives.items():
                field_file = getattr(evidence, name)
                field_file.name = evidence_storage.store_derivative(derivative)
                written.append((field_file.storage, field_file.name))
        evidence.full_clean()
        try:
            with transaction.atomic():
                evidence.save()
        except IntegrityError as error:
            # Someone attached the same file to this claim a moment ago.
            raise ValidationError(
                "This file is already attached to this claim.", code="duplicate"
            ) from error
        elsewhere = [
            str(other.claim.public_id)
            for other in evidence_locations(evidence.sha256, exclude_claim=claim)
        ]
        CustodyEvent.objects.create(
            evidence=evidence,
            action=CustodyAction.LINKED if elsewhere else CustodyAction.UPLOADED,
            actor=uploaded_by,
            at=evidence.uploaded_at,
            detail={
                "sha256": evidence.sha256,
                "size": evidence.size_bytes,
                "content_type": evidence.content_type,
                "original_filename": evidence.original_filename,
                "stored_as": evidence.original.name,
                "already_on_claims": elsewhere,
            },
        )
        if derivatives:
            CustodyEvent.objects.create(
                evidence=evidence,
                action=CustodyAction.DERIVED,
                actor=uploaded_by,
                at=evidence.uploaded_at,
                detail={
                    "display": evidence.display.name,
                    "thumbnail": evidence.thumbnail.name,
                    "reused_from": str(held.public_id) if reused else None,
                    "metadata_removed": True,
                },
            )
        touch_incident(incident_id=claim.incident_id)
        saved = True
    finally:
        if not saved:
            for storage, name in written:
                storage.delete(name)
    return evidence
