"""How much text one field takes: enough for any real statement or note, and a clear
refusal (never a 4 MB row) for anything more. Forms built from these fields get the same
limit, and the services' full_clean() enforces it for every other caller."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

# A quote, statement or translation: a long witness statement runs to a few thousand words.
STATEMENT = 20_000
# A summary or internal note.
NOTE = 10_000
# A review's note or a withdrawal's reason.
REASON = 5_000


def bounded_text(limit, **kwargs):
    """A TextField that refuses more than ``limit`` characters, in forms and full_clean()."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


def require_within(value, limit, field):
    """Raise ValidationError naming ``field`` if ``value`` is longer than ``limit``: for the
    services that save a text without full_clean()."""
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)s characters (this has %(length)s).")
                % {"limit": f"{limit:,}", "length": f"{len(value):,}"}
            }
        )
