import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.services import set_language as remember_language
from claims.choices import CHECK_QUESTIONS, CheckItem, ClaimStatus, DisputeReason
from incidents.models import Assessment


@require_GET
def favicon(request):
    """Send browsers that ask for /favicon.ico (for pages that name no icon: JSON, files) to
    the site's icon, rather than answer 404 on every such visit."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """Answer as long as the process serves requests."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Answer 200 only when the database is reachable and fully migrated, and the shared
    cache (Redis, or the database cache's table) answers."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return JsonResponse(
            {
                "status": "unavailable",
                "detail": f"database unreachable: {error.__class__.__name__}",
            },
            status=503,
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "detail": f"{len(pending)} migrations not applied"},
            status=503,
        )
    try:
        cache.get("readyz")
    except (DatabaseError, redis.exceptions.RedisError) as error:
        return JsonResponse(
            {"status": "unavailable", "detail": f"cache unreachable: {error.__class__.__name__}"},
            status=503,
        )
    return JsonResponse({"status": "ok"})


# What each dispute reason means, as the methodology page explains it.
DISPUTE_REASON_HELP = {
    DisputeReason.CONTRADICTED: _(
        "Other evidence (imagery, records, reliable accounts) contradicts what the claim says."
    ),
    DisputeReason.MANIPULATED_MEDIA: _("Its photo, video or document was edited or generated."),
    DisputeReason.MISATTRIBUTED: _("The source it is attributed to did not say it."),
    DisputeReason.RECYCLED_CONTENT: _("Its material is real but from another time or place."),
    DisputeReason.FABRICATED_SOURCE: _(
        "The account, outlet or witness it comes from does not exist or is not who it claims to be."
    ),
    DisputeReason.OTHER: _("Another finding against it, which the note names."),
}


def methodology(request):
    """The public definitions of claim statuses and incident assessments."""
    return render(
        request,
        "methodology.html",
        {
            "assessments": Assessment.choices,
            "claim_statuses": ClaimStatus.choices,
            "dispute_reasons": [
                (reason.value, reason.label, DISPUTE_REASON_HELP[reason])
                for reason in DisputeReason
            ],
            "checklist": [(item.value, item.label, CHECK_QUESTIONS[item]) for item in CheckItem],
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes answers a locked-out sign-in with: 429, saying why, for how
    long, and who can lift the lock."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": seconds // 60},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@require_POST
def set_language(request):
    """Switch the pages' language (Django's ``set_language``: the cookie, then back to the
    page), and remember it for the signed-in person."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        remember_language(user=request.user, language=language)
    return response
