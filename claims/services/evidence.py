"""Evidence files and their chain of custody: taking a file in (checked, stored
byte-for-byte, with metadata-free derivatives) and recording everything that happens to it.
``record_custody`` is the only writer of custody rows."""

import os

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.evidence import intake
from claims.evidence import storage as evidence_storage
from claims.evidence.derivatives import make_derivatives
from claims.evidence.fingerprint import band_columns, perceptual_hash_of_bytes
from claims.evidence.formats import OPEN_FORMATS
from claims.models import CustodyAction, CustodyEvent, Evidence, PerceptualHash
from claims.selectors import evidence_locations
from incidents import rules as incident_rules
from incidents.models import Incident
from webhooks.models import Event
from webhooks.services import announce


def record_custody(*, evidence, action, actor=None, detail=None, at=None):
    """Add one event to ``evidence``'s chain of custody and return it.

    ``actor`` is the user who acted, or None for the system itself (a scheduled hash
    check); ``detail`` is JSON-ready data about the event. Custody events are never changed
    or deleted once written.
    """
    if action not in CustodyAction.values:
        raise ValueError(f"Unknown custody action {action!r}.")
    return CustodyEvent.objects.create(
        evidence=evidence,
        action=action,
        actor=actor,
        at=at or timezone.now(),
        detail=detail or {},
    )


def store_perceptual_hash(*, evidence, value):
    """Keep ``value``, the perceptual hash of ``evidence``'s image, for the near-duplicate
    search, and return the stored PerceptualHash."""
    return PerceptualHash.objects.create(evidence=evidence, **band_columns(value))


@transaction.atomic
def backfill_perceptual_hash(*, evidence):
    """Compute and keep the perceptual hash of an image uploaded before hashes were kept,
    from its original; return the PerceptualHash, or None if the original is not a
    readable image (a PDF, a page capture) or already has one."""
    if PerceptualHash.objects.filter(evidence=evidence).exists():
        return None
    with evidence.original.open("rb") as original:
        value = perceptual_hash_of_bytes(original.read(), formats=OPEN_FORMATS)
    if value is None:
        return None
    return store_perceptual_hash(evidence=evidence, value=value)


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
    incident_rules.require(
        uploaded_by, "claims.add_evidence", _("You are not allowed to upload evidence.")
    )
    if claim.withdrawn_at:
        raise ValidationError(_("Evidence cannot be added to a withdrawn claim."))
    if not incident_rules.takes_evidence(claim.incident):
        raise ValidationError(_("Evidence cannot be added to a claim of a withdrawn incident."))
    inspected = intake.inspect_upload(file, kind=kind)
    if claim.evidence.filter(sha256=inspected.sha256).exists():
        raise ValidationError(_("This file is already attached to this claim."), code="duplicate")
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
                _("This file is already attached to this claim."), code="duplicate"
            ) from error
        if inspected.perceptual_hash is not None:
            store_perceptual_hash(evidence=evidence, value=inspected.perceptual_hash)
        elsewhere = [
            str(other.claim.public_id)
            for other in evidence_locations(evidence.sha256, exclude_claim=claim)
        ]
        record_custody(
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
            record_custody(
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
        Incident.objects.filter(pk=claim.incident_id).mark_changed()
        announce(Event.INCIDENT_UPDATED, incidents=[claim.incident_id])
        saved = True
    finally:
        if not saved:
            for storage, name in written:
                storage.delete(name)
    return evidence
