"""Forms of claims and their evidence, shared by the journalists' pages and the admin: one
claim (with its source, picked or new, and evidence files), the claims of the log-an-incident
form, and evidence uploads.

Evidence files are checked when the form is validated (so each refused file gets its own
message next to the field) and stored by ``claims.services.attach_evidence`` when it is
saved, which checks them again: the service is the authority, the form only reports early.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import rules
from claims.canonical_url import normalise_url
from claims.evidence.intake import inspect_upload
from claims.models import Claim, Evidence, EvidenceKind, Source, SourceKind
from claims.selectors import evidence_locations
from claims.services.recording import EDITABLE_FIELDS
from lootwatch.countries import CountrySelect, validate_country_code
from lootwatch.formats import DayFirstDateTimeInput, datetime_hint
from lootwatch.forms import BoundedFormSetMixin, ChosenOnlySelect, KnownOrNewChoiceField, chose_new

# The most claims one log-an-incident form takes; more can be added to the incident later.
MAX_CLAIMS = 20


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """One or several evidence files; ``clean`` returns a list of uploaded files, each
    accepted by ``claims.evidence.intake.inspect_upload`` for the field's ``kind``."""

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
        # The pictures' perceptual hashes, for the log form's look-alike warning.
        self.perceptual_hashes = {}
        for upload in files:
            try:
                inspected = inspect_upload(upload, kind=self.kind)
            except ValidationError as error:
                errors.extend(
                    ValidationError(f"{upload.name}: {message}", code=error.code)
                    for message in error.messages
                )
                continue
            self.inspected[upload] = inspected.sha256
            if inspected.perceptual_hash is not None:
                self.perceptual_hashes[upload] = inspected.perceptual_hash
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
        label=_("Screenshots, photos or PDFs"),
        help_text=_(
            "JPEG, PNG, WebP, GIF or PDF. The original is kept unchanged and private; pages "
            "show a copy without location or camera data."
        ),
    )
    page_capture = EvidenceFilesField(
        kind=EvidenceKind.PAGE_CAPTURE,
        multiple=False,
        label=_("Saved copy of the web page"),
        help_text=_("Optional: the page saved as HTML, PDF or WARC. Kept for staff only."),
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
                    self.add_error(
                        name,
                        gettext("%(file)s is the same file as %(other)s.")
                        % {"file": upload.name, "other": digests[digest]},
                    )
                digests.setdefault(digest, upload.name)
        if self.claim is not None and digests:
            attached = set(
                self.claim.evidence.filter(sha256__in=digests).values_list("sha256", flat=True)
            )
            for digest in attached:
                self.add_error(
                    None,
                    gettext("%(file)s is already attached to this claim.")
                    % {"file": digests[digest]},
                )
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
            elsewhere = evidence_locations(evidence.sha256, user=uploaded_by, exclude_claim=claim)
            results.append(AttachedEvidence(evidence=evidence, elsewhere=list(elsewhere)))
        return results


class EvidenceAdminUploadForm(EvidenceUploadForm):
    """The admin's upload page: the same form with the claim to attach to."""

    claim = forms.ModelChoiceField(
        queryset=Claim.objects.live().select_related("incident", "source"),
        help_text=_("The claim the files support."),
    )
    field_order = ["claim", "files", "page_capture"]

    def clean(self):
        self.claim = self.cleaned_data.get("claim")
        cleaned = super().clean()
        if not self.errors and not self.has_files():
            raise ValidationError(gettext("Choose at least one file to upload."))
        return cleaned


class ClaimForm(forms.ModelForm):
    """One sourced claim: who said what, where and when, with optional evidence files.

    The source is picked from the known ones or named here (it is then created).
    """

    required_css_class = "required"

    source = KnownOrNewChoiceField(
        queryset=Source.objects.all(),
        label=_("Source"),
        required=False,
        empty_label=_("— choose a source —"),
        new_label=_("— a new source (name it below) —"),
        help_text=_("Who made the claim: the ministry, spokesperson, outlet or witness."),
        # Found through the search box beside it (/incidents/sources/): never every source.
        widget=ChosenOnlySelect,
    )
    new_source_name = forms.CharField(
        max_length=200, required=False, label=_("Or name a new source")
    )
    new_source_kind = forms.ChoiceField(
        choices=[("", "—"), *SourceKind.choices], required=False, label=_("Kind of source")
    )
    new_source_country = forms.CharField(
        max_length=2, required=False, label=_("Country of the source"), widget=CountrySelect
    )
    new_source_protected = forms.BooleanField(
        required=False,
        label=_("Protect this source's identity"),
        help_text=_(
            "Partners and other journalists then see only a label such as “Witness W-3F2A9C”, "
            "never the name or the claim's link. Always on for witnesses."
        ),
    )
    url = forms.URLField(label=_("URL"), max_length=2000, required=False, assume_scheme="https")
    archived_url = forms.URLField(
        label=_("Archived URL"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text=_("e.g. a Wayback Machine copy."),
    )
    evidence = EvidenceFilesField(
        label=_("Evidence files"),
        help_text=_("Screenshots, photos or PDFs (JPEG, PNG, WebP, GIF, PDF)."),
    )

    class Meta:
        model = Claim
        # Internal notes are the editors', in the admin.
        fields = [name for name in EDITABLE_FIELDS if name != "internal_notes"]
        widgets = {
            "published_at": DayFirstDateTimeInput(),
            "original_text": forms.Textarea(attrs={"rows": 3}),
            "translation": forms.Textarea(attrs={"rows": 3}),
            "language": forms.TextInput(attrs={"placeholder": _("e.g. uk")}),
        }
        labels = {
            "source": _("Source"),
            "medium": _("Medium"),
            "published_at": _("Published at (UTC)"),
            "language": _("Language"),
            "original_text": _("Quote (original language)"),
            "translation": _("Translation"),
            "translated_by": _("Translated by"),
            "translator_kind": _("Translator is"),
            "reported_via": _("Reported via"),
        }
        help_texts = {
            "language": _("Language of the original text, e.g. uk, ru, en."),
            "original_text": _("The quote, in its original language."),
            "translation": _(
                "English translation, if needed; with one, say below who translated it."
            ),
            "translated_by": _("Who translated it: a person or an outlet."),
        }

    def __init__(self, *args, incident=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Protected sources are listed by the name this user may see (claims.rules).
        self.fields["source"].label_from_instance = lambda source: rules.source_name_for(
            user, source
        )
        self.fields["translator_kind"].help_text = gettext(
            "Partners see the translator's name only for an outlet or organisation."
        )
        self.fields["published_at"].help_text = format_lazy(
            "{} (UTC). {}", datetime_hint, _("When the post or statement was published.")
        )
        self.fields["url"].widget.attrs["placeholder"] = "https://"
        # lootwatch.js opens the new-source section when "a new source" is picked.
        self.fields["source"].widget.attrs["data-new-opens"] = "new-source"
        if incident is None:
            # In the log-an-incident form the earlier claims do not exist yet; the formset
            # offers them by number instead (see ClaimInIncidentForm).
            del self.fields["reported_via"]
        else:
            self.fields["reported_via"].queryset = incident.claims.live().select_related("source")
            self.fields["reported_via"].label_from_instance = lambda claim: (
                f"{rules.source_name_for(user, claim.source)} ({claim.get_medium_display()})"
            )
            self.fields["reported_via"].help_text = gettext(
                "The claim of this incident through which this one is known, e.g. the press "
                "report quoting a post."
            )

    def clean_new_source_country(self):
        country = (self.cleaned_data.get("new_source_country") or "").strip().upper()
        if country:
            validate_country_code(country)
        return country

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("source"):
            if not cleaned.get("new_source_name") and chose_new(self, "source"):
                self.add_error("new_source_name", gettext("Name the new source."))
            elif not cleaned.get("new_source_name"):
                self.add_error("source", gettext("Pick the source, or name a new one."))
            elif not cleaned.get("new_source_kind"):
                self.add_error("new_source_kind", gettext("Say what kind of source this is."))
        return cleaned

    def new_source(self):
        """Return the unsaved Source named in this form, or None if one was picked."""
        if self.cleaned_data.get("source"):
            return None
        return Source(
            name=self.cleaned_data["new_source_name"].strip(),
            kind=self.cleaned_data["new_source_kind"],
            country=self.cleaned_data.get("new_source_country", ""),
            identity_protected=bool(self.cleaned_data.get("new_source_protected")),
        )


class ClaimInIncidentForm(ClaimForm):
    """A claim in the log-an-incident form, which may be known through an earlier one."""

    reported_via_number = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Reported via"),
        help_text=_(
            "The earlier claim of this form through which this one reached us, e.g. the "
            "press report quoting a post. Leave it for the first appearance."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The blank form copied by the "add another claim" button does not know its position
        # yet: it offers every number and the script trims the list to the earlier claims.
        index = self.claim_index()
        count = index if index is not None else MAX_CLAIMS - 1
        choices = [("", gettext("— first appearance —"))]
        choices += [
            (str(number), gettext("Claim %(number)d") % {"number": number + 1})
            for number in range(count)
        ]
        self.fields["reported_via_number"].choices = choices

    def clean_reported_via_number(self):
        number = self.cleaned_data.get("reported_via_number")
        index = self.claim_index()
        if number is not None and index is not None and number >= index:
            raise ValidationError(gettext("Pick an earlier claim of this form."))
        return number

    def claim_index(self):
        """Return this form's position in its formset (0 for the first claim)."""
        try:
            return int(self.prefix.rsplit("-", 1)[-1])
        except (AttributeError, ValueError):
            return None


class BaseClaimFormSet(BoundedFormSetMixin, forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Add at least one claim: nothing in Lootwatch goes unsourced."),
        "too_many_forms": _(
            "This form takes at most %(num)d claims: add the others to the incident once it "
            "is saved."
        ),
    }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        urls = {}
        filled = {form.claim_index() for form in self.forms if form.has_changed()}
        for form in self.forms:
            number = form.cleaned_data.get("reported_via_number")
            if number is not None and number not in filled:
                form.add_error(
                    "reported_via_number",
                    gettext("Claim %(number)d is empty.") % {"number": number + 1},
                )
            url = form.cleaned_data.get("url")
            url = normalise_url(url) if url else url
            if url and url in urls:
                form.add_error(
                    "url",
                    gettext("Claim %(number)d in this form has the same URL.")
                    % {"number": urls[url] + 1},
                )
            elif url:
                urls[url] = form.claim_index()


ClaimFormSet = forms.formset_factory(
    ClaimInIncidentForm,
    formset=BaseClaimFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_CLAIMS,
    validate_max=True,
    # However many forms the request claims to hold (claims-TOTAL_FORMS=100000), no more
    # than this are ever built: the rest is refused with too_many_forms.
    absolute_max=MAX_CLAIMS,
)
