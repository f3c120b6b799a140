"""Helpers the forms call while they are being filled in (htmx): the duplicate warnings and
the place picker's search."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from incidents.duplicates import find_duplicates
from incidents.forms import DuplicateCheckForm
from incidents.models import Place
from incidents.views.access import staff_page

# At most this many places are offered for what was typed: typing more narrows them.
PLACE_OPTIONS = 100


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
    """The place picker's options matching what was typed in its search box; with
    ``for=filter``, the options of the list's place filter (any place, no new one)."""
    # A NUL character cannot be sent to PostgreSQL in a query: it is never part of a name.
    text = (request.GET.get("place_search") or "").replace("\x00", "").strip()[:200]
    if text:
        # Names that contain what was typed; if none, names that look like it (a typo).
        places = list(Place.objects.matching(text)[:PLACE_OPTIONS]) or list(
            Place.objects.resembling(text)[:PLACE_OPTIONS]
        )
    else:
        places = list(Place.objects.order_by("name", "pk")[:PLACE_OPTIONS])
    return render(
        request,
        "incidents/includes/place_options.html",
        {
            "places": places,
            "selected": places[0].pk if text and len(places) == 1 else None,
            "for_filter": request.GET.get("for") == "filter",
        },
    )
