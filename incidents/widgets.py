"""Form widgets of the journalists' pages."""

from django import forms

from lootwatch.forms import NEW_CHOICE


class PlaceLookup(forms.Select):
    """The select of a place chosen by typing part of its name: a search box beside it
    fills it with suggestions from /incidents/places/ through htmx
    (templates/incidents/includes/place_lookup.html for the list's filter,
    templates/incidents/includes/place_picker.html for the log form and its route).

    It is rendered with the empty choice, "a new place" when the field offers one
    (lootwatch.forms.KnownOrNewChoiceField), and the chosen place only, never with every
    place there is (12,500 at the size of a war: megabytes a page).
    """

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        raw = value[0] if value else None
        new_label = getattr(field, "new_label", None)
        try:
            # An unknown or malformed value is shown as no choice (the form says why).
            chosen = self.choices.queryset.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            chosen = None
        picked_new = new_label is not None and raw == NEW_CHOICE
        options = [
            self.create_option(name, "", field.empty_label, chosen is None and not picked_new, 0)
        ]
        if new_label is not None:
            options.append(self.create_option(name, NEW_CHOICE, new_label, picked_new, 1))
        if chosen is not None:
            label = field.label_from_instance(chosen)
            options.append(self.create_option(name, str(chosen.pk), label, True, len(options)))
        return [(None, options, 0)]
