"""The editors' admin for claims: the review queue, verify/dispute, and sources.

A claim's status changes only through claims.services.review_claim(s), which writes one
Review per decision; the admin offers no other way to touch it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

# Evidence and custody admin live in their own module; importing it registers them.
from claims import evidence_admin  # noqa: F401
from claims import services as claim_services
from claims.evidence_admin import EvidenceInline, thumbnail_tag
from claims.models import Claim, ClaimStatus, Review, Source
from incidents.admin import (
    CategoryFilter,
    CountryFilter,
    EditorialAdminMixin,
    HistoryAdmin,
    VersionedAdminForm,
    add_service_errors,
    changed_model_fields,
    external_link,
)
from incidents.models import IncidentStatus

# The decisions offered as buttons and bulk actions. Any status other than the current one
# can be chosen, so a decision can be revised (disputed → verified) and is logged again.
REVIEW_DECISIONS = {
    ClaimStatus.VERIFIED: "Verify",
    ClaimStatus.DISPUTED: "Dispute",
}


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["name", "kind", "country", "url", "organisation"]
    list_filter = ["kind", "country"]
    list_select_related = ["organisation"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["organisation"]

    def save_model(self, request, obj, form, change):
        # Through the services: partners see the source inside its claims and incidents,
        # whose mirrors must learn of the edit.
        if not change:
            claim_services.create_source(source=obj, created_by=request.user)
            return
        claim_services.update_source(
            source=obj, editor=request.user, fields=changed_model_fields(form)
        )


class ReviewQueueFilter(admin.SimpleListFilter):
    """Opens the claims list on the review queue; "All claims" clears it.

    The queue: unverified, not withdrawn claims of incidents submitted for review or
    already published, oldest first. A claim a journalist adds to a published incident
    waits here, hidden from partners, until an editor verifies, disputes or withdraws it.
    """

    title = "queue"
    parameter_name = "queue"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, "All claims")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Awaiting review (unverified, of submitted or published incidents)",
        }
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": "All claims",
        }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return in_review_queue(queryset)


def in_review_queue(claims):
    """The claims of ``claims`` that wait in the review queue (see ReviewQueueFilter)."""
    return claims.live().filter(
        status=ClaimStatus.UNVERIFIED,
        incident__status__in=[IncidentStatus.SUBMITTED, IncidentStatus.PUBLISHED],
    )


class ClaimCountryFilter(CountryFilter):
    title = "country of the incident"
    field_path = "incident__place__country"


class ClaimCategoryFilter(CategoryFilter):
    incident_path = "incident"


class ReviewInline(admin.TabularInline):
    """The claim's review history: who decided what, when and why. Never editable."""

    model = Review
    extra = 0
    can_delete = False
    fields = ["created_at", "reviewer", "decision", "note"]
    readonly_fields = fields
    verbose_name_plural = "review history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    @admin.display(description="from → to")
    def decision(self, review):
        return f"{review.get_from_status_display()} → {review.get_to_status_display()}"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def https_url_fields(db_field, **kwargs):
    """Treat a URL typed without a scheme as https (Django 6's default, adopted now)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ClaimAdminForm(VersionedAdminForm):
    class Meta:
        model = Claim
        formfield_callback = https_url_fields
        # The status is not editable (and not listed): it changes only through a review.
        fields = [
            "incident",
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
            "internal_notes",
        ]


class ReviewForm(forms.Form):
    """One decision on one claim. The status and version come from the page the editor saw;
    the service validates all three and refuses what it must."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        required=False,
        help_text="What you checked and what it showed. Kept on record with your name.",
    )


class WithdrawClaimForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text="Kept on record with your name, e.g. “Names a witness who asked not to be "
        "named” or “Duplicate of an earlier claim”.",
    )


class BulkReviewForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        required=False,
        help_text="One note for every selected claim: what you checked and what it showed.",
    )


@admin.register(Claim)
class ClaimAdmin(EditorialAdminMixin, HistoryAdmin):
    form = ClaimAdminForm
    list_display = [
        "excerpt",
        "incident_link",
        "source",
        "medium",
        "published_at",
        "status_column",
        "links",
        "evidence_thumbnails",
        "submitted_by",
        "created_at",
    ]
    list_display_links = ["excerpt"]
    list_filter = [
        ReviewQueueFilter,
        "status",
        "medium",
        "source__kind",
        ClaimCountryFilter,
        ClaimCategoryFilter,
        ("submitted_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["incident", "source", "submitted_by"]
    # Oldest first: the claim that has waited longest is reviewed first.
    ordering = ["created_at", "pk"]
    search_fields = ["url", "original_text", "translation", "source__name", "incident__title"]
    autocomplete_fields = ["incident", "source", "reported_via"]
    inlines = [EvidenceInline, ReviewInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["verify_selected", "dispute_selected"]
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
                    ("translation", "translated_by"),
                    "reported_via",
                    "internal_notes",
                    "expected_version",
                ]
            },
        ),
        (
            "Review state (changed only by verifying or disputing)",
            {
                "fields": [
                    "public_id",
                    ("status", "status_changed_at"),
                    ("submitted_by", "created_at"),
                    ("withdrawn_at", "withdrawal_reason"),
                    "version",
                ]
            },
        ),
    ]
    readonly_fields = [
        "links",
        "public_id",
        "status",
        "status_changed_at",
        "submitted_by",
        "created_at",
        "withdrawn_at",
        "withdrawal_reason",
        "version",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("incident", "source", "submitted_by")
            .prefetch_related("evidence")
        )

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

    @admin.display(description="claim")
    def excerpt(self, claim):
        return Truncator(claim.original_text).words(12)

    @admin.display(description="incident", ordering="incident__title")
    def incident_link(self, claim):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:incidents_incident_change", args=[claim.incident_id]),
            claim.incident,
            claim.incident.get_status_display().lower(),
        )

    @admin.display(description="status", ordering="status")
    def status_column(self, claim):
        # The hidden input carries the version the editor saw in this list into a bulk
        # review, so a claim that changed meanwhile is refused rather than overruled.
        return format_html(
            '{}<input type="hidden" name="version_{}" value="{}">',
            claim.get_status_display(),
            claim.pk,
            claim.version,
        )

    @admin.display(description="links")
    def links(self, claim):
        return format_html(
            "{} · {}",
            external_link(claim.url, "original"),
            external_link(claim.archived_url, "archived"),
        )

    @admin.display(description="evidence")
    def evidence_thumbnails(self, claim):
        return format_html_join(
            " ", "{}", ((thumbnail_tag(evidence),) for evidence in claim.evidence.all())
        )

    # Nobody deletes claims: withdrawing keeps them on record.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return claim_services.can_edit_claim(request.user, obj)

    def has_review_permission(self, request):
        return claim_services.can_review(request.user)

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

    def get_urls(self):
        return [
            self.editor_url(
                "<path:object_id>/review/",
                self.review_view,
                "claims_claim_review",
                "claims.review_claim",
            ),
            self.editor_url(
                "<path:object_id>/withdraw/",
                self.withdraw_view,
                "claims_claim_withdraw",
                "claims.review_claim",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if claim is not None and self.has_review_permission(request) and not claim.withdrawn_at:
            context["review_decisions"] = [
                (status, label)
                for status, label in REVIEW_DECISIONS.items()
                if status != claim.status
            ]
            context["can_withdraw"] = True
        return super().change_view(request, object_id, form_url, context)

    def review_view(self, request, object_id):
        """Verify or dispute one claim, with a note, at the version the editor saw."""
        claim = self._claim_or_404(request, object_id)
        if request.method == "POST":
            form = ReviewForm(request.POST)
            if form.is_valid():
                try:
                    claim_services.review_claim(
                        claim=claim,
                        reviewer=request.user,
                        to_status=form.cleaned_data["to_status"],
                        note=form.cleaned_data["note"],
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(
                        request,
                        f"{claim} is now {claim.get_status_display().lower()}.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:claims_claim_change", args=[claim.pk])
                    )
        else:
            if request.GET.get("to_status") == claim.status and not claim.withdrawn_at:
                # An old link or a second tab: say so at once, and offer the other decision
                # rather than a form the service would refuse.
                return self.render_step(
                    request,
                    "admin/claims/claim/review.html",
                    f"The claim is already {claim.get_status_display().lower()}",
                    claims=[claim],
                    rows=self._rows([claim]),
                    already=claim.get_status_display().lower(),
                    other_decisions=[
                        (status, label)
                        for status, label in REVIEW_DECISIONS.items()
                        if status != claim.status
                    ],
                )
            form = ReviewForm(
                initial={
                    "to_status": request.GET.get("to_status", ""),
                    "expected_version": request.GET.get("version", claim.version),
                }
            )
        to_status = form["to_status"].value()
        label = dict(ClaimStatus.choices).get(to_status, to_status)
        return self.render_step(
            request,
            "admin/claims/claim/review.html",
            f"Mark this claim {label.lower()}" if label else "Review this claim",
            claims=[claim],
            rows=self._rows([claim]),
            form=form,
        )

    def _claim_or_404(self, request, object_id):
        # get_object() answers None for an id that is not a number (or not a claim)
        # rather than letting the database raise.
        claim = self.get_object(request, object_id)
        if claim is None:
            raise Http404("No claim with this id.")
        return claim

    def withdraw_view(self, request, object_id):
        """Ask for the reason, then withdraw the claim through the service at the version
        the editor saw. It stays on record; partners are told to remove it."""
        claim = self._claim_or_404(request, object_id)
        if request.method == "POST":
            form = WithdrawClaimForm(request.POST)
            if form.is_valid():
                try:
                    claim_services.withdraw_claim(
                        claim=claim,
                        editor=request.user,
                        reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["expected_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(request, f"{claim} is withdrawn.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:claims_claim_change", args=[claim.pk])
                    )
        else:
            form = WithdrawClaimForm(initial={"expected_version": claim.version})
        return self.render_step(
            request,
            "admin/claims/claim/withdraw.html",
            "Withdraw this claim",
            claim=claim,
            rows=self._rows([claim]),
            form=form,
        )

    def _rows(self, claims):
        """The claims as the note page shows them, with their evidence thumbnails."""
        return [(claim, self.evidence_thumbnails(claim)) for claim in claims]

    # Bulk review: an intermediate page asks for the note, then all or none are reviewed.

    @admin.action(permissions=["review"], description="Verify selected claims…")
    def verify_selected(self, request, queryset):
        return self._review_selected(request, queryset, ClaimStatus.VERIFIED, "verify_selected")

    @admin.action(permissions=["review"], description="Dispute selected claims…")
    def dispute_selected(self, request, queryset):
        return self._review_selected(request, queryset, ClaimStatus.DISPUTED, "dispute_selected")

    def _review_selected(self, request, queryset, to_status, action):
        # On the note page the selection is read from the request, not from the filtered
        # list: a claim that left the queue meanwhile must be refused, not silently skipped.
        if "post" not in request.POST and request.POST.get("select_across") == "1":
            pks = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        else:
            pks = request.POST.getlist(ACTION_CHECKBOX_NAME)
        claims = list(
            self.get_queryset(request).filter(pk__in=pks).select_related("incident__place")
        )
        if len(claims) != len(set(pks)):
            self.message_user(
                request,
                "Some selected claims no longer exist. Nothing was changed.",
                messages.ERROR,
            )
            return None

        form = BulkReviewForm(request.POST if "post" in request.POST else None)
        versions = {}
        for claim in claims:
            try:
                versions[claim.pk] = int(request.POST.get(f"version_{claim.pk}", claim.version))
            except ValueError:
                versions[claim.pk] = claim.version
        if form.is_bound and form.is_valid():
            try:
                reviews = claim_services.review_claims(
                    claims=claims,
                    reviewer=request.user,
                    to_status=to_status,
                    note=form.cleaned_data["note"],
                    expected_versions=versions,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    f"{len(reviews)} claims marked {ClaimStatus(to_status).label.lower()}.",
                    messages.SUCCESS,
                )
                return None
        label = ClaimStatus(to_status).label
        return self.render_step(
            request,
            "admin/claims/claim/review.html",
            f"Mark {len(claims)} claims {label.lower()}",
            claims=claims,
            rows=self._rows(claims),
            versions=versions,
            form=form,
            bulk_action=action,
            action_checkbox_name=ACTION_CHECKBOX_NAME,
        )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The log of decisions, for reading only: reviews are written by review_claim and
    never added, changed or deleted by hand, not even by a superuser."""

    list_display = ["created_at", "claim", "reviewer", "from_status", "to_status", "note"]
    list_filter = ["to_status", "from_status", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["claim__source", "reviewer"]
    search_fields = ["note", "claim__url", "claim__incident__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
