"""Form widgets of the journalists' pages."""

from django import forms


class PlaceLookup(forms.Select):
    """The select of a place chosen by typing part of its name: a search box beside it
    (templates/incidents/includes/place_lookup.html) fills it with suggestions from
    /incidents/places/ through htmx.

    It is rendered with the empty choice and the chosen place only, never with every
    place there is (12,500 at the size of a war: most of a megabyte a page).
    """

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        try:
            # An unknown or malformed value is shown as no choice (the form says why).
            chosen = self.choices.queryset.filter(pk=int(value[0])).first() if value else None
        except (TypeError, ValueError):
            chosen = None
        options = [self.create_option(name, "", field.empty_label, chosen is None, 0)]
        if chosen is not None:
            label = field.label_from_instance(chosen)
            options.append(self.create_option(name, str(chosen.pk), label, True, 1))
        return [(None, options, 0)]
