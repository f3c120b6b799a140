"""Requests too large to handle: refused before any form is built, with a page (or, under
/api/, JSON) that says which limit was hit and that nothing was saved, instead of a bare
400 or a worker busy for minutes.

Django refuses form data over DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS
or DATA_UPLOAD_MAX_NUMBER_FILES when it is first read; RequestBodyLimitMiddleware refuses a
whole body (files included) over REQUEST_MAX_BODY_BYTES before it is read, and reads a
page's form itself, so that these refusals get the same page with DEBUG on (Django would
show its debug page for them) as in production.
"""

import logging

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse, UnreadablePostError
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


# Django's own limits on form data, raised when the form is read.
FORM_LIMITS = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is over REQUEST_MAX_BODY_BYTES, before reading
    any of it (Django's own limits leave files out); then read a page's posted form, and
    explain a refusal of Django's limits with the page that names them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise SuspiciousOperation("Malformed Content-Length.") from None
        if length > settings.REQUEST_MAX_BODY_BYTES:
            raise RequestBodyTooBig("Request body over REQUEST_MAX_BODY_BYTES.")
        # The API parses its own bodies (DRF's parsers) and answers in JSON.
        if request.method == "POST" and not request.path.startswith("/api/"):
            try:
                request.POST  # noqa: B018 (read now, while a refusal can be explained)
            except FORM_LIMITS as refusal:
                return self._refuse(request, refusal)
            except UnreadablePostError:
                # The client went away mid-upload: as before, CsrfViewMiddleware finds no
                # token in what arrived and refuses it (not a server error).
                pass
        return self.get_response(request)

    @staticmethod
    def _refuse(request, refusal):
        # As Django does for these: the form cannot be read again, and the security log
        # records the refusal.
        request._mark_post_parse_error()
        logging.getLogger(f"django.security.{type(refusal).__name__}").error(
            str(refusal), extra={"status_code": 400, "request": request}
        )
        return bad_request(request, refusal)
