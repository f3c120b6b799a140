"""Who may read the partner API: holders of a valid partner key, or signed-in staff."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser

from lootwatch.api.throttling import RefusedKeyThrottle

KEYWORD = "Api-Key"
PREFIX_MAX_LENGTH = APIKey._meta.get_field("prefix").max_length


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` with a key made by ``create_partner_key``.

    A partner is not a user account: the request's user is anonymous and ``request.auth``
    is the APIKey, which throttling counts against. A key that is unknown, revoked or
    expired is refused with a 401 saying which, rather than silently treated as no key.
    """

    key_parser = KeyParser()

    def authenticate(self, request):
        key = self.key_parser.get_from_authorization(request)
        if key is None:
            return None
        throttle = RefusedKeyThrottle()
        wait = throttle.wait_if_blocked(request)
        if wait is not None:
            raise exceptions.Throttled(
                wait, detail=str(_("Too many refused API keys from this address."))
            )
        try:
            return self.check_key(key)
        except exceptions.AuthenticationFailed:
            throttle.record_refusal(request)
            raise

    def check_key(self, key):
        """Return (AnonymousUser, APIKey) for a valid key; raise AuthenticationFailed
        saying why otherwise."""
        key = key.strip()
        if not key:
            raise exceptions.AuthenticationFailed(_("The Api-Key header carries no key."))
        prefix = key.partition(".")[0]
        # Keys are "<8 letters or digits>.<secret>": anything else is refused without
        # a query (and a stray NUL byte never reaches PostgreSQL).
        if not (prefix.isascii() and prefix.isalnum() and len(prefix) <= PREFIX_MAX_LENGTH):
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        try:
            api_key = APIKey.objects.get(prefix=prefix)
        except APIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        if not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if api_key.revoked:
            raise exceptions.AuthenticationFailed(
                _("This API key has been revoked. Ask the Lootwatch editors for a new one.")
            )
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(
                _("This API key has expired. Ask the Lootwatch editors for a new one.")
            )
        return (AnonymousUser(), api_key)

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class IsPartnerOrStaff(permissions.BasePermission):
    """Partners with a key, or staff who may view incidents (journalists and editors).

    Both see the same published data through the API: staff read drafts in the pages.
    """

    message = _("Only partners with an API key and signed-in staff may read the API.")

    def has_permission(self, request, view):
        if isinstance(request.auth, APIKey):
            return True
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and user.has_perm("incidents.view_incident")
        )
