"""Optimistic locking for records several people edit: incidents and claims.

Each such model has a ``version`` that every audited save increments. A form or API call
carries the version it was opened at; if the row has moved on since, the save is refused
with a message naming who changed what, instead of silently overwriting their work.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEditError(ValidationError):
    """Raised when a record changed since the editor opened it."""


def lock_for_update(instance):
    """Return a fresh copy of ``instance``'s row, locked until the transaction ends."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def changes_since(instance, expected_version):
    """Return (the names people know the fields changed by, last history record) between
    ``expected_version`` and now."""
    history = instance.history.order_by("history_date", "history_id")
    then = history.filter(version=expected_version).last()
    latest = history.last()
    if then is None or latest is None:
        return [], latest
    # Compared field by field rather than with diff_against(), which skips fields that are
    # not editable in forms, such as a claim's status: exactly what an editor needs to know.
    changed = [
        str(field.verbose_name)
        for field in then.tracked_fields
        if field.name not in ("version", "updated_at")
        and getattr(then, field.attname) != getattr(latest, field.attname)
    ]
    return changed, latest


def check_version(current, expected_version):
    """Raise StaleEditError if ``current`` (a locked row) is past ``expected_version``."""
    if expected_version is None or int(expected_version) == current.version:
        return
    changed, latest = changes_since(current, int(expected_version))
    details = {
        "record": current._meta.verbose_name,
        "fields": f" ({', '.join(changed)})" if changed else "",
    }
    if latest is None:
        message = _(
            "This %(record)s was changed%(fields)s since you opened it. Reload it to see those "
            "changes, then make yours again."
        )
    else:
        user = latest.history_user
        details["editor"] = user.get_username() if user else _("someone")
        details["when"] = f"{latest.history_date:%Y-%m-%d %H:%M}"
        message = _(
            "This %(record)s was changed by %(editor)s at %(when)s UTC%(fields)s since you "
            "opened it. Reload it to see those changes, then make yours again."
        )
    raise StaleEditError(message % details, code="stale")


def history_reason(text):
    """``text`` cut to fit a history record's change reason (100 characters; PostgreSQL
    refuses a longer one). The full text stays on the record itself, e.g. its
    ``withdrawal_reason``."""
    return text if len(text) <= 100 else f"{text[:99]}…"


def save_audited(instance, *, user, reason, update_fields=None):
    """Bump the version and save with a history record naming ``user`` and ``reason``."""
    instance.version += 1
    instance._history_user = user
    instance._change_reason = history_reason(reason)
    if update_fields is not None:
        update_fields = {*update_fields, "version", "updated_at"}
    instance.save(update_fields=update_fields)
