"""Forms for uploading evidence, shared by the journalist pages and the admin.

Files are checked when the form is validated (so each refused file gets its own message
next to the field) and stored by ``claims.services.attach_evidence`` when it is saved,
which checks them again: the service is the authority, the form only reports early.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from claims import evidence_files
from claims.models import Claim, Evidence, EvidenceKind


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """One or several evidence files; ``clean`` returns a list of uploaded files, each
    accepted by ``evidence_files.inspect_upload`` for the field's ``kind``."""

    def __init__(self, *, kind=None, multiple=True, **kwargs):
        self.kind = kind
        self.multiple = multiple
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput if multiple else forms.FileInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = (
            ".html,.htm,.pdf,.warc,.warc.gz,text/html,application/pdf"
            if self.kind == EvidenceKind.PAGE_CAPTURE
            else "image/jpeg,image/png,image/webp,image/gif,application/pdf"
        )
        return attrs

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [self.to_python(item) for item in items if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        self.inspected = {}
        for upload in files:
            try:
                inspected = evidence_files.inspect_upload(upload, kind=self.kind)
            except ValidationError as error:
                errors.extend(
                    ValidationError(f"{upload.name}: {message}", code=error.code)
                    for message in error.messages
                )
                continue
            self.inspected[upload] = inspected.sha256
        if errors:
            raise ValidationError(errors)
        return files


@dataclass
class AttachedEvidence:
    """What saving one file produced: the Evidence, and where else the same file appears
    (evidence on other claims, only those of incidents the uploader may see)."""

    evidence: Evidence
    elsewhere: list = field(default_factory=list)

    @property
    def already_held(self):
        return bool(self.elsewhere)


class EvidenceUploadForm(forms.Form):
    """Evidence files for a claim: screenshots, photos or PDFs, and optionally a saved copy
    of the claim's web page.

    Use it beside a claim form (give it a ``prefix``), render it with
    ``claims/includes/evidence_upload_field.html`` inside a ``multipart/form-data`` form,
    and call ``save(claim=…, uploaded_by=…)`` in the same transaction that saves the claim.
    Pass ``claim=`` when the claim already exists, so a file already attached to it is
    reported as a form error.
    """

    files = EvidenceFilesField(
        label="Screenshots, photos or PDFs",
        help_text=(
            "JPEG, PNG, WebP, GIF or PDF. The original is kept unchanged and private; pages "
            "show a copy without location or camera data."
        ),
    )
    page_capture = EvidenceFilesField(
        kind=EvidenceKind.PAGE_CAPTURE,
        multiple=False,
        label="Saved copy of the web page",
        help_text="Optional: the page saved as HTML, PDF or WARC. Kept for staff only.",
    )

    def __init__(self, *args, claim=None, **kwargs):
        self.claim = claim
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        digests = {}
        for name in ("files", "page_capture"):
            form_field = self.fields[name]
            for upload in cleaned.get(name) or []:
                digest = getattr(form_field, "inspected", {}).get(upload)
                if digest is None:
                    continue
                if digest in digests:
                    self.add_error(name, f"{upload.name} is the same file as {digests[digest]}.")
                digests.setdefault(digest, upload.name)
        if self.claim is not None and digests:
            attached = set(
                self.claim.evidence.filter(sha256__in=digests).values_list("sha256", flat=True)
            )
            for digest in attached:
                self.add_error(None, f"{digests[digest]} is already attached to this claim.")
        return cleaned

    def uploads(self):
        """Return (file, kind) pairs of the validated form, in the order they are saved."""
        pairs = [(upload, None) for upload in self.cleaned_data.get("files") or []]
        pairs += [
            (upload, EvidenceKind.PAGE_CAPTURE)
            for upload in self.cleaned_data.get("page_capture") or []
        ]
        return pairs

    def has_files(self):
        return bool(self.uploads())

    def save(self, *, claim, uploaded_by):
        """Attach every file to ``claim`` through attach_evidence; return AttachedEvidence
        for each. Call it inside the caller's transaction: a refused file raises
        ValidationError and should undo the rest."""
        from claims.services import attach_evidence

        results = []
        for upload, kind in self.uploads():
            evidence = attach_evidence(claim=claim, file=upload, uploaded_by=uploaded_by, kind=kind)
            elsewhere = evidence_files.evidence_locations(
                evidence.sha256, user=uploaded_by, exclude_claim=claim
            )
            results.append(AttachedEvidence(evidence=evidence, elsewhere=list(elsewhere)))
        return results


class EvidenceAdminUploadForm(EvidenceUploadForm):
    """The admin's upload page: the same form with the claim to attach to."""

    claim = forms.ModelChoiceField(
        queryset=Claim.objects.live().select_related("incident", "source"),
        help_text="The claim the files support.",
    )
    field_order = ["claim", "files", "page_capture"]

    def clean(self):
        self.claim = self.cleaned_data.get("claim")
        cleaned = super().clean()
        if not self.errors and not self.has_files():
            raise ValidationError("Choose at least one file to upload.")
        return cleaned
