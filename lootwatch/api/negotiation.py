"""Pick the output format: ``?format=`` wins over the Accept header, and an unknown format
is a 400 naming the parameter (DRF's default would be a bare 404)."""

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class FormatParameterNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        # An empty ?format= is refused like any other unknown one (it is not in the schema).
        if requested is None:
            return super().select_renderer(request, renderers)
        for renderer in renderers:
            if renderer.format == requested:
                return renderer, renderer.media_type
        offered = ", ".join(renderer.format for renderer in renderers)
        raise exceptions.ValidationError(
            {
                "format": [
                    gettext("Unknown format %(format)r here: use one of %(offered)s.")
                    % {"format": requested[:20], "offered": offered}
                ]
            }
        )
