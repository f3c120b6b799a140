"""Helpers the forms call while they are being filled in (htmx): the duplicate warnings and
the place and source pickers' searches."""

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import rules as claim_rules
from claims.models import Source
from incidents.duplicates import find_duplicates
from incidents.forms import DuplicateCheckForm
from incidents.models import Place
from incidents.views.access import staff_page

# At most this many places are offered for what was typed: typing more narrows them.
PLACE_OPTIONS = 100
SOURCE_OPTIONS = 100


def _typed(request, name):
    # A NUL character cannot be sent to PostgreSQL in a query: it is never part of a name.
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:200]


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
    text = _typed(request, "place_search")
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


@require_GET
@staff_page
def source_options(request):
    """The claim source picker's options whose name, as the reader may see it, contains
    what was typed in its search box.

    A protected source is named, and so found, by its real name only for those who may see
    it (claims.rules.source_name_for); everyone else finds it by its public label, so that
    typing a name never reveals that a witness of that name exists.
    """
    text = _typed(request, "source_search")
    sources = Source.objects.order_by("name", "pk")
    if text:
        # Names matched by the database; protected sources' labels checked below.
        sources = sources.filter(Q(name__icontains=text) | claim_rules.identity_protected())
    wanted = text.casefold()
    options = []
    for source in sources.iterator(chunk_size=SOURCE_OPTIONS):
        label = claim_rules.source_name_for(request.user, source)
        if wanted in label.casefold():
            options.append((source.pk, label))
            if len(options) == SOURCE_OPTIONS:
                break
    return render(
        request,
        "incidents/includes/source_options.html",
        {"sources": options, "selected": options[0][0] if text and len(options) == 1 else None},
    )
