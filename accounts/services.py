"""Changing a person's own preferences, on the record like every other change."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profile


def profile_of(user):
    """Return ``user``'s Profile, unsaved with the defaults if they never changed one."""
    try:
        return Profile.objects.get(user=user)
    except Profile.DoesNotExist:
        return Profile(user=user)


@transaction.atomic
def set_email_on_decisions(*, user, enabled):
    """Turn the emails about editors' decisions on or off for ``user`` (only their own),
    recording the change in the profile's history."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to change your preferences."))
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.email_on_decisions == bool(enabled):
        return profile
    profile.email_on_decisions = bool(enabled)
    profile._history_user = user
    profile._change_reason = "emails about decisions " + ("on" if enabled else "off")
    profile.save(update_fields=["email_on_decisions"])
    return profile


@transaction.atomic
def set_language(*, user, language):
    """Remember ``language`` (a code of LANGUAGES) as ``user``'s own, applied at every
    sign-in, recording the change in the profile's history."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to change your preferences."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": _("Unknown language %(language)r.") % {"language": language}}
        )
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.language == language:
        return profile
    profile.language = language
    profile._history_user = user
    profile._change_reason = f"language {language}"
    profile.save(update_fields=["language"])
    return profile


def mark_decisions_seen(*, user, at=None):
    """Record that ``user`` has seen the decisions on what they logged up to ``at`` (now);
    return their Profile as it was, with ``decisions_seen_at`` still the previous visit
    (None on a first visit).

    A reading mark, like an inbox's: a plain update, kept out of the history.
    """
    at = at or timezone.now()
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        Profile.objects.create(user=user, decisions_seen_at=at)
        return Profile(user=user)
    Profile.objects.filter(pk=profile.pk).update(decisions_seen_at=at)
    return profile
