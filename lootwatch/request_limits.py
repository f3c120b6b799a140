"""Requests too large to handle: refused before any form is built, with a page (or, under
/api/, JSON) that says which limit was hit and that nothing was saved, instead of a bare
400 or a worker busy for minutes.

Django refuses form data over DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS
or DATA_UPLOAD_MAX_NUMBER_FILES when a view first reads it; RequestBodyLimitMiddleware
refuses a whole body (files included) over REQUEST_MAX_BODY_BYTES before it is read.
"""

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext


def _megabytes(size):
    return gettext("%(size)s MB") % {"size": f"{size / (1024 * 1024):g}"}


def describe(exception):
    """Return (HTTP status, sentence) for a refused request."""
    if isinstance(exception, RequestBodyTooBig):
        return 413, gettext(
            "The request was larger than %(limit)s in all, files included. Send fewer or "
            "smaller files at a time."
        ) % {"limit": _megabytes(settings.REQUEST_MAX_BODY_BYTES)}
    if isinstance(exception, RequestDataTooBig):
        return 413, gettext(
            "The form's text was larger than %(limit)s (files not counted). Shorten the "
            "longest texts."
        ) % {"limit": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(exception, TooManyFieldsSent):
        return 400, gettext(
            "The form had more than %(limit)s fields. Log fewer claims or items at once and "
            "add the rest once the incident is saved."
        ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exception, TooManyFilesSent):
        return 400, gettext(
            "The form had more than %(limit)s files. Attach the others to the claims once "
            "the incident is saved."
        ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    return 400, gettext("The request could not be read.")


class RequestBodyTooBig(RequestDataTooBig):
    """The whole body, files included, is over REQUEST_MAX_BODY_BYTES."""


def bad_request(request, exception=None):
    """handler400: a refused request, explained; for oversized ones, which limit."""
    status, message = describe(exception)
    message = f"{message} {gettext('Nothing was saved.')}"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over REQUEST_MAX_BODY_BYTES, before reading
    any of it (Django's own limits leave files out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise SuspiciousOperation("Malformed Content-Length.") from None
        if length > settings.REQUEST_MAX_BODY_BYTES:
            raise RequestBodyTooBig("Request body over REQUEST_MAX_BODY_BYTES.")
        return self.get_response(request)
