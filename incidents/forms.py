"""Forms of the journalists' pages for incidents: the incident with its place (picked or
new) and actors, the items taken, and what the duplicate check reads. The claims of the log
form are claims.forms.ClaimFormSet.

Forms only validate and build unsaved objects; incidents.views saves them through
incidents.services.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.datastructures import MultiValueDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    PLACE_DESCRIPTION_FIELDS,
    Actor,
    Incident,
    IncidentItem,
    ItemCategory,
    Place,
)
from incidents.widgets import PlaceLookup
from lootwatch.countries import CountrySelect
from lootwatch.formats import DayFirstDateInput, date_hint
from lootwatch.forms import (
    BoundedFormSetMixin,
    CoordinateField,
    KnownOrNewChoiceField,
    LenientListField,
    OptionalPartForm,
    chose_new,
)

# Dates are typed in the language's one input format, day first (lootwatch.formats).
DATE_INPUT = DayFirstDateInput()
MISSING_VERSION = _(
    "Not saved: this form did not say which version of the incident it was opened at, so "
    "it cannot tell whether someone else changed the incident since. Reload the page and "
    "make your changes again."
)


class PlaceChoiceField(KnownOrNewChoiceField):
    def label_from_instance(self, place):
        return str(place)


def place_picker(**kwargs):
    """A place picked from the known ones, or "a new place" described beside it (the
    incident's own place, and each point of its route)."""
    return PlaceChoiceField(
        queryset=Place.objects.all(),
        # Only the chosen place is rendered: the search box beside it offers the others.
        widget=PlaceLookup,
        required=False,
        empty_label=_("— choose a place —"),
        new_label=_("— a new place (describe it below) —"),
        help_text=_("Type in the search box to narrow the list, or describe a new place below."),
        **{"label": _("Place"), **kwargs},
    )


class IncidentForm(forms.ModelForm):
    """The incident itself. The place is either picked from the existing ones or described
    in the accompanying NewPlaceForm; the view decides which, see ``clean``."""

    # Labels of required fields get this class; the stylesheet marks them with an asterisk.
    required_css_class = "required"

    place = place_picker()
    actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Alleged actors"),
        help_text=_("Who allegedly took the property, as the sources say."),
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
            "title": _("Title"),
            "summary": _("Summary"),
            "occurred_from": _("Occurred from"),
            "occurred_to": _("Occurred to"),
            "date_precision": _("Date precision"),
            "internal_notes": _("Internal notes"),
        }
        help_texts = {
            "occurred_from": format_lazy(
                "{}. {}", date_hint, _("Reports often say “in the last few days”: give the range.")
            ),
            "occurred_to": format_lazy("{}. {}", date_hint, _("Leave empty for a single day.")),
            "internal_notes": _("For staff only; never shown to partners."),
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
        # A single day needs no end: it is the start (see clean).
        self.fields["occurred_to"].required = False

    def clean(self):
        cleaned = super().clean()
        # The version is a hidden field: show its error above the form, where it is seen.
        for message in self._errors.pop("version", []):
            self.add_error(None, message)
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end is None and "occurred_to" not in self._errors:
            cleaned["occurred_to"] = end = start
        if start and end and end < start:
            self.add_error("occurred_to", _("The end of the date range is before its start."))
        if not cleaned.get("place") and not self.describes_new_place():
            self.add_error("place", _("Pick a place, or describe a new one below."))
        return cleaned

    def describes_new_place(self):
        """Return True if the journalist chose "a new place" or started describing one."""
        return chose_new(self, "place") or (
            self.new_place_form is not None and self.new_place_form.is_filled()
        )


class NamesField(forms.CharField):
    """Names separated by commas or new lines, kept as a list: "Мелітополь, Melitopol'"."""

    MAX_NAMES = 30

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        names = [name.strip() for name in re.split(r"[,\n]", super().to_python(value) or "")]
        return list(dict.fromkeys(name for name in names if name))

    def validate(self, value):
        super().validate(value)
        if len(value) > self.MAX_NAMES:
            raise ValidationError(
                _("Give at most %(count)d other names."),
                code="max_names",
                params={"count": self.MAX_NAMES},
            )


class NewPlaceForm(OptionalPartForm, forms.ModelForm):
    """A place a journalist adds while logging, because it is not in Lootwatch yet."""

    prefix = "new_place"
    required_css_class = "required"
    # What a new place must have; the rest is optional.
    REQUIRED = ("name", "country", "latitude", "longitude", "precision")

    alternative_names = NamesField(
        label=_("Other names"),
        max_length=2000,
        help_text=_("Other spellings, separated by commas, e.g. Мелітополь."),
    )

    class Meta:
        model = Place
        fields = PLACE_DESCRIPTION_FIELDS
        field_classes = {"latitude": CoordinateField, "longitude": CoordinateField}
        labels = {
            "name": _("Name of the new place"),
            "country": _("Country"),
            "admin1": _("Region / oblast"),
            "admin2": _("District / raion"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
            "precision": _("Precision"),
        }
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 50.5219."),
            "longitude": _("Decimal degrees, e.g. 30.2428."),
            "precision": _("How precisely the coordinates locate the incident."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only validated when used, see full_clean.
        for name, field in self.fields.items():
            field.required = name in self.REQUIRED
            field.error_messages["required"] = _("This field is required for a new place.")
        self.fields["country"].widget = CountrySelect()

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


class NewActorForm(OptionalPartForm, forms.ModelForm):
    """An alleged actor a journalist adds while logging, because it is not in Lootwatch yet
    (the Chechen units of a report, say): saved by incidents.services.create_actor."""

    prefix = "new_actor"
    required_css_class = "required"

    class Meta:
        model = Actor
        fields = ["name", "kind", "parent", "country"]
        labels = {
            "name": _("Name of the new actor"),
            "kind": _("Kind"),
            "parent": _("Part of"),
            "country": _("Country"),
        }
        help_texts = {
            "name": _("As the sources name it, e.g. “141st Special Motorized Regiment”."),
            "parent": _("The formation it belongs to, if known."),
            "country": _("ISO 3166-1 alpha-2, e.g. UA."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Actor.objects.order_by("name", "pk")
        self.fields["parent"].empty_label = _("— not known —")
        self.fields["country"].widget = CountrySelect()
        self.fields["name"].error_messages["required"] = _("Name the new actor.")

    def is_filled(self):
        """Return True if the journalist started describing a new actor."""
        return self.is_bound and any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("name", "parent")
        )

    def clean_name(self):
        return " ".join((self.cleaned_data.get("name") or "").split())


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return str(category)


class ItemForm(forms.ModelForm):
    """One kind of property taken: “hundreds of cars” is cars, 100–999."""

    required_css_class = "required"

    category = CategoryChoiceField(
        queryset=ItemCategory.objects.in_tree_order(), label=_("Category")
    )

    class Meta:
        model = IncidentItem
        fields = ["category", "description", "quantity_min", "quantity_max"]
        labels = {
            "category": _("Category"),
            "description": _("What exactly"),
            "quantity_min": _("At least"),
            "quantity_max": _("At most"),
        }
        widgets = {
            "description": forms.TextInput(attrs={"placeholder": _("e.g. washing machines")})
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("quantity_min"), cleaned.get("quantity_max")
        if low is not None and high is not None and high < low:
            self.add_error("quantity_max", _("The maximum is below the minimum."))
        return cleaned


# The most kinds of items one incident lists; no more forms than this are ever built.
MAX_ITEMS = 50


class BaseItemFormSet(BoundedFormSetMixin, forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("An incident lists at most %(num)d kinds of items taken."),
    }


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
        max_num=MAX_ITEMS,
        validate_max=True,
        # However many forms the request claims to hold (items-TOTAL_FORMS=100000), no
        # more than this are ever built: the rest is refused with too_many_forms.
        absolute_max=MAX_ITEMS,
    )


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
