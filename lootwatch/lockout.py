"""Sign-in lockout (django-axes), with a higher limit for an address than for a username."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class SignInLockoutHandler(AxesDatabaseHandler):
    """AXES_FAILURE_LIMIT failures for a username lock that username, from anywhere; an
    address is locked only after SIGN_IN_ADDRESS_FAILURE_LIMIT failures for any usernames.
    A newsroom signs in from one address: five typos by one person must not lock everyone
    out, while guessing across many usernames from one address is still stopped.

    axes compares one count with one limit, so the address's count is given in units of
    the username's limit. AXES_LOCKOUT_PARAMETERS must be ["username", "ip_address"]."""

    def get_failures(self, request, credentials=None):
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        # At least one failure: a limit set to 0 must not break every sign-in.
        address_limit = max(1, settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
        return max(by_username, by_address * limit // address_limit)

    def reset_user_attempts(self, request, credentials=None):
        """A success clears the failures of the username signed in, not its address's:
        axes cleared both, so anyone with an account could guess another's password
        without end (four guesses, a sign-in of their own from the same address, again)."""
        by_username, _by_address = self.filter_user_attempts(request, credentials)
        count, _ = by_username.delete()
        return count
