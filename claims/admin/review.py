"""The editorial steps on claims: the review workspace (everything needed to verify,
dispute or keep unverified one claim, on one page), taking and releasing a claim, the same
decision for several claims at once (all or none), and withdrawing a claim with a reason.
Each calls its claims.services function at the version the editor saw."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from claims import rules, selectors
from claims import services as claim_services
from claims.admin.decision import DECISIONS, BulkDecisionForm, DecisionForm
from claims.admin.workspace import workspace
from claims.models import ClaimStatus
from lootwatch import text_limits
from lootwatch.admin_base import is_valid_id
from lootwatch.forms import add_service_errors


class WithdrawClaimForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text=_(
            "Kept on record with your name, e.g. “Names a witness who asked not to be named” "
            "or “Duplicate of an earlier claim”."
        ),
    )


def _bulk_done(to_status, count):
    if to_status == ClaimStatus.VERIFIED:
        message = ngettext(
            "%(count)d claim marked verified.", "%(count)d claims marked verified.", count
        )
    else:
        message = ngettext(
            "%(count)d claim marked disputed.", "%(count)d claims marked disputed.", count
        )
    return message % {"count": count}


def _bulk_title(to_status, count):
    if to_status == ClaimStatus.VERIFIED:
        title = ngettext("Mark %(count)d claim verified", "Mark %(count)d claims verified", count)
    else:
        title = ngettext("Mark %(count)d claim disputed", "Mark %(count)d claims disputed", count)
    return title % {"count": count}


# The queue's views that the list's "taken for review" filter shows (claims.admin.claims).
TAKEN_VIEWS = ("mine", "unassigned", "others")


def review_url(claim, view=None):
    """The workspace of ``claim``, keeping the view of the queue the editor works from."""
    url = reverse("admin:claims_claim_review", args=[claim.pk])
    return f"{url}?{urlencode({'view': view})}" if view else url


def queue_url(view):
    """The review queue as the list shows ``view`` of it: the claims taken by me, by
    nobody or by other editors, else the whole queue."""
    url = reverse("admin:claims_claim_changelist")
    return f"{url}?{urlencode({'taken': view})}" if view in TAKEN_VIEWS else url


def queue_view(request):
    view = request.GET.get("view") or request.POST.get("view") or "available"
    return view if view in selectors.QUEUE_VIEWS else "available"


class ClaimReviewStepsMixin:
    """The workspace, take, release, bulk review and withdraw for ClaimAdmin (with
    EditorialAdminMixin)."""

    def has_review_permission(self, request):
        return rules.can_review(request.user)

    def get_urls(self):
        steps = [
            ("review", self.review_view),
            ("take", self.take_view),
            ("release", self.release_view),
            ("withdraw", self.withdraw_view),
        ]
        return [
            *(
                self.editor_url(
                    f"<path:object_id>/{step}/", view, f"claims_claim_{step}", "claims.review_claim"
                )
                for step, view in steps
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
                for status, label in DECISIONS[claim.status]
                if status != claim.status
            ]
            context["can_withdraw"] = True
        if claim is not None and rules.can_review(request.user):
            context["workspace_url"] = review_url(claim)
        return super().change_view(request, object_id, form_url, context)

    def _claim_for_review(self, request, object_id):
        claim = selectors.claim_for_review(object_id) if is_valid_id(object_id) else None
        if claim is None or not self.get_queryset(request).filter(pk=claim.pk).exists():
            raise Http404(gettext("No claim with this id."))
        return claim

    def review_view(self, request, object_id):
        """The review workspace: the claim, its incident, its evidence and what is already
        logged like it, and the decision — verify, dispute or keep unverified — with a
        note, the checklist and, for a dispute, its reason, at the version the editor saw."""
        claim = self._claim_for_review(request, object_id)
        view = queue_view(request)
        asked = request.GET.get("to_status")
        if request.method == "POST":
            form = DecisionForm(request.POST, claim=claim)
            if form.is_valid():
                response = self._decide(request, claim, form, view)
                if response is not None:
                    return response
        else:
            initial = {"expected_version": request.GET.get("version", claim.version)}
            if asked in dict(DECISIONS[claim.status]) and asked != claim.status:
                initial["to_status"] = asked
            form = DecisionForm(initial=initial, claim=claim)
        already = (
            claim.get_status_display().lower()
            if request.method == "GET" and asked == claim.status and not claim.withdrawn_at
            else None
        )
        return self.render_step(
            request,
            "admin/claims/claim/review.html",
            gettext("Review: %(claim)s") % {"claim": claim},
            form=form,
            already=already,
            may_decide=rules.can_review(request.user) and not claim.withdrawn_at,
            **workspace(claim, request.user, view),
        )

    def _decide(self, request, claim, form, view):
        """Record the decision through its service; return the redirect, or None when the
        service refused it (its message is then on the form)."""
        data = form.cleaned_data
        to_status = data["to_status"]
        if not to_status:
            form.add_error(
                "to_status", gettext("Choose a decision: verify, dispute or keep unverified.")
            )
            return None
        try:
            if to_status == ClaimStatus.UNVERIFIED == claim.status:
                claim_services.keep_unverified(
                    claim=claim,
                    editor=request.user,
                    note=data["note"],
                    checklist=form.checklist(),
                    expected_version=data["expected_version"],
                )
                done = gettext("%(claim)s stays unverified; your note is on its record.") % {
                    "claim": claim
                }
            else:
                claim_services.review_claim(
                    claim=claim,
                    reviewer=request.user,
                    to_status=to_status,
                    note=data["note"],
                    expected_version=data["expected_version"],
                    checklist=form.checklist(),
                    dispute_reason=form.dispute_reason_for(to_status),
                )
                done = gettext("%(claim)s is now %(status)s.") % {
                    "claim": claim,
                    "status": claim.get_status_display().lower(),
                }
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        self.message_user(request, done, messages.SUCCESS)
        if "save_next" in request.POST:
            following = selectors.queue_neighbours(claim, request.user, view)[1]
            if following is not None:
                return HttpResponseRedirect(review_url(following, view))
            self.message_user(
                request, gettext("That was the last claim in this queue."), messages.INFO
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))
        # "Save": back to the queue the editor works from, not the claim's raw change form.
        return HttpResponseRedirect(queue_url(view))

    def take_view(self, request, object_id):
        """Take the claim for review (POST), then back to its workspace."""
        return self._assignment_step(
            request, object_id, claim_services.take_claim, gettext_noop("You have taken %(claim)s.")
        )

    def release_view(self, request, object_id):
        """Give the claim back to the queue (POST), then back to its workspace."""
        return self._assignment_step(
            request,
            object_id,
            claim_services.release_claim,
            gettext_noop("You have released %(claim)s."),
        )

    def _assignment_step(self, request, object_id, service, done):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self.object_or_404(request, object_id)
        try:
            service(claim=claim, editor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, gettext(done) % {"claim": claim}, messages.SUCCESS)
        return HttpResponseRedirect(review_url(claim, queue_view(request)))

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
            done=gettext("%(claim)s is withdrawn.") % {"claim": claim},
            template="admin/claims/claim/withdraw.html",
            title=gettext("Withdraw this claim"),
            claim=claim,
            rows=self._rows([claim]),
        )

    def _rows(self, claims):
        """The claims as a step page shows them, with their evidence thumbnails."""
        return [(claim, self.evidence_thumbnails(claim)) for claim in claims]

    # Taking several claims from the queue.

    @admin.action(permissions=["review"], description=_("Take selected claims for review"))
    def take_selected(self, request, queryset):
        taken, refused = 0, []
        for claim in queryset.select_related("assigned_to"):
            try:
                with transaction.atomic():
                    claim_services.take_claim(claim=claim, editor=request.user)
            except ValidationError as error:
                refused.append(f"{claim}: {' '.join(error.messages)}")
            else:
                taken += 1
        if taken:
            self.message_user(
                request,
                ngettext(
                    "You have taken %(count)d claim.", "You have taken %(count)d claims.", taken
                )
                % {"count": taken},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    # Bulk review: an intermediate page asks for the note, the checklist and the reason,
    # then all or none are reviewed.

    @admin.action(permissions=["review"], description=_("Verify selected claims…"))
    def verify_selected(self, request, queryset):
        return self._review_selected(request, queryset, ClaimStatus.VERIFIED, "verify_selected")

    @admin.action(permissions=["review"], description=_("Dispute selected claims…"))
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
            self.get_queryset(request)
            .filter(pk__in=pks)
            .select_related("incident__place")
            .prefetch_related("evidence")
        )
        if len(claims) != len(set(pks)):
            self.message_user(
                request,
                gettext("Some selected claims no longer exist. Nothing was changed."),
                messages.ERROR,
            )
            return None

        form = BulkDecisionForm(request.POST if "post" in request.POST else None)
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
                    checklist=form.checklist(),
                    dispute_reason=form.dispute_reason_for(to_status),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request,
                    _bulk_done(to_status, len(reviews)),
                    messages.SUCCESS,
                )
                return None
        return self.render_step(
            request,
            "admin/claims/claim/review_bulk.html",
            _bulk_title(to_status, len(claims)),
            claims=claims,
            rows=self._rows(claims),
            versions=versions,
            form=form,
            disputing=to_status == ClaimStatus.DISPUTED,
            bulk_action=action,
            action_checkbox_name=ACTION_CHECKBOX_NAME,
        )
