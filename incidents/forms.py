"""Forms of the journalists' pages: logging an incident with its place, items, actors and
claims (each with evidence files), editing it, and adding a claim to it.

Forms only validate and build unsaved objects; incidents.views saves them through the
services in incidents.services and claims.services.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict

from claims.forms import EvidenceFilesField
from claims.models import Claim, Source, SourceKind
from incidents.duplicates import normalise_url
from incidents.models import Actor, Incident, IncidentItem, ItemCategory, Place

# The most claims one log-an-incident form takes; more can be added to the incident later.
MAX_CLAIMS = 20
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MISSING_VERSION = (
    "Not saved: this form did not say which version of the incident it was opened at, so "
    "it cannot tell whether someone else changed the incident since. Reload the page and "
    "make your changes again."
)


# The value of the "a new one" option of a picker, see KnownOrNewChoiceField.
NEW_CHOICE = "new"


class KnownOrNewChoiceIterator(forms.models.ModelChoiceIterator):
    """The picker's options: "choose …", then "a new one", then the known records."""

    def __iter__(self):
        options = super().__iter__()
        if self.field.empty_label is not None:
            yield next(options)
        yield (NEW_CHOICE, self.field.new_label)
        yield from options

    def __len__(self):
        return super().__len__() + 1


class KnownOrNewChoiceField(forms.ModelChoiceField):
    """Pick a known record, or the "new" option whose details are typed in other fields.

    Both the empty choice and "new" clean to None; the form tells them apart with
    ``chose_new``, the fields for the new record decide whether one was described."""

    iterator = KnownOrNewChoiceIterator

    def __init__(self, *args, new_label, **kwargs):
        self.new_label = new_label
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value == NEW_CHOICE:
            return None
        return super().to_python(value)


def chose_new(form, name):
    """Return True if the "new" option of the form's picker ``name`` was sent."""
    return form.is_bound and form.data.get(form.add_prefix(name)) == NEW_CHOICE


class PlaceChoiceField(KnownOrNewChoiceField):
    def label_from_instance(self, place):
        return str(place)


class IncidentForm(forms.ModelForm):
    """The incident itself. The place is either picked from the existing ones or described
    in the accompanying NewPlaceForm; the view decides which, see ``clean``."""

    # Labels of required fields get this class; the stylesheet marks them with an asterisk.
    required_css_class = "required"

    place = PlaceChoiceField(
        queryset=Place.objects.all(),
        required=False,
        empty_label="— choose a place —",
        new_label="— a new place (describe it below) —",
        help_text="Type in the search box to narrow the list, or describe a new place below.",
    )
    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Alleged actors",
        help_text="Who allegedly took the property, as the sources say.",
    )
    # The version the edit form was opened at (optimistic locking); required when editing,
    # see __init__, so that an edit can never skip the check.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={
            "required": MISSING_VERSION,
            "invalid": MISSING_VERSION,
            "min_value": MISSING_VERSION,
        },
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "summary",
            "occurred_from",
            "occurred_to",
            "date_precision",
            "actors",
            "internal_notes",
        ]
        widgets = {
            "occurred_from": DATE_INPUT,
            "occurred_to": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "occurred_from": "Occurred from",
            "occurred_to": "Occurred to",
        }
        help_texts = {
            "occurred_from": "Reports often say “in the last few days”: give the range.",
        }

    def __init__(self, *args, new_place_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_place_form = new_place_form
        # lootwatch.js opens the new-place section when "a new place" is picked.
        self.fields["place"].widget.attrs["data-new-opens"] = "new-place"
        if self.instance.pk:
            self.fields["place"].initial = self.instance.place_id
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def clean(self):
        cleaned = super().clean()
        # The version is a hidden field: show its error above the form, where it is seen.
        for message in self._errors.pop("version", []):
            self.add_error(None, message)
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", "The end of the date range is before its start.")
        if not cleaned.get("place") and not self.describes_new_place():
            self.add_error("place", "Pick a place, or describe a new one below.")
        return cleaned

    def describes_new_place(self):
        """Return True if the journalist chose "a new place" or started describing one."""
        return chose_new(self, "place") or (
            self.new_place_form is not None and self.new_place_form.is_filled()
        )


class NewPlaceForm(forms.ModelForm):
    """A place a journalist adds while logging, because it is not in Lootwatch yet."""

    prefix = "new_place"
    required_css_class = "required"
    # What a new place must have; the rest is optional.
    REQUIRED = ("name", "country", "latitude", "longitude", "precision")

    class Meta:
        model = Place
        fields = ["name", "country", "admin1", "admin2", "latitude", "longitude", "precision"]
        labels = {"name": "Name of the new place"}
        help_texts = {
            "latitude": "Decimal degrees, e.g. 50.5219.",
            "longitude": "Decimal degrees, e.g. 30.2428.",
            "precision": "How precisely the coordinates locate the incident.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only validated when used, see full_clean.
        for name, field in self.fields.items():
            field.required = name in self.REQUIRED
            field.error_messages["required"] = "This field is required for a new place."
        self.fields["country"].widget.attrs.update({"maxlength": 2, "placeholder": "e.g. UA"})
        # Set by the view when the journalist is describing a new place rather than picking
        # one; until then the form has no errors, so that a page sent back for another
        # field's error does not open this section full of "required" messages.
        self.in_use = False

    def full_clean(self):
        if not self.in_use:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_filled(self):
        """Return True if the journalist started describing a new place."""
        if not self.is_bound:
            return False
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("name", "latitude", "longitude")
        )

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return str(category)


class ItemForm(forms.ModelForm):
    """One kind of property taken: “hundreds of cars” is cars, 100–999."""

    required_css_class = "required"

    category = CategoryChoiceField(
        queryset=ItemCategory.objects.select_related("parent").order_by(
            "parent__name", "parent_id", "name"
        ),
    )

    class Meta:
        model = IncidentItem
        fields = ["category", "description", "quantity_min", "quantity_max"]
        labels = {"quantity_min": "At least", "quantity_max": "At most"}
        widgets = {"description": forms.TextInput(attrs={"placeholder": "e.g. washing machines"})}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("quantity_min"), cleaned.get("quantity_max")
        if low is not None and high is not None and high < low:
            self.add_error("quantity_max", "The maximum is below the minimum.")
        return cleaned


class BaseItemFormSet(forms.BaseInlineFormSet):
    pass


def item_formset_class(*, can_delete):
    """Journalists may add and correct items; only editors may remove one."""
    return forms.inlineformset_factory(
        Incident,
        IncidentItem,
        form=ItemForm,
        formset=BaseItemFormSet,
        extra=1,
        can_delete=can_delete,
        can_delete_extra=False,
    )


class ClaimForm(forms.ModelForm):
    """One sourced claim: who said what, where and when, with optional evidence files.

    The source is picked from the known ones or named here (it is then created).
    """

    required_css_class = "required"

    source = KnownOrNewChoiceField(
        queryset=Source.objects.all(),
        required=False,
        empty_label="— choose a source —",
        new_label="— a new source (name it below) —",
        help_text="Who made the claim: the ministry, spokesperson, outlet or witness.",
    )
    new_source_name = forms.CharField(max_length=200, required=False, label="Or name a new source")
    new_source_kind = forms.ChoiceField(
        choices=[("", "—"), *SourceKind.choices], required=False, label="Kind of source"
    )
    new_source_country = forms.CharField(
        max_length=2, required=False, label="Country of the source", help_text="e.g. UA"
    )
    url = forms.URLField(label="URL", max_length=2000, required=False, assume_scheme="https")
    archived_url = forms.URLField(
        label="Archived URL",
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text="e.g. a Wayback Machine copy.",
    )
    evidence = EvidenceFilesField(
        label="Evidence files",
        help_text="Screenshots, photos or PDFs (JPEG, PNG, WebP, GIF, PDF).",
    )

    class Meta:
        model = Claim
        fields = [
            "source",
            "medium",
            "url",
            "archived_url",
            "published_at",
            "language",
            "original_text",
            "translation",
            "translated_by",
            "reported_via",
        ]
        widgets = {
            "published_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "original_text": forms.Textarea(attrs={"rows": 3}),
            "translation": forms.Textarea(attrs={"rows": 3}),
            "language": forms.TextInput(attrs={"placeholder": "e.g. uk"}),
        }
        labels = {
            "published_at": "Published at (UTC)",
            "original_text": "Quote (original language)",
            "reported_via": "Known through",
        }

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["url"].widget.attrs["placeholder"] = "https://"
        # lootwatch.js opens the new-source section when "a new source" is picked.
        self.fields["source"].widget.attrs["data-new-opens"] = "new-source"
        if incident is None:
            # In the log-an-incident form the earlier claims do not exist yet; the formset
            # offers them by number instead (see ClaimInIncidentForm).
            del self.fields["reported_via"]
        else:
            self.fields["reported_via"].queryset = incident.claims.live().select_related("source")
            self.fields["reported_via"].help_text = (
                "The claim of this incident through which this one is known, e.g. the press "
                "report quoting a post."
            )

    def clean_new_source_country(self):
        return (self.cleaned_data.get("new_source_country") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("source"):
            if not cleaned.get("new_source_name") and chose_new(self, "source"):
                self.add_error("new_source_name", "Name the new source.")
            elif not cleaned.get("new_source_name"):
                self.add_error("source", "Pick the source, or name a new one.")
            elif not cleaned.get("new_source_kind"):
                self.add_error("new_source_kind", "Say what kind of source this is.")
        return cleaned

    def new_source(self):
        """Return the unsaved Source named in this form, or None if one was picked."""
        if self.cleaned_data.get("source"):
            return None
        return Source(
            name=self.cleaned_data["new_source_name"].strip(),
            kind=self.cleaned_data["new_source_kind"],
            country=self.cleaned_data.get("new_source_country", ""),
        )


class ClaimInIncidentForm(ClaimForm):
    """A claim in the log-an-incident form, which may be known through an earlier one."""

    reported_via_number = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Known through",
        help_text="An earlier claim in this form through which this one is known.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The blank form copied by the "add another claim" button does not know its position
        # yet: it offers every number and the script trims the list to the earlier claims.
        index = self.claim_index()
        count = index if index is not None else MAX_CLAIMS - 1
        choices = [("", "— first appearance —")]
        choices += [(str(number), f"Claim {number + 1}") for number in range(count)]
        self.fields["reported_via_number"].choices = choices

    def clean_reported_via_number(self):
        number = self.cleaned_data.get("reported_via_number")
        index = self.claim_index()
        if number is not None and index is not None and number >= index:
            raise ValidationError("Pick an earlier claim of this form.")
        return number

    def claim_index(self):
        """Return this form's position in its formset (0 for the first claim)."""
        try:
            return int(self.prefix.rsplit("-", 1)[-1])
        except (AttributeError, ValueError):
            return None


class BaseClaimFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Add at least one claim: nothing in Lootwatch goes unsourced.",
        "too_many_forms": (
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
                form.add_error("reported_via_number", f"Claim {number + 1} is empty.")
            url = form.cleaned_data.get("url")
            url = normalise_url(url) if url else url
            if url and url in urls:
                form.add_error("url", f"Claim {urls[url] + 1} in this form has the same URL.")
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
)


class LenientListField(forms.Field):
    """Several values of one parameter, each checked with ``item_field``; values that do not
    pass are dropped rather than refused (the duplicate check only warns)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, item_field, **kwargs):
        super().__init__(required=False, **kwargs)
        self.item_field = item_field

    def clean(self, values):
        cleaned = []
        for value in values or []:
            try:
                cleaned.append(self.item_field.clean(value))
            except ValidationError:
                continue
        return [value for value in cleaned if value]


class DuplicateCheckForm(forms.Form):
    """What the duplicate check reads from a form being filled in: claim URLs, SHA-256 digests
    of the chosen files (computed in the browser), the place or a new place's coordinates,
    and the dates. A field that does not validate is left out of the check, never an error."""

    urls = LenientListField(forms.URLField(max_length=2000, assume_scheme="https"))
    digests = LenientListField(
        forms.CharField(validators=[RegexValidator(r"^[0-9a-f]{64}$", "Not a SHA-256 hex digest.")])
    )
    place = forms.ModelChoiceField(queryset=Place.objects.all(), required=False)
    occurred_from = forms.DateField(required=False)
    occurred_to = forms.DateField(required=False)
    latitude = forms.DecimalField(required=False, min_value=-90, max_value=90)
    longitude = forms.DecimalField(required=False, min_value=-180, max_value=180)

    @classmethod
    def from_query(cls, params):
        """Build the form from the log form's own field names in a query string: ``url`` or
        ``claims-N-url``, ``sha256`` (comma-separated), ``place``, ``occurred_from``,
        ``occurred_to``, ``new_place-latitude`` and ``new_place-longitude``."""
        urls = [
            value
            for key in params
            if key == "url" or (key.startswith("claims-") and key.endswith("-url"))
            for value in params.getlist(key)
        ]
        digests = [
            digest.strip().lower()
            for value in params.getlist("sha256")
            for digest in value.split(",")
        ]
        data = MultiValueDict({"urls": urls, "digests": digests})
        for name, key in (
            ("place", "place"),
            ("occurred_from", "occurred_from"),
            ("occurred_to", "occurred_to"),
            ("latitude", "new_place-latitude"),
            ("longitude", "new_place-longitude"),
        ):
            data[name] = params.get(key, "")
        return cls(data)

    def check_arguments(self):
        """The keyword arguments of incidents.duplicates.find_duplicates, from what passed."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "urls": cleaned.get("urls") or [],
            "digests": cleaned.get("digests") or [],
            "place": cleaned.get("place"),
            "occurred_from": cleaned.get("occurred_from"),
            "occurred_to": cleaned.get("occurred_to"),
            "latitude": cleaned.get("latitude"),
            "longitude": cleaned.get("longitude"),
        }


def add_service_errors(form, error):
    """Show a ValidationError raised by a service next to the fields it names."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            if target is None and field != NON_FIELD_ERRORS:
                message = f"{field.replace('_', ' ').capitalize()}: {message}"
            form.add_error(target, message)
