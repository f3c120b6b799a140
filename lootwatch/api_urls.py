"""The partner API, version 1, under /api/v1/ (see the "Partner API" section of README.md)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lootwatch.api.exceptions import not_found
from lootwatch.api.views import APIIndexView

urlpatterns = [
    path("", APIIndexView.as_view(), name="api-index"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script),
    # which the Content-Security-Policy allows; the plain view inlines it.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("incidents.api.urls")),
    path("", include("claims.api.urls")),
    path("", include("exchange.api.urls")),
    # Anything else under /api/v1/ is a JSON 404 (paths without the slash are redirected
    # to it by APPEND_SLASH first, as elsewhere).
    re_path(r"^.*/$", not_found),
]
