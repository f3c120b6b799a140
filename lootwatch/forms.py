"""Form plumbing shared by the journalists' pages and the admin: pickers that offer "a new
one", lenient list fields for checks that only warn, and showing a service's refusal on the
form it came from."""

from decimal import ROUND_HALF_EVEN, Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.forms.utils import ErrorDict

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


class ChosenOnlySelect(forms.Select):
    """The select of a record chosen by typing part of its name: a search box beside it
    fills it with suggestions through htmx (the place and source pickers).

    It is rendered with the empty choice, "a new one" when the field offers one
    (KnownOrNewChoiceField), and the chosen record only, never with every record there is
    (12,500 places or 5,000 sources at the size of a war: megabytes a page).
    """

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        raw = value[0] if value else None
        new_label = getattr(field, "new_label", None)
        try:
            # An unknown or malformed value is shown as no choice (the form says why).
            chosen = self.choices.queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            chosen = None
        picked_new = new_label is not None and raw == NEW_CHOICE
        options = [
            self.create_option(name, "", field.empty_label, chosen is None and not picked_new, 0)
        ]
        if new_label is not None:
            options.append(self.create_option(name, NEW_CHOICE, new_label, picked_new, 1))
        if chosen is not None:
            label = field.label_from_instance(chosen)
            options.append(self.create_option(name, str(chosen.pk), label, True, len(options)))
        return [(None, options, 0)]


class MarkedRequiredBoundField(forms.BoundField):
    """A field the form checks itself rather than by ``required`` (a picker that may be left
    for its "new" section), labelled as required like every field a person must fill."""

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        attrs = {**(attrs or {})}
        classes = getattr(self.form, "required_css_class", "")
        if classes and classes not in attrs.get("class", ""):
            attrs["class"] = f"{attrs.get('class', '')} {classes}".strip()
        return super().label_tag(contents, attrs, label_suffix, tag)


class KnownOrNewChoiceField(forms.ModelChoiceField):
    """Pick a known record, or the "new" option whose details are typed in other fields.

    Both the empty choice and "new" clean to None; the form tells them apart with
    ``chose_new``, the fields for the new record decide whether one was described. A person
    must do one or the other, so the label is marked required (MarkedRequiredBoundField)."""

    iterator = KnownOrNewChoiceIterator
    bound_field_class = MarkedRequiredBoundField

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


def add_service_errors(form, error):
    """Show a ValidationError raised by a service on ``form``.

    Messages about one of the form's visible fields go next to that field; all others go
    above the form: a stale version or another hidden input (said as it is), or a field the
    form does not have (prefixed with the field's name, so the message still makes sense).
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, errors)
            continue
        for message in ValidationError(errors).messages:
            if field != NON_FIELD_ERRORS and field not in form.fields:
                message = f"{field.replace('_', ' ').capitalize()}: {message}"
            form.add_error(None, message)


class BoundedFormSetMixin:
    """A formset that builds no form at all when the request says it holds more than
    ``absolute_max``: full_clean() then refuses it with ``too_many_forms``, at once,
    instead of building and showing back thousands of forms (claims-TOTAL_FORMS=100000)."""

    def total_form_count(self):
        management = self.management_form if self.is_bound else None
        if (
            management is not None
            and management.is_valid()
            and management.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max
        ):
            return 0
        return super().total_form_count()


class OptionalPartForm:
    """A part of a bigger form that may stay empty: a new place or actor beside the picker.
    The view sets ``in_use`` when the journalist is describing one; until then the form has
    no errors, so that a page sent back for another field's error does not open this
    section full of "required" messages."""

    in_use = False

    def full_clean(self):
        if not self.in_use:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class CoordinateField(forms.DecimalField):
    """Decimal degrees as map apps copy them (often seven places or more), rounded to the six
    places stored (about 10 cm) rather than refused."""

    STEP = Decimal("0.000001")

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or not value.is_finite():
            return value
        return value.quantize(self.STEP, rounding=ROUND_HALF_EVEN)
