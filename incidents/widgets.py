"""Form widgets of the journalists' pages."""

from lootwatch.forms import ChosenOnlySelect


class PlaceLookup(ChosenOnlySelect):
    """The select of a place chosen by typing part of its name: a search box beside it
    fills it with suggestions from /incidents/places/ through htmx
    (templates/incidents/includes/place_lookup.html for the list's filter,
    templates/incidents/includes/place_picker.html for the log form and its route)."""
