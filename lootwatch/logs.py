"""Logging for operators: JSON lines that carry the request id, and never a secret.

Every record passes through ``RequestContextFilter``: it adds the id of the request being
served and replaces the ``request`` object that Django attaches to its own records (whose text
form includes the query string) by the method and the redacted path.
"""

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id = contextvars.ContextVar("request_id", default=None)

# Paths that carry a secret in the URL itself: Django's password-reset links.
SECRET_PATHS = [
    (re.compile(r"^(/accounts/reset/)[^/]+/[^/]+/"), r"\1<uidb64>/<token>/"),
]


def redact_path(path):
    """Return the path with any secret segment replaced by a placeholder."""
    for pattern, replacement in SECRET_PATHS:
        path = pattern.sub(replacement, path)
    return path


def query_names(query_dict):
    """Return the names of the query parameters, without their values.

    Values may be a witness's name typed into a search, or a token: names are enough to see
    what a client asked for.
    """
    return sorted(set(query_dict.keys()))


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        request = record.__dict__.pop("request", None)
        if request is not None and hasattr(request, "path"):
            record.method = request.method
            record.path = redact_path(request.path)
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger, process id (which gunicorn worker), message,
    and the record's extra fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "process": "pid"}
        )
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(process)d %(message)s")
        super().__init__(*args, **kwargs)
