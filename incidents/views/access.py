"""Who may use the journalists' pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def staff_page(view):
    """Require a signed-in journalist or editor: anyone else (a partner account) gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("incidents.view_incident"):
            raise PermissionDenied(_("These pages are for Lootwatch journalists and editors."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def require_perm(request, permission, message):
    if not request.user.has_perm(permission):
        raise PermissionDenied(message)
