"""The account a command acts as when it is run from a shell on the server without ``--as``.

Whoever has a shell on the server may run any command anyway; what matters is that history,
custody and releases never pretend a person did what a command did. The account is named
SYSTEM_USERNAME, cannot sign in (no usable password, no e-mail) and holds only what those
commands need: a journalist's permissions (an import logs incidents for review, never
publishes) and ``exchange.make_release``.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

SYSTEM_USERNAME = "lootwatch-system"
RELEASE_PERMISSION = "exchange.make_release"


@transaction.atomic
def system_actor():
    """The system account, created on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Lootwatch", "last_name": "(server command)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name="journalist"))
        app_label, codename = RELEASE_PERMISSION.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def acting_user(username):
    """The active account ``username`` names, or the system account for None. Raise
    LookupError if no active account has that name."""
    if not username:
        return system_actor()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise LookupError(f"No active account {username!r}.")
    return user
