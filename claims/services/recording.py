"""Adding, editing and withdrawing claims, and keeping the sources that make them.

Each function checks the caller's permission itself (claims.rules), runs in one
transaction, and leaves a history record naming who did it and why. Every change partners
could see moves the ``updated_at`` of the incidents showing it, for their mirrors.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import rules
from claims.models import STATED_FIELDS, Claim, ClaimStatus, Source, SourceKind, new_public_code
from claims.same_source import clean_name, existing_source
from claims.services.evidence import attach_evidence
from claims.services.summaries import refresh_summaries
from incidents import rules as incident_rules
from incidents.models import Incident
from lootwatch import text_limits
from lootwatch.text_limits import require_within
from lootwatch.versioning import check_version, history_reason, lock_for_update, save_audited
from webhooks.models import Event
from webhooks.services import announce

# What people type about a claim, in the pages and the admin; its status changes only
# through a review, its incident only through a merge.
EDITABLE_FIELDS = (*STATED_FIELDS, "reported_via", "internal_notes")


@transaction.atomic
def create_source(*, source, created_by):
    """Save a new source (built by a form), e.g. one a journalist names while logging.

    A witness is protected from the start; whoever logs a source keeps seeing its name
    (claims.rules.can_see_identity). A source already known under this name (see
    claims.same_source) is refused: one source per outlet."""
    incident_rules.require(
        created_by, "claims.add_source", _("You are not allowed to add sources.")
    )
    prepare_source(source, created_by)
    refuse_known(source, existing_source(source))
    # Codes are random: draw again in the rare case this one is taken.
    while not source.public_code or Source.objects.filter(public_code=source.public_code).exists():
        source.public_code = new_public_code()
    source.full_clean()
    source._history_user = created_by
    source._change_reason = "added"
    source.save()
    return source


def prepare_source(source, created_by):
    """Set what create_source sets on a new source before it is checked."""
    source.name = clean_name(source.name)
    if source.kind == SourceKind.WITNESS:
        # Whatever the form said: the database refuses an unprotected witness too.
        source.identity_protected = True
    source.created_by = created_by


def refuse_known(source, known):
    """Refuse ``source`` if it names ``known`` (a source already held) again."""
    if known is not None:
        raise ValidationError(
            {
                "name": _("“%(name)s” is already a source: pick it instead of adding it again.")
                % {"name": known.name}
            }
        )


def check_new_source(*, source, created_by):
    """The checks of create_source that need no database (its permission, each field's
    and the model's own): what an import asks of each new source on its line, before the
    batch creates them all (claims.services.create_sources, which asks the rest)."""
    incident_rules.require(
        created_by, "claims.add_source", _("You are not allowed to add sources.")
    )
    prepare_source(source, created_by)
    # Its organisation may be new too (created with it): the batch checks it is held.
    source.full_clean(exclude=RELATIONS, validate_unique=False, validate_constraints=False)


# A new source's relations, which create_sources checks for the batch at once.
RELATIONS = ("organisation", "created_by")


@transaction.atomic
def update_source(*, source, editor, fields):
    """Save ``fields`` already set on ``source``, with history, and move the ``updated_at``
    of every claim it made and of their incidents: partners see the source inside both.

    Plain updates of ``updated_at``, as in IncidentQuerySet.mark_changed: it is not
    audited content, and neither the claims' nor the incidents' versions change.
    """
    incident_rules.require(
        editor, "claims.change_source", _("You are not allowed to edit sources.")
    )
    # An editor who unticks a witness's protection is refused (by the model's constraint),
    # not silently overruled.
    source.full_clean()
    if not fields:
        return source
    source._history_user = editor
    source._change_reason = history_reason(f"edited: {', '.join(sorted(fields))}")
    source.save(update_fields=fields)
    Claim.objects.filter(source=source).update(updated_at=timezone.now())
    made = Claim.objects.filter(source=source).values("incident_id")
    Incident.objects.filter(pk__in=made).mark_changed()
    if "organisation" in fields:
        # Sources speaking for one organisation count as one independent source.
        refresh_summaries(Incident.objects.filter(pk__in=made))
    announce(
        Event.INCIDENT_UPDATED,
        incidents=Incident.objects.filter(incident_rules.visible_to_partners(), pk__in=made),
    )
    return source


@transaction.atomic
def create_claim(*, claim, submitted_by, new_source=None, evidence=(), reason="added"):
    """Attach a new claim (built by a form, a serializer or an import) to its incident.

    ``new_source`` (unsaved) is the claim's source when the journalist named a new one:
    the known source it names again if there is one (claims.same_source), else created;
    ``evidence`` holds ``(file, kind)`` pairs attached through attach_evidence.
    All of it or nothing: a refused evidence file is a ValidationError on ``evidence``.
    ``reason`` is the history's (an import names its file and line).
    """
    incident_rules.require(
        submitted_by, "claims.add_claim", _("You are not allowed to add claims.")
    )
    if not incident_rules.can_add_claims(submitted_by, claim.incident):
        raise ValidationError(_("Claims cannot be added to a withdrawn incident."))
    if new_source is not None:
        new_source.name = clean_name(new_source.name)
        claim.source = existing_source(new_source) or create_source(
            source=new_source, created_by=submitted_by
        )
    claim.submitted_by = submitted_by
    claim.status = ClaimStatus.UNVERIFIED
    claim.full_clean()
    claim._history_user = submitted_by
    claim._change_reason = history_reason(reason)
    claim.save()
    for file, kind in evidence:
        try:
            attach_evidence(claim=claim, file=file, uploaded_by=submitted_by, kind=kind)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
    Incident.objects.filter(pk=claim.incident_id).mark_changed()
    refresh_summaries([claim.incident_id])
    return claim


@transaction.atomic
def update_claim(*, claim, editor, expected_version, fields, reason="edited"):
    """Save ``fields`` already set on ``claim`` unless someone changed it meanwhile.

    Only the fields whose values differ from the stored row are saved; if none does,
    nothing is written (no history, no version step), so that saving an unchanged claim
    (an unchanged form, a re-imported line) leaves no trace. ``reason`` is the history's.
    """
    current = lock_for_update(claim)
    if not rules.can_edit_claim(editor, current):
        raise PermissionDenied(_("You may not edit this claim."))
    check_version(current, expected_version)
    fields = [
        name
        for name in fields
        if getattr(current, claim._meta.get_field(name).attname)
        != getattr(claim, claim._meta.get_field(name).attname)
    ]
    claim.version = current.version
    claim.full_clean()
    if not fields:
        return claim
    save_audited(claim, user=editor, reason=reason, update_fields=fields)
    Incident.objects.filter(pk=claim.incident_id).mark_changed()
    # Its source may have changed, and with it the independent sources.
    refresh_summaries([claim.incident_id])
    announce(Event.INCIDENT_UPDATED, incidents=[claim.incident_id])
    return claim


@transaction.atomic
def withdraw_claim(*, claim, editor, reason, expected_version=None):
    """Take a claim out of the record shown to partners, keeping it on file."""
    if not rules.can_review(editor):
        raise PermissionDenied(_("Only editors may withdraw claims."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the claim is withdrawn.")})
    require_within(reason, text_limits.REASON, "reason")
    current = lock_for_update(claim)
    check_version(current, expected_version)
    if current.withdrawn_at:
        raise ValidationError(_("This claim is already withdrawn."))
    current.withdrawn_at = timezone.now()
    current.withdrawal_reason = reason
    save_audited(
        current,
        user=editor,
        reason=f"withdrawn: {reason}",
        update_fields=["withdrawn_at", "withdrawal_reason"],
    )
    Incident.objects.filter(pk=current.incident_id).mark_changed()
    refresh_summaries([current.incident_id])
    announce(Event.INCIDENT_UPDATED, incidents=[current.incident_id])
    claim.refresh_from_db()
    return claim
