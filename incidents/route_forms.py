"""Forms of the journalists' pages for where an incident's goods went: the points of its
route (each a known place or a new one, with dates, how it is known and the claims that say
so) and its links to other incidents following the same goods.

Forms only validate and build what incidents.services.log_incident and edit_incident take
(RoutePointSubmission, LinkSubmission); the views save them through those services.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents import selectors
from incidents.forms import DATE_INPUT, NewPlaceForm, place_picker
from incidents.models import (
    MAX_ROUTE_POINTS,
    Incident,
    LinkKind,
    LinkRole,
    RoutePoint,
)
from incidents.services import LinkSubmission, RoutePointSubmission
from lootwatch.formats import date_hint
from lootwatch.forms import BoundedFormSetMixin, chose_new

# The most links one form takes; more is a sign that something else is meant.
MAX_LINKS = 20
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class RoutePointForm(forms.ModelForm):
    """One place the goods were taken to: picked from the known places, or described in its
    own new-place section. Editing, the claims that say so are picked from the incident's
    claims; logging, by their number in the form (see LoggedRoutePointForm)."""

    required_css_class = "required"

    place = place_picker(label=_("Taken to"))

    class Meta:
        model = RoutePoint
        fields = ["place", "date_from", "date_to", "note", "supporting_claims"]
        widgets = {
            "date_from": DATE_INPUT,
            "date_to": DATE_INPUT,
            "note": forms.TextInput(attrs={"placeholder": _("e.g. reported by the ministry")}),
            "supporting_claims": forms.CheckboxSelectMultiple,
        }
        labels = {
            "date_from": _("There from"),
            "date_to": _("Until"),
            "note": _("How it is known"),
            "supporting_claims": _("Claims that say so"),
        }
        help_texts = {
            "note": _(
                "e.g. “tracked by the dealer's GPS”, “reported by the ministry”. Shown to "
                "partners: never name a witness here."
            ),
            "supporting_claims": _(
                "The claims of this incident that say the goods were taken here."
            ),
            "date_from": date_hint,
            "date_to": format_lazy("{}. {}", date_hint, _("Leave empty for a single day.")),
        }

    def __init__(self, *args, claims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_place_form = NewPlaceForm(
            self.data if self.is_bound else None, prefix=self.add_prefix("new_place")
        )
        # lootwatch.js opens the new-place section when "a new place" is picked.
        self.fields["place"].widget.attrs["data-new-opens"] = "new-place"
        if self.instance.pk:
            self.fields["place"].initial = self.instance.place_id
        if "supporting_claims" in self.fields:
            # Withdrawn claims stay listed (marked), so that a point citing one keeps it.
            self.fields["supporting_claims"].queryset = claims
            self.fields["supporting_claims"].label_from_instance = _claim_label

    def has_changed(self):
        return super().has_changed() or self.new_place_form.is_filled()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and not end and "date_to" not in self.errors:
            cleaned["date_to"] = start
        elif end and not start:
            self.add_error("date_from", gettext("Give the start of the date range too."))
        if not cleaned.get("place"):
            if chose_new(self, "place") or self.new_place_form.is_filled():
                self.new_place_form.in_use = True
                if not self.new_place_form.is_valid():
                    self.add_error(None, gettext("Correct the new place below."))
            else:
                self.add_error("place", gettext("Pick the place, or describe a new one below."))
        return cleaned

    def submission(self, claims):
        """The point as incidents.services take it, citing ``claims``."""
        new_place = None if self.cleaned_data.get("place") else self.new_place_form.instance
        return RoutePointSubmission(point=self.instance, new_place=new_place, claims=claims)


def _claim_label(claim):
    label = str(claim)
    if claim.published_at:
        label += f", {date_format(claim.published_at, 'd M Y')}"
    return gettext("%(claim)s (withdrawn)") % {"claim": label} if claim.withdrawn_at else label


class LoggedRoutePointForm(RoutePointForm):
    """A route point in the log-an-incident form, whose claims do not exist yet: it names
    them by their number in the same form."""

    claim_numbers = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Claims that say so"),
        help_text=_("The claims of this form (below) that say the goods were taken here."),
    )

    class Meta(RoutePointForm.Meta):
        fields = ["place", "date_from", "date_to", "note"]

    def __init__(self, *args, claim_count=1, **kwargs):
        super().__init__(*args, **kwargs)
        # lootwatch.js adds a box here for every claim added to the form.
        self.fields["claim_numbers"].choices = [
            (number, gettext("Claim %(number)d") % {"number": number + 1})
            for number in range(claim_count)
        ]


class BaseRouteFormSet(BoundedFormSetMixin, forms.BaseInlineFormSet):
    """The route, in the order of its forms. ``filled_claims`` are the numbers of the
    claims filled in beside it (logging only), which its points may cite."""

    default_error_messages = {
        "too_many_forms": _("A route has at most %(num)d points."),
    }

    def __init__(self, *args, filled_claims=None, **kwargs):
        self.filled_claims = filled_claims
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.filled_claims is None:
            return
        for form in self.forms:
            for number in (getattr(form, "cleaned_data", None) or {}).get("claim_numbers", []):
                if number not in self.filled_claims:
                    form.add_error(
                        "claim_numbers",
                        gettext("Claim %(number)d is empty.") % {"number": number + 1},
                    )

    def kept_forms(self):
        """The forms of the points the route keeps, in order: filled in and not removed."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [
            form
            for form in self.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]


def route_formset_class(*, logging, can_delete):
    """The route's formset: in the log form (claims by number) or the edit form. Only
    editors may remove a point, as with items."""
    return forms.inlineformset_factory(
        Incident,
        RoutePoint,
        form=LoggedRoutePointForm if logging else RoutePointForm,
        formset=BaseRouteFormSet,
        extra=1 if logging else 0,
        can_delete=can_delete,
        can_delete_extra=False,
        max_num=MAX_ROUTE_POINTS,
        validate_max=True,
        # No more forms are built whatever route-TOTAL_FORMS says (lootwatch.forms).
        absolute_max=MAX_ROUTE_POINTS,
    )


# Links between incidents.

# Whole sentences, not "were {kind}" pieces: a language may need to reorder or inflect them.
LINK_LABELS = {
    (LinkRole.DESTINATION, LinkKind.SOLD_AT): _("Goods taken here were sold at that incident"),
    (LinkRole.DESTINATION, LinkKind.STORED_AT): _("Goods taken here were stored at that incident"),
    (LinkRole.DESTINATION, LinkKind.CARRIED_BY): _(
        "Goods taken here were carried by that incident"
    ),
    (LinkRole.ORIGIN, LinkKind.SOLD_AT): _("Goods taken there were sold at this incident"),
    (LinkRole.ORIGIN, LinkKind.STORED_AT): _("Goods taken there were stored at this incident"),
    (LinkRole.ORIGIN, LinkKind.CARRIED_BY): _("Goods taken there were carried by this incident"),
}
LINK_CHOICES = [
    (f"{role}:{kind}", LINK_LABELS[role, kind])
    for role in (LinkRole.DESTINATION, LinkRole.ORIGIN)
    for kind in LinkKind
]


class LinkForm(forms.Form):
    """A link to another incident following the same goods, named by its page's address
    (or its id) and how the goods link the two."""

    incident = forms.CharField(
        label=_("Other incident"),
        max_length=300,
        help_text=_("The address of its page, or its id."),
        widget=forms.TextInput(attrs={"placeholder": "https://…/incidents/…/"}),
    )
    # Preselected as browsers preselect a list's first choice, so that a blank row sent
    # with it counts as unchanged (and is left out) rather than as a half-filled link.
    link = forms.ChoiceField(
        choices=LINK_CHOICES, initial=LINK_CHOICES[0][0], label=_("How the goods link them")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_incident(self):
        found = UUID.search(self.cleaned_data["incident"])
        if found is None:
            raise ValidationError(gettext("Paste the address of the incident's page, or its id."))
        incident = selectors.visible_incidents(self.user).filter(public_id=found.group(0)).first()
        if incident is None:
            raise ValidationError(gettext("There is no incident with this id that you may see."))
        return incident

    def submission(self):
        role, kind = self.cleaned_data["link"].split(":")
        return LinkSubmission(incident=self.cleaned_data["incident"], kind=kind, role=role)


class BaseLinkFormSet(BoundedFormSetMixin, forms.BaseFormSet):
    default_error_messages = {"too_many_forms": _("A form takes at most %(num)d links.")}

    def kept_forms(self):
        """The forms of the links kept: every link the form opened with (unless removed),
        and the new ones filled in."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [
            form
            for index, form in enumerate(self.forms)
            if form not in deleted and (index < self.initial_form_count() or form.has_changed())
        ]


def link_formset_class(*, can_delete):
    return forms.formset_factory(
        LinkForm,
        formset=BaseLinkFormSet,
        extra=1,
        can_delete=can_delete,
        can_delete_extra=False,
        max_num=MAX_LINKS,
        validate_max=True,
        # No more forms are built whatever links-TOTAL_FORMS says (lootwatch.forms).
        absolute_max=MAX_LINKS,
    )


def link_initial(incident):
    """The edit form's rows for ``incident``'s links (loaded as the user may see them)."""
    return [
        {"incident": str(other.public_id), "link": f"{role}:{kind}", "title": other.title}
        for other, kind, role in incident.linked_incidents()
    ]
