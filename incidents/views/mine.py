"""What the signed-in journalist logged, and what editors decided on it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.models import Review
from incidents import selectors
from incidents.models import Incident
from incidents.views.access import staff_page
from incidents.views.browse import PAGE_SIZE


@require_GET
@staff_page
def my_incidents(request):
    """What the signed-in user logged, where it stands, and what editors decided on it."""
    incidents = (
        selectors.with_summary(Incident.objects.filter(created_by=request.user))
        .select_related("place")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = (
        Review.objects.filter(claim__submitted_by=request.user)
        .select_related("claim__incident", "claim__source", "reviewer")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(request, "incidents/my_incidents.html", {"page": page, "reviews": reviews})
