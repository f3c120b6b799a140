"""Every API error is JSON with a ``detail`` sentence; bad parameters are also listed by
name under ``errors``, so a partner sees at once which part of the request to fix."""

from django.http import JsonResponse
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API error (a bug): let Django log it and answer 500.
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        names = ", ".join(sorted(response.data))
        response.data = {
            "detail": gettext("Invalid request parameter(s): %(names)s.") % {"names": names},
            "errors": response.data,
        }
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response


def not_found(request, *args, **kwargs):
    """A JSON 404 for paths under /api/v1/ that name no endpoint."""
    return JsonResponse(
        {"detail": gettext("No such endpoint. See /api/v1/docs/ for the list.")},
        status=status.HTTP_404_NOT_FOUND,
    )
