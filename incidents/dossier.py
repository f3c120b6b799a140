"""The incident dossier: the package prosecutors and courts receive, as a PDF and as a zip
of the PDF with every original evidence file and a manifest of their SHA-256 digests.

The PDF says what was claimed, by whom, what was checked and decided by whom and when, and
describes each file with its hashes and chain of custody; every page's footer names the
incident, the time of generation and the software version. It names staff, and only
editors download it (incidents.rules.can_download_dossier). The zip can be checked without
Lootwatch: ``manifest.json`` and ``SHA256SUMS`` (for ``sha256sum -c``) list every file.

Only rendering and packing live here; incidents.services.dossier decides who may have a
dossier and records each download in the chain of custody of every file in it.
"""

import base64
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import pgettext
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

# Importing WeasyPrint makes every Pillow decoder in the process accept truncated images.
# Evidence intake (claims.evidence.intake) must refuse those, and the dossier only embeds
# our own complete thumbnails: the process-wide default is put back.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "dossier.css"
PDF_NAME = "dossier.pdf"
CHUNK = 1024 * 1024


def software_version():
    """``Lootwatch <version>``, as installed."""
    try:
        return f"Lootwatch {version('lootwatch')}"
    except PackageNotFoundError:
        return "Lootwatch (version unknown)"


@dataclass
class PackedFile:
    """One file of a dossier zip, as its manifest lists it."""

    path: str
    sha256: str
    size: int
    evidence: str | None = None
    claim: str | None = None

    def as_manifest_entry(self):
        entry = {"path": self.path, "sha256": self.sha256, "size": self.size}
        if self.evidence:
            entry |= {"evidence": self.evidence, "claim": self.claim}
        return entry


class EvidenceAltered(Exception):
    """An original no longer matches the SHA-256 recorded when it arrived."""

    def __init__(self, evidence):
        super().__init__(f"Evidence {evidence.public_id} no longer matches its SHA-256.")
        self.evidence = evidence


def _data_uri(field_file, content_type):
    with field_file.open("rb") as opened:
        encoded = base64.b64encode(opened.read()).decode("ascii")
    return f"data:{content_type};base64,{encoded}"


def _thumbnail(evidence):
    """The evidence's metadata-free thumbnail as a data: URI, or None."""
    if not evidence.thumbnail:
        return None
    content_type = "image/png" if evidence.thumbnail.name.endswith(".png") else "image/jpeg"
    try:
        return _data_uri(evidence.thumbnail, content_type)
    except FileNotFoundError:
        return None


def _css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_numbers():
    """The footer's "page 1 of 3", in the active language (the template holds no styles)."""
    words = (
        pgettext("dossier footer: page 1 of 3", "page"),
        pgettext("dossier footer: page 1 of 3", "of"),
    )
    before, between = (_css_string(word) for word in words)
    content = f'{before} " " counter(page) " " {between} " " counter(pages)'
    return CSS(string=f"@page {{ @bottom-right {{ content: {content}; }} }}")


def render_pdf(*, incident, claims, history, generated_at, generated_for):
    """Return the dossier of ``incident`` (from incidents.selectors.incident_for_dossier)
    as PDF bytes: ``claims`` from claims.selectors.claims_for_dossier, ``history`` its
    change history, ``generated_for`` the editor it is made for."""
    for claim in claims:
        for evidence in claim.evidence.all():
            evidence.thumbnail_uri = _thumbnail(evidence)
    html = render_to_string(
        "incidents/dossier/dossier.html",
        {
            "incident": incident,
            "claims": claims,
            "history": history,
            "generated_at": generated_at,
            "generated_for": generated_for,
            "software": software_version(),
        },
    )
    # Everything the PDF shows is in the page itself: nothing is fetched from anywhere.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    stylesheet = CSS(string=STYLESHEET.read_text(), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet, page_numbers()]
    )


def _safe_name(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:80]


def evidence_path(evidence, claim):
    """Where an original sits in the zip: by claim, then evidence id and file name."""
    name = _safe_name(evidence.original_filename) or evidence.sha256
    return f"evidence/claim-{claim.public_id}/{evidence.public_id}-{name}"


def write_package(target, *, incident, claims, pdf, generated_at):
    """Write the dossier zip into the binary file ``target``: the PDF, every original
    byte-for-byte (checked against its recorded SHA-256 while copied), ``manifest.json``
    and ``SHA256SUMS``. Return the PackedFiles, PDF first. Raise EvidenceAltered if an
    original no longer matches."""
    packed = [PackedFile(path=PDF_NAME, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))]
    # Originals are compressed images and PDFs already: stored, not deflated again.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(PDF_NAME, pdf)
        for claim in claims:
            for evidence in claim.evidence.all():
                path = evidence_path(evidence, claim)
                digest, size = hashlib.sha256(), 0
                with evidence.original.open("rb") as source, archive.open(path, "w") as copy:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        copy.write(chunk)
                if digest.hexdigest() != evidence.sha256:
                    raise EvidenceAltered(evidence)
                packed.append(
                    PackedFile(
                        path=path,
                        sha256=evidence.sha256,
                        size=size,
                        evidence=str(evidence.public_id),
                        claim=str(claim.public_id),
                    )
                )
        manifest = {
            "incident": str(incident.public_id),
            "title": incident.title,
            "generated_at": generated_at.isoformat(),
            "software": software_version(),
            "algorithm": "SHA-256",
            "files": [item.as_manifest_entry() for item in packed],
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("SHA256SUMS", "".join(f"{f.sha256}  {f.path}\n" for f in packed))
    return packed
