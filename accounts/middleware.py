"""A person's remembered language, applied when they sign in."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import translation

from accounts.models import Profile


@receiver(user_logged_in)
def apply_remembered_language(sender, request, user, **kwargs):
    """Switch to the language ``user`` chose before, on any device: this response already
    speaks it, and RememberedLanguageMiddleware keeps it in the language cookie."""
    if request is None:
        return
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.remembered_language = language


@receiver(user_logged_out)
def forget_language_on_sign_out(sender, request, user, **kwargs):
    """A newsroom's computers are shared: the next person to sign in on this browser gets
    their own remembered language, or the browser's, not the last person's."""
    if request is not None:
        request.forget_language = True


class RememberedLanguageMiddleware:
    """Set the language cookie to the language applied at sign-in; drop it at sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "remembered_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        elif getattr(request, "forget_language", False):
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
