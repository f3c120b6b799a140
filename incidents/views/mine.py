"""What the signed-in journalist logged, what editors decided on it (what is new since
their last visit marked as such), and whether they are emailed about those decisions."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts import services as account_services
from claims.models import Review
from incidents import selectors
from incidents.models import Incident
from incidents.views.access import staff_page
from incidents.views.browse import PAGE_SIZE


class EmailPreferenceForm(forms.Form):
    email_on_decisions = forms.BooleanField(
        label=_(
            "Email me when an editor verifies or disputes a claim I logged, or publishes "
            "or withdraws an incident I logged"
        ),
        required=False,
    )


@require_GET
@staff_page
def my_incidents(request):
    """What the signed-in user logged, where it stands, and what editors decided on it;
    what happened since their previous visit is marked new."""
    user = request.user
    profile = account_services.mark_decisions_seen(user=user)
    seen_before = profile.decisions_seen_at
    incidents = (
        selectors.with_summary(Incident.objects.filter(created_by=user))
        .select_related("place")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = list(
        Review.objects.filter(claim__submitted_by=user)
        .select_related("claim__incident", "claim__source", "reviewer")
        .order_by("-created_at", "-pk")[:50]
    )
    decided_incidents = []
    if seen_before is not None:
        decided_incidents = list(
            Incident.objects.filter(created_by=user)
            .filter(Q(published_at__gt=seen_before) | Q(withdrawn_at__gt=seen_before))
            .order_by("-updated_at", "-pk")[:50]
        )
    new_reviews = [r for r in reviews if seen_before is not None and r.created_at > seen_before]
    return render(
        request,
        "incidents/my_incidents.html",
        {
            "page": page,
            "reviews": reviews,
            "seen_before": seen_before,
            "new_reviews": {review.pk for review in new_reviews},
            "new_review_count": len(new_reviews),
            "decided_incidents": decided_incidents,
            "email_form": EmailPreferenceForm(
                initial={"email_on_decisions": profile.email_on_decisions}
            ),
        },
    )


@require_POST
@staff_page
def my_email_preference(request):
    """Turn the decision emails on or off for the signed-in user."""
    form = EmailPreferenceForm(request.POST)
    form.is_valid()  # A checkbox: absent means off, so the form is always valid.
    enabled = form.cleaned_data["email_on_decisions"]
    account_services.set_email_on_decisions(user=request.user, enabled=enabled)
    messages.success(
        request,
        _("You will be emailed about editors' decisions.")
        if enabled
        else _("You will not be emailed about editors' decisions; they stay listed here."),
    )
    return redirect("incidents:mine")
