"""Requests per partner key (settings.API_PARTNER_RATE), answered with 429 and Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey

from lootwatch.clients import client_ip


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


class RefusedKeyThrottle(SimpleRateThrottle):
    """Count the API keys refused per client address (settings.API_INVALID_KEY_RATE):
    beyond the rate, every request with a key is answered 429 with Retry-After, valid
    key or not, until the oldest refusal leaves the window. Guessing keys gets nowhere.

    Asked by lootwatch.api.authentication before a key is looked at; only refusals count.
    """

    scope = "refused_api_key"

    def get_rate(self):
        return settings.API_INVALID_KEY_RATE

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def _recent(self, request):
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        history = self.cache.get(self.key, [])
        return [moment for moment in history if moment > self.now - self.duration]

    def wait_if_blocked(self, request):
        """Return the seconds to wait if this address has had too many keys refused."""
        if self.rate is None:
            return None
        self.history = self._recent(request)
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def record_refusal(self, request):
        if self.rate is None:
            return
        history = self._recent(request)
        history.insert(0, self.now)
        self.cache.set(self.key, history, self.duration)


class AnonymousRateThrottle(SimpleRateThrottle):
    """Count requests without a key or session per client address, for the few endpoints
    anyone may read (dataset releases): settings.API_ANONYMOUS_RATE, 60/minute unless set.
    Keyed and signed-in requests are left to PartnerKeyRateThrottle."""

    scope = "anonymous"

    def get_rate(self):
        return getattr(settings, "API_ANONYMOUS_RATE", "60/minute")

    def get_cache_key(self, request, view):
        if isinstance(request.auth, APIKey) or (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
