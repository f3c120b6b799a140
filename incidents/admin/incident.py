"""The editors' admin for incidents: the list, the change form (an edit, route and links
included, goes through incidents.services like every other edit), and the editorial steps
(publish, withdraw, merge) from incidents.admin.steps."""

from django.contrib import admin
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from incidents import rules, selectors
from incidents import services as incident_services
from incidents.admin.routes import (
    DestinationInline,
    LinkInlineFormSet,
    OriginInline,
    RoutePointInline,
    RoutePointInlineFormSet,
)
from incidents.admin.steps import IncidentStepsMixin
from incidents.models import Assessment, Incident, IncidentItem
from incidents.services.recording import EDITABLE_FIELDS
from incidents.templatetags.incident_pages import claims_summary
from lootwatch.admin_base import (
    CategoryFilter,
    CountryFilter,
    EditorialAdminMixin,
    HistoryAdmin,
    ReadOnlyAdminMixin,
    VersionedAdminForm,
    external_link,
    staff_name,
)


class AssessmentFilter(admin.SimpleListFilter):
    title = _("assessment")
    parameter_name = "assessment"

    def lookups(self, request, model_admin):
        return Assessment.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(assessment=self.value())
        return queryset


class IncidentItemInline(admin.TabularInline):
    model = IncidentItem
    extra = 0
    autocomplete_fields = ["category"]
    fields = ["category", "description", "quantity_min", "quantity_max"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category__parent")


class ClaimInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The claims an incident stands on, read-only: claims are reviewed on their own page."""

    model = Claim
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["source", "medium", "quote", "published_at", "status", "withdrawn_at", "original"]
    readonly_fields = fields
    verbose_name_plural = _("claims (review one in its workspace)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    @admin.display(description=_("quote"))
    def quote(self, claim):
        return format_html(
            '{} <a href="{}">{}</a>',
            Truncator(claim.translation or claim.original_text).words(30),
            reverse("admin:claims_claim_review", args=[claim.pk]),
            _("Review…"),
        )

    @admin.display(description=_("original"))
    def original(self, claim):
        return external_link(claim.url, _("original"))


def assessment_tag(incident):
    """The assessment, linked to its definition on the public methodology page."""
    return format_html(
        '<a href="{}#{}" title="{}">{}</a>',
        reverse("methodology"),
        incident.assessment,
        _("How this grade is defined"),
        Assessment(incident.assessment).label,
    )


class IncidentAdminForm(VersionedAdminForm):
    class Meta:
        model = Incident
        # What editors type; the editorial state changes only through the services.
        fields = [*EDITABLE_FIELDS, "actors"]


@admin.register(Incident)
class IncidentAdmin(IncidentStepsMixin, EditorialAdminMixin, HistoryAdmin):
    form = IncidentAdminForm
    list_display = [
        "title",
        "status",
        "place",
        "dates",
        "assessment_column",
        "claims_brief",
        "updated_at",
    ]
    list_filter = [
        "status",
        AssessmentFilter,
        CountryFilter,
        CategoryFilter,
        ("actors", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["place"]
    date_hierarchy = "occurred_from"
    search_fields = ["title", "summary", "place__name", "place__admin1"]
    autocomplete_fields = ["place", "actors"]
    inlines = [IncidentItemInline, RoutePointInline, DestinationInline, OriginInline, ClaimInline]
    actions = ["merge_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "summary",
                    "place",
                    ("occurred_from", "occurred_to", "date_precision"),
                    "actors",
                    "internal_notes",
                    "expected_version",
                ]
            },
        ),
        (
            _("Editorial state (changed only by publishing, withdrawing or merging)"),
            {
                "fields": [
                    "public_id",
                    "status",
                    "assessment_column",
                    "verification",
                    ("logged_by", "created_at"),
                    ("submitted_at", "published_at", "withdrawn_at"),
                    "publication_reason",
                    "withdrawal_reason",
                    "merged_into",
                    "version",
                ]
            },
        ),
    ]
    readonly_fields = [
        "public_id",
        "status",
        "assessment_column",
        "verification",
        "logged_by",
        "created_at",
        "submitted_at",
        "published_at",
        "withdrawn_at",
        "publication_reason",
        "withdrawal_reason",
        "merged_into",
        "version",
    ]

    logged_by = staff_name("created_by", _("logged by"))

    def get_queryset(self, request):
        # The summary is one aggregate for the whole page; the place is joined in.
        return selectors.with_summary(super().get_queryset(request)).select_related(
            "place", "created_by", "merged_into"
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.fieldsets[0][1]["fields"][:-1]})]
        return self.fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj else [IncidentItemInline]

    @admin.display(description=_("occurred"), ordering="occurred_from")
    def dates(self, incident):
        start, end = incident.occurred_from, incident.occurred_to
        if start == end:
            return date_format(start, "j M Y")
        return f"{date_format(start, 'j M')} – {date_format(end, 'j M Y')}"

    @admin.display(description=_("assessment"), ordering="assessment")
    def assessment_column(self, incident):
        if getattr(incident, "assessment", None) is None:
            return "—"
        return assessment_tag(incident)

    @admin.display(description=_("claims"))
    def claims_brief(self, incident):
        """The list's short form: the counts that are not zero, "3 claims: 2 verified,
        1 unverified" (the change page spells everything out)."""
        if getattr(incident, "claims_total", None) is None:
            return "—"
        counts = [
            label % {"count": count}
            for count, label in (
                (incident.claims_verified, gettext("%(count)s verified")),
                (incident.claims_disputed, gettext("%(count)s disputed")),
                (incident.claims_unverified, gettext("%(count)s unverified")),
            )
            if count
        ]
        total = incident.claims_total
        claims = ngettext("%(count)s claim", "%(count)s claims", total) % {"count": total}
        return claims + (f": {', '.join(counts)}" if counts else "")

    @admin.display(description=_("claims"))
    def verification(self, incident):
        if getattr(incident, "claims_total", None) is None:
            return "—"
        return claims_summary(incident)

    # Nobody deletes incidents: withdrawing keeps them on record.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return rules.can_edit_incident(request.user, obj)

    def has_merge_permission(self, request):
        return rules.can_merge(request.user)

    def save_model(self, request, obj, form, change):
        # Nothing here: the incident, its actors and its items are saved together by one
        # service call in save_related, where the items' formset is at hand.
        pass

    def save_related(self, request, form, formsets, change):
        items, removed, route, links = [], [], None, None
        for formset in formsets:
            if formset.model is IncidentItem:
                items = formset.save(commit=False)
                removed = formset.deleted_objects
                continue
            # The route, the links and the read-only claims are saved by the service below;
            # this only tells the admin's log what changed.
            formset.save(commit=False)
            if isinstance(formset, RoutePointInlineFormSet):
                route = formset.submissions()
            elif isinstance(formset, LinkInlineFormSet):
                links = [*(links or []), *formset.submissions()]
        incident, data = form.instance, form.cleaned_data
        if not change:
            incident_services.log_incident(
                logged_by=request.user,
                incident=incident,
                place=data["place"],
                actors=data["actors"],
                items=items,
            )
            return
        incident_services.edit_incident(
            incident=incident,
            editor=request.user,
            expected_version=data["expected_version"],
            changes={name: data[name] for name in EDITABLE_FIELDS if name in data},
            actors=data["actors"],
            items=items,
            removed_items=removed,
            route=route,
            links=links,
        )
