"""What Lootwatch keeps about each staff member beyond their account: whether they want to
be emailed when editors decide on what they logged, the language of their pages, and when
they last looked at /me/."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Profile(models.Model):
    """One person's preferences. Created on first need; until then the defaults apply
    (emails on, nothing seen yet)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    email_on_decisions = models.BooleanField(
        _("email me about decisions"),
        default=True,
        help_text=(
            _(
                "An email when an editor verifies or disputes a claim I logged, or publishes or "
                "withdraws an incident I logged."
            )
        ),
    )
    language = models.CharField(
        _("language of the pages"),
        max_length=10,
        blank=True,
        help_text=_("Chosen in the header; applied again at every sign-in. Empty: the browser's."),
    )
    # When the person last opened /me/: what happened after it is "new since your last
    # visit". A reading mark, not a preference, so it is kept out of the history.
    decisions_seen_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("decisions seen at")
    )

    history = HistoricalRecords(excluded_fields=["decisions_seen_at"])

    class Meta:
        verbose_name = _("staff preferences")
        verbose_name_plural = _("staff preferences")

    def __str__(self):
        return f"Preferences of {self.user}"
