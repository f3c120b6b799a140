"""The editors' admin for claims: the review queue (the claims list, opened on claims
waiting for a decision), the claim's change form, and the read-only log of reviews.

A claim's status changes only through claims.services.review_claim(s), which writes one
Review per decision; the steps that call it are in claims.admin.review.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import rules, selectors
from claims import services as claim_services
from claims.admin.evidence import EvidenceInline, thumbnail_tag
from claims.admin.review import TAKEN_VIEWS, ClaimReviewStepsMixin, review_url
from claims.models import CheckItem, CheckResult, Claim, Review
from claims.selectors import in_review_queue
from claims.services.recording import EDITABLE_FIELDS
from incidents.duplicates import evidence_looking_alike, perceptual_hashes_of
from lootwatch.admin_base import (
    CategoryFilter,
    CountryFilter,
    EditorialAdminMixin,
    HistoryAdmin,
    ReadOnlyAdminMixin,
    VersionedAdminForm,
    changed_model_fields,
    external_link,
    https_url_fields,
    staff_name,
)


class ReviewQueueFilter(admin.SimpleListFilter):
    """Opens the claims list on the review queue; "All claims" clears it.

    The queue: unverified, not withdrawn claims of incidents submitted for review or
    already published, oldest first. A claim a journalist adds to a published incident
    waits here, hidden from partners, until an editor verifies, disputes or withdraws it.
    """

    title = _("queue")
    parameter_name = "queue"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, gettext("All claims"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext("Awaiting review (unverified, of submitted or published incidents)"),
        }
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": gettext("All claims"),
        }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return in_review_queue(queryset)


class TakenFilter(admin.SimpleListFilter):
    """Who has taken the claims for review: the signed-in editor, nobody, someone else.
    An assignment left untouched for a day counts as nobody's (claims.rules.taken)."""

    title = _("taken for review")
    parameter_name = "taken"

    def lookups(self, request, model_admin):
        return [
            ("mine", _("Taken by me")),
            ("unassigned", _("Not taken")),
            ("others", _("Taken by other editors")),
        ]

    def queryset(self, request, queryset):
        if self.value() in TAKEN_VIEWS:
            return queryset.filter(selectors.QUEUE_VIEWS[self.value()](request.user))
        return queryset


class ClaimCountryFilter(CountryFilter):
    title = _("country of the incident")
    field_path = "incident__place__country"


class ClaimCategoryFilter(CategoryFilter):
    incident_path = "incident"


class ReviewInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The claim's review history: who decided what, when and why. Never editable."""

    model = Review
    extra = 0
    can_delete = False
    fields = ["created_at", "reviewer_name", "decision", "dispute_reason", "checks", "note"]
    readonly_fields = fields
    verbose_name_plural = _("review history")

    reviewer_name = staff_name("reviewer", "reviewer")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    @admin.display(description=_("from → to"))
    def decision(self, review):
        return f"{review.get_from_status_display()} → {review.get_to_status_display()}"

    @admin.display(description=_("checks"))
    def checks(self, review):
        return checklist_summary(review)


def checklist_summary(review):
    """The checklist of ``review`` as a short list, or a dash for a review recorded before
    checklists existed."""
    checklist = review.checklist
    if not checklist:
        return "—"
    return format_html_join(
        "",
        '<span class="check check-{}">{}: {}</span><br>',
        (
            (result, CheckItem(item).label, CheckResult(result).label)
            for item, result in checklist.items()
        ),
    )


class ClaimAdminForm(VersionedAdminForm):
    class Meta:
        model = Claim
        formfield_callback = https_url_fields
        # The status is not editable (and not listed): it changes only through a review.
        # The incident is chosen when adding a claim, and read-only afterwards.
        fields = ["incident", *EDITABLE_FIELDS]


@admin.register(Claim)
class ClaimAdmin(ClaimReviewStepsMixin, EditorialAdminMixin, HistoryAdmin):
    form = ClaimAdminForm
    # The queue's columns, narrow enough for 1280 px beside the filters; each claim opens
    # its review workspace.
    list_display = [
        "claim_column",
        "incident_link",
        "source_column",
        "medium",
        "evidence_count",
        "submitted",
        "taken_by",
    ]
    list_display_links = None
    list_filter = [
        ReviewQueueFilter,
        TakenFilter,
        "status",
        "medium",
        "source__kind",
        ClaimCountryFilter,
        ClaimCategoryFilter,
        ("submitted_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["incident", "source", "submitted_by", "assigned_to"]
    # Oldest first: the claim that has waited longest is reviewed first.
    ordering = ["created_at", "pk"]
    search_fields = ["url", "original_text", "translation", "source__name", "incident__title"]
    autocomplete_fields = ["incident", "source", "reported_via"]
    inlines = [EvidenceInline, ReviewInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["take_selected", "verify_selected", "dispute_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "incident",
                    "source",
                    "medium",
                    ("url", "archived_url"),
                    "links",
                    "published_at",
                    "language",
                    "original_text",
                    "translation",
                    ("translated_by", "translator_kind"),
                    "reported_via",
                    "internal_notes",
                    "expected_version",
                ]
            },
        ),
        (
            _("Review state (changed only by verifying or disputing)"),
            {
                "fields": [
                    "public_id",
                    ("status", "status_changed_at", "dispute_reason"),
                    ("assigned_by_name", "assigned_at"),
                    ("submitted_by_name", "created_at"),
                    ("withdrawn_at", "withdrawal_reason"),
                    "version",
                ]
            },
        ),
        (_("Pictures that look the same"), {"fields": ["lookalikes"]}),
    ]
    readonly_fields = [
        "links",
        "public_id",
        "status",
        "status_changed_at",
        "dispute_reason",
        "assigned_by_name",
        "assigned_at",
        "submitted_by_name",
        "created_at",
        "withdrawn_at",
        "withdrawal_reason",
        "version",
        "lookalikes",
    ]

    submitted_by_name = staff_name("submitted_by", _("submitted by"))
    assigned_by_name = staff_name("assigned_to", _("taken by"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("incident", "source", "submitted_by", "assigned_to")
            .annotate(evidence_total=Count("evidence", distinct=True))
        )

    def get_list_display(self, request):
        # Every claim in the queue is unverified; the list of all claims says which is what.
        if request.GET.get(ReviewQueueFilter.parameter_name) == ReviewQueueFilter.ALL:
            return [*self.list_display[:1], "status", *self.list_display[1:]]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        context = dict(extra_context or {})
        if rules.can_review(request.user):
            context["queue_counts"] = selectors.review_queue_counts(request.user)
        if request.GET.get(ReviewQueueFilter.parameter_name) != ReviewQueueFilter.ALL:
            context["title"] = gettext("Review queue")
        return super().changelist_view(request, context)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = [name for name in self.fieldsets[0][1]["fields"] if name != "links"]
            return [(None, {"fields": fields[:-1]})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Claims move between incidents only by merging them.
        return [*self.readonly_fields, "incident"] if obj else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    @admin.display(description=_("claim"))
    def claim_column(self, claim):
        # The hidden input carries the version the editor saw in this list into a bulk
        # review, so a claim that changed meanwhile is refused rather than overruled.
        return format_html(
            '<a href="{}" class="queue-claim">{}</a>'
            '<input type="hidden" name="version_{}" value="{}">',
            review_url(claim),
            Truncator(claim.original_text).words(12),
            claim.pk,
            claim.version,
        )

    @admin.display(description=_("evidence"), ordering="evidence_total")
    def evidence_count(self, claim):
        return claim.evidence_total

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted(self, claim):
        return format_html(
            '<time datetime="{}" title="{} UTC">{}</time>',
            claim.created_at.isoformat(),
            f"{claim.created_at:%Y-%m-%d %H:%M}",
            gettext("%(time)s ago") % {"time": timesince(claim.created_at, depth=1)},
        )

    @admin.display(description=_("taken by"))
    def taken_by(self, claim):
        holder = rules.holder(claim)
        return holder.get_username() if holder is not None else "—"

    @admin.display(description=_("incident"), ordering="incident__title")
    def incident_link(self, claim):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:incidents_incident_change", args=[claim.incident_id]),
            claim.incident,
            claim.incident.get_status_display().lower(),
        )

    @admin.display(description=_("source"), ordering="source__name")
    def source_column(self, claim):
        # Editors see who a protected source is, beside the label partners see.
        if claim.source.identity_protected:
            return f"{claim.source.name} ({claim.source.public_label})"
        return claim.source.name

    @admin.display(description=_("links"))
    def links(self, claim):
        return format_html(
            "{} · {}",
            external_link(claim.url, "original"),
            external_link(claim.archived_url, "archived"),
        )

    @admin.display(description=_("evidence"))
    def evidence_thumbnails(self, claim):
        return format_html_join(
            " ", "{}", ((thumbnail_tag(evidence),) for evidence in claim.evidence.all())
        )

    @admin.display(description=_("on other claims"))
    def lookalikes(self, claim):
        evidence = claim.evidence.select_related("perceptual_hash")
        found = evidence_looking_alike(
            perceptual_hashes=perceptual_hashes_of(evidence),
            digests=[item.sha256 for item in evidence],
            user=None,
            exclude_claim=claim.pk,
        )
        if not found:
            return gettext("No picture of another claim looks like this claim's pictures.")
        return format_html_join(
            "",
            "<p>{} {}</p>",
            (
                (
                    gettext("A picture of this claim"),
                    render_to_string(
                        "claims/includes/lookalike.html",
                        {
                            "item": item,
                            "href": reverse(
                                "admin:incidents_incident_change", args=[item.claim.incident_id]
                            ),
                        },
                    ),
                )
                for item in found
            ),
        )

    # Nobody deletes claims: withdrawing keeps them on record.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return rules.can_edit_claim(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            claim_services.create_claim(claim=obj, submitted_by=request.user)
            return
        claim_services.update_claim(
            claim=obj,
            editor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            fields=changed_model_fields(form),
        )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The log of decisions, for reading only: reviews are written by review_claim and
    never added, changed or deleted by hand, not even by a superuser."""

    list_display = [
        "created_at",
        "claim",
        "reviewer",
        "from_status",
        "to_status",
        "dispute_reason",
        "note",
    ]
    list_filter = [
        "to_status",
        "from_status",
        "dispute_reason",
        ("reviewer", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["claim__source", "reviewer"]
    search_fields = ["note", "claim__url", "claim__incident__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
