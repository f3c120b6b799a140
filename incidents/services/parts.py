"""Naming the part of a multi-part submission that a service refused ("new_place",
"items.2", "claims.0", "route.1", "links.0"), so that a page can show the refusal next to
what the journalist typed."""

from django.core.exceptions import ValidationError


class SubmissionError(ValidationError):
    """A service refused one part of a submission; ``part`` names it, e.g. "claims.1"."""

    def __init__(self, error, *, part):
        super().__init__(error)
        self.part = part


def run_part(name, call):
    """Run ``call()``; a ValidationError it raises becomes a SubmissionError naming ``name``."""
    try:
        return call()
    except SubmissionError:
        raise
    except ValidationError as error:
        raise SubmissionError(error, part=name) from error


def refuse_part(name, field, message):
    """Raise a SubmissionError naming ``name``, with ``message`` about its ``field``."""
    raise SubmissionError(ValidationError({field: message}), part=name)
