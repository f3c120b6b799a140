"""Filters of the journalists' pages: the incident list, map and timeline (django-filter).

They mean the same as the partner filters in ``incidents.filters`` where the two overlap and
add what only staff ask: any status, the week, the region, "logged by me".
"""

import datetime

import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from claims import selectors as claim_selectors
from claims.models import ClaimStatus
from incidents import selectors
from incidents.duplicates import shifted
from incidents.filter_forms import IncidentPageFilterForm
from incidents.filters import IncidentFilterSet
from incidents.gazetteer import region_code
from incidents.models import Actor, IncidentStatus, ItemCategory, Place
from incidents.widgets import PlaceLookup
from lootwatch.filters import CountryFilter
from lootwatch.formats import DayFirstDateInput, date_hint

# The status filter's value for every incident, withdrawn ones included (by default the pages
# leave withdrawn incidents out).
ANY_STATUS = "any"

# The journalists' pages (incidents.views) list every incident the signed-in user may see,
# not only published ones, so they filter over all places and actors and by status too.


class PageOrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, its "(descending)" in our catalogue: django-filter has
    no Ukrainian of its own."""

    descending_fmt = _("%s (descending)")

    def build_choices(self, fields, labels):
        # django-filter writes "Date (descending)" once, in the language of the import;
        # here each is written when the page is drawn, in the page's language.
        choices = super().build_choices(fields, labels)
        ascending = dict(choices)
        return [
            (param, _descending(self.descending_fmt, ascending[param[1:]]))
            if param.startswith("-")
            else (param, label)
            for param, label in choices
        ]


_descending = lazy(lambda template, label: str(template) % label, str)


class IncidentPageFilterSet(IncidentFilterSet):
    """Filters of the journalists' incident list, map and timeline.

    Same meaning as the partner filters where they overlap, so the search and the claim
    status filter look at live claims only (a withdrawn claim's words find nothing); adds
    the incident's status and "logged by me". Applied to the incidents the user may see.
    """

    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words in titles, summaries, quotes")}
        ),
    )
    occurred_after = django_filters.DateFilter(
        field_name="occurred_to",
        lookup_expr="gte",
        label=_("From"),
        widget=DayFirstDateInput,
        help_text=date_hint,
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_from",
        lookup_expr="lte",
        label=_("To"),
        widget=DayFirstDateInput,
        help_text=date_hint,
    )
    country = CountryFilter(
        field_name="place__country",
        label=_("Country"),
        widget=forms.TextInput(attrs={"placeholder": "UA", "maxlength": 2, "size": 3}),
    )
    place = django_filters.ModelChoiceFilter(
        queryset=Place.objects.all(),
        label=_("Place"),
        empty_label=_("Any place"),
        widget=PlaceLookup,
        error_messages={"invalid_choice": _("Unknown place.")},
    )
    region = django_filters.CharFilter(
        method="filter_region",
        max_length=200,
        label=_("Region"),
        help_text=_("Any spelling, or the ISO code: Kyiv Oblast, Київська область, UA-32."),
        widget=forms.TextInput(attrs={"placeholder": "Kyiv Oblast"}),
    )
    taken_to_country = CountryFilter(
        method="filter_taken_to_country",
        label=_("Goods taken to (country)"),
        help_text=_("By the route, or a linked market or depot there."),
        widget=forms.TextInput(attrs={"placeholder": "BY", "maxlength": 2, "size": 3}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ItemCategory.objects.in_tree_order(),
        to_field_name="slug",
        method="filter_category",
        label=_("Category"),
        empty_label=_("Any category (a top one includes its subcategories)"),
        error_messages={"invalid_choice": _("Unknown category.")},
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(),
        method="filter_actor",
        label=_("Alleged actor"),
        empty_label=_("Any actor"),
        error_messages={"invalid_choice": _("Unknown actor.")},
    )
    claim_status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices,
        method="filter_claim_status",
        label=_("Has a claim that is"),
        empty_label=_("Any claim status"),
    )
    status = django_filters.ChoiceFilter(
        choices=[*IncidentStatus.choices, (ANY_STATUS, _("Any, withdrawn included"))],
        method="filter_status",
        label=_("Incident status"),
        empty_label=_("Any but withdrawn"),
    )
    week = django_filters.DateFilter(
        method="filter_week",
        label=_("Began in the week of"),
        widget=DayFirstDateInput,
        help_text=_("The week (Monday to Sunday) of this day, as the timeline counts it."),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Logged by me"),
        widget=forms.CheckboxInput,
    )
    ordering = PageOrderingFilter(
        fields=(
            ("occurred_from", "occurred_from"),
            ("updated_at", "updated_at"),
            ("created_at", "created_at"),
            ("place__name", "place"),
            ("title", "title"),
        ),
        field_labels={
            "occurred_from": _("Date"),
            "updated_at": _("Last change"),
            "created_at": _("Logged"),
            "place__name": _("Place"),
            "title": _("Title"),
        },
        label=_("Sort by"),
        empty_label=_("Newest first"),
    )
    # Partners' filters the pages do not offer: locations are shown on the map instead, and
    # a second list of every place (beside _("Place")) would double the weight of each page.
    taken_to_place = None
    bbox = None
    # The pages show every live claim's summary, not the partners' one stored for this.
    assessment = None
    medium = None
    updated_since = None

    search_document = "staff"

    def claims_looked_at(self):
        # Journalists find every live claim, including those waiting for an editor.
        return claim_selectors.live_claims_seen_by(self.request.user)

    def searched_claims(self):
        # Every live claim (the search leaves withdrawn ones out by itself).
        return None

    def linked_incidents_looked_at(self):
        # A link counts only to an incident the journalist may see (not another's draft).
        return selectors.visible_incidents(self.request.user)

    class Meta(IncidentFilterSet.Meta):
        form = IncidentPageFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if not self.is_bound:
            # Withdrawn incidents are out of the way unless the status filter asks for them.
            self.queryset = self.queryset.exclude(status=IncidentStatus.WITHDRAWN)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=IncidentStatus.WITHDRAWN)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == ANY_STATUS:
            return queryset
        return queryset.filter(status=value)

    def filter_week(self, queryset, name, value):
        monday = value - datetime.timedelta(days=value.weekday())
        return queryset.filter(occurred_from__gte=monday, occurred_from__lt=shifted(monday, 7))

    def filter_region(self, queryset, name, value):
        """Places in the region ``value`` names, by its ISO 3166-2 code; a name we cannot
        read is matched as written."""
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        code = region_code(value, country=self.form.cleaned_data.get("country") or "")
        if code:
            return queryset.filter(place__admin1_code=code)
        return queryset.filter(place__admin1__iexact=value)

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(created_by=self.request.user)
