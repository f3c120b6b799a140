"""Middleware at the edge: one access line per request, and a calm 503 when a backing
service (the database, Redis) is unreachable."""

import logging
import re
import time
import uuid

import redis.exceptions
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import empty
from django.utils.translation import gettext
from rest_framework_api_key.models import APIKey

from lootwatch import logs

access_logger = logging.getLogger("lootwatch.access")
outage_logger = logging.getLogger("lootwatch.outage")

# A proxy's or client's id is kept if it looks like an id (a UUID, a hex or base64 token),
# so that one request can be followed from the proxy's log to ours; anything else (too long,
# spaces, control characters that could forge log lines) is replaced by our own.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")

DATABASE_ERRORS = (OperationalError, InterfaceError)
CACHE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class RequestLogMiddleware:
    """Give every request an id (``X-Request-ID``, accepted or generated, and returned) and
    write one access line when it is answered.

    The line names the user by id or the partner by the API key's public prefix, never by the
    key; the path without its query values; no headers, cookies or bodies. The client's IP
    address is left out on purpose: it can identify a journalist or a source, and the TLS
    proxy in front keeps its own log for abuse handling.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = logs.request_id.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                logs.redact_path(request.path),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": logs.redact_path(request.path),
                    "query": logs.query_names(request.GET),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    **who(request),
                },
            )
            return response
        finally:
            logs.request_id.reset(token)


def who(request):
    """Return the user id or API key prefix of a request, without causing a query.

    The user is looked up lazily; if nothing during the request needed it, it is not looked
    up here either (that would cost a query, and fail during a database outage).
    """
    auth = getattr(request, "auth", None)
    if isinstance(auth, APIKey):
        return {"api_key_prefix": auth.prefix}
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return {}
    if user.is_authenticated:
        return {"user_id": user.pk}
    return {}


class ServiceUnavailableMiddleware:
    """Answer 503 with ``Retry-After`` when the database or Redis cannot be reached.

    An outage is not a bug: instead of a 500 and a traceback for every request, partners get
    JSON, people get a plain page, and the log gets one warning line. Django closes the broken
    database connection at the end of the request (CONN_HEALTH_CHECKS), so the next request
    after the service comes back is answered normally.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            service = "database"
        elif isinstance(exception, CACHE_ERRORS):
            service = "cache"
        else:
            return None
        outage_logger.warning(
            "%s unavailable: %s: %s",
            service,
            exception.__class__.__name__,
            str(exception).strip().splitlines()[0][:200] if str(exception).strip() else "",
            extra={"service": service, "path": logs.redact_path(request.path)},
        )
        return service_unavailable(request, service)


def service_unavailable(request, service):
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER
    if request.path.startswith("/api/") or request.path in ("/healthz", "/readyz"):
        response = JsonResponse(
            {
                "detail": gettext(
                    "Lootwatch is briefly unavailable (%(service)s unreachable). "
                    "Try again in %(seconds)s seconds."
                )
                % {"service": service, "seconds": retry_after}
            },
            status=503,
        )
    else:
        # Rendered without the request: the context processors would look up the user,
        # which needs the database that is missing.
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": retry_after}), status=503
        )
    response["Retry-After"] = str(retry_after)
    # The warning above is the record of this outage; Django need not log the 503 again.
    response._has_been_logged = True
    return response
