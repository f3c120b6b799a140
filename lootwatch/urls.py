from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from lootwatch import views

# A refused request (too large, too many fields or files) says which limit it hit.
handler400 = "lootwatch.request_limits.bad_request"

admin.site.site_header = _("Lootwatch editorial admin")
admin.site.site_title = _("Lootwatch admin")
admin.site.index_title = _("Review, publish and keep the record clean")

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("methodology/", views.methodology, name="methodology"),
    path("language/", views.set_language, name="set_language"),
    # The strings of our own scripts (static/js/) in the page's language: the djangojs
    # catalogue of locale/, read by gettext() in the browser. A same-origin script, as the
    # Content-Security-Policy asks.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["lootwatch"]),
        name="javascript-catalog",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("lootwatch.api_urls")),
    path("", include("incidents.urls")),
    path("", include("claims.urls")),
    path("", include("exchange.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Derivatives only: originals live under PRIVATE_MEDIA_ROOT, which no URL serves.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
