"""The editorial steps on claims, each an intermediate admin page: verify or dispute one
claim with a note, the same for several at once (all or none), and withdraw a claim with a
reason. Each calls its claims.services function at the version the editor saw."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError

from claims import rules
from claims import services as claim_services
from claims.models import ClaimStatus
from lootwatch.forms import add_service_errors

# The decisions offered as buttons and bulk actions. Any status other than the current one
# can be chosen, so a decision can be revised (disputed → verified) and is logged again.
REVIEW_DECISIONS = {
    ClaimStatus.VERIFIED: "Verify",
    ClaimStatus.DISPUTED: "Dispute",
}


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


class ClaimReviewStepsMixin:
    """Verify, dispute and withdraw for ClaimAdmin (with EditorialAdminMixin)."""

    def has_review_permission(self, request):
        return rules.can_review(request.user)

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
        if claim is not None and rules.can_withdraw_claim(request.user, claim):
            # Anyone who may withdraw a live claim may also review it.
            context["review_decisions"] = [
                (status, label)
                for status, label in REVIEW_DECISIONS.items()
                if status != claim.status
            ]
            context["can_withdraw"] = True
        return super().change_view(request, object_id, form_url, context)

    def review_view(self, request, object_id):
        """Verify or dispute one claim, with a note, at the version the editor saw."""
        claim = self.object_or_404(request, object_id)
        if (
            request.method == "GET"
            and request.GET.get("to_status") == claim.status
            and not claim.withdrawn_at
        ):
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

        def title(form):
            to_status = form["to_status"].value()
            label = dict(ClaimStatus.choices).get(to_status, to_status)
            return f"Mark this claim {label.lower()}" if label else "Review this claim"

        def review(data):
            claim_services.review_claim(
                claim=claim,
                reviewer=request.user,
                to_status=data["to_status"],
                note=data["note"],
                expected_version=data["expected_version"],
            )
            return claim

        return self.run_step(
            request,
            form_class=ReviewForm,
            initial={
                "to_status": request.GET.get("to_status", ""),
                "expected_version": request.GET.get("version", claim.version),
            },
            call=review,
            done=lambda claim: f"{claim} is now {claim.get_status_display().lower()}.",
            template="admin/claims/claim/review.html",
            title=title,
            claims=[claim],
            rows=self._rows([claim]),
        )

    def withdraw_view(self, request, object_id):
        """Ask for the reason, then withdraw the claim through the service at the version
        the editor saw. It stays on record; partners are told to remove it."""
        claim = self.object_or_404(request, object_id)
        return self.run_step(
            request,
            form_class=WithdrawClaimForm,
            initial={"expected_version": claim.version},
            call=lambda data: claim_services.withdraw_claim(
                claim=claim,
                editor=request.user,
                reason=data["reason"],
                expected_version=data["expected_version"],
            ),
            done=f"{claim} is withdrawn.",
            template="admin/claims/claim/withdraw.html",
            title="Withdraw this claim",
            claim=claim,
            rows=self._rows([claim]),
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
