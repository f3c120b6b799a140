"""Handing an incident's dossier to an editor: the PDF, or the zip of the PDF with every
original evidence file. Each download is an event in the chain of custody of every
evidence file it holds, recorded through claims.services.record_custody with the SHA-256 of
what left Lootwatch, so the custody log and the package in a court's hands match."""

import hashlib
import tempfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import CustodyAction
from claims.selectors import claims_for_dossier
from claims.services import record_custody
from incidents import dossier, rules, selectors

PDF, ZIP = "pdf", "zip"


@dataclass
class Dossier:
    """A rendered dossier: its file name, content type and an open binary file."""

    filename: str
    content_type: str
    file: object
    sha256: str


def _sha256_of(file):
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(dossier.CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def export_dossier(*, incident, editor, package=PDF):
    """Return the Dossier of ``incident`` for ``editor``: ``package`` "pdf" or "zip".

    Raise PermissionDenied for anyone but an editor who may download originals, and
    ValidationError if an original no longer matches its SHA-256 (run verify_evidence):
    nothing is handed over and nothing recorded then.
    """
    if not rules.can_download_dossier(editor):
        raise PermissionDenied(_("Only editors may download dossiers."))
    if package not in (PDF, ZIP):
        raise ValidationError(
            _("Unknown dossier format %(format)r: use pdf or zip.") % {"format": package}
        )
    generated_at = timezone.now()
    described = selectors.incident_for_dossier(incident)
    claims = list(claims_for_dossier(described))
    pdf = dossier.render_pdf(
        incident=described,
        claims=claims,
        history=list(selectors.incident_history(described)),
        generated_at=generated_at,
        generated_for=editor,
    )
    stem = f"lootwatch-incident-{described.public_id}-{generated_at:%Y%m%dT%H%M%SZ}"
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    if package == PDF:
        output.write(pdf)
        paths = {}
    else:
        try:
            packed = dossier.write_package(
                output, incident=described, claims=claims, pdf=pdf, generated_at=generated_at
            )
        except dossier.EvidenceAltered as error:
            output.close()
            raise ValidationError(
                _(
                    "%(error)s Nothing was exported: run `python manage.py verify_evidence` "
                    "and look at its chain of custody."
                )
                % {"error": error}
            ) from error
        paths = {item.evidence: item.path for item in packed if item.evidence}
    sha256 = _sha256_of(output)
    for claim in claims:
        for evidence in claim.evidence.all():
            record_custody(
                evidence=evidence,
                action=CustodyAction.EXPORTED,
                actor=editor,
                at=generated_at,
                detail={
                    "dossier": f"{stem}.{package}",
                    "dossier_sha256": sha256,
                    "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                    "original_included": package == ZIP,
                    "path": paths.get(str(evidence.public_id)),
                },
            )
    content_type = "application/pdf" if package == PDF else "application/zip"
    return Dossier(
        filename=f"{stem}.{package}", content_type=content_type, file=output, sha256=sha256
    )
