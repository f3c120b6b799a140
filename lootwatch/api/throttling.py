"""Requests per partner key (settings.API_PARTNER_RATE), answered with 429 and Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey


class PartnerKeyRateThrottle(SimpleRateThrottle):
    """Count requests per key; staff sessions are counted per user at the same rate.

    The rate is read at request time so that it can be changed in settings (and in tests)
    without reloading anything. Counts live in the default cache: give production a shared
    cache (e.g. Redis) so that every worker counts against the same limit.
    """

    scope = "partner_key"

    def get_rate(self):
        return settings.API_PARTNER_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, APIKey):
            ident = f"key-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            # Unauthenticated requests are refused before they cost anything.
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
