"""Helpers the forms call while they are being filled in (htmx): the duplicate warnings and
the place picker's search."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from incidents.duplicates import find_duplicates
from incidents.forms import DuplicateCheckForm
from incidents.models import Place
from incidents.views.access import staff_page


@require_GET
@staff_page
def duplicate_check(request):
    """The duplicate warnings for a form being filled in, as an HTML fragment.

    Reads the form's claim URLs, the SHA-256 digests of the chosen files, the place or the
    new place's coordinates and the dates (see DuplicateCheckForm). Anything unreadable is
    ignored: this only warns.
    """
    form = DuplicateCheckForm.from_query(request.GET)
    report = find_duplicates(user=request.user, **form.check_arguments())
    return render(
        request,
        "incidents/includes/duplicates.html",
        {"duplicates": report, "confirmed": bool(request.GET.get("confirm_duplicates"))},
    )


@require_GET
@staff_page
def place_options(request):
    """The place picker's options matching what was typed in its search box."""
    # A NUL character cannot be sent to PostgreSQL in a query: it is never part of a name.
    text = (request.GET.get("place_search") or "").replace("\x00", "").strip()[:200]
    places = Place.objects.all()
    if text:
        places = places.filter(name__icontains=text) | places.filter(admin1__icontains=text)
    places = list(places.order_by("name", "pk")[:100])
    return render(
        request,
        "incidents/includes/place_options.html",
        {"places": places, "selected": places[0].pk if text and len(places) == 1 else None},
    )
