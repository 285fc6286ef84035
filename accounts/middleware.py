from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django_otp import user_has_device

from accounts.zones import sole_region_zone, user_zone

# The language a visitor chose before logging in (accounts.views.set_language), for the login to save.
CHOSEN_LANGUAGE_SESSION_KEY = "chosen_language"


class UserLanguageMiddleware:
    """A logged-in user's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # A code no longer offered (or mistyped in the admin) is ignored, never activated.
        if user is not None and user.is_authenticated and user.language in dict(settings.LANGUAGES):
            request.LANGUAGE_CODE = user.language
            # override() restores the previous language afterwards, so it never leaks to the thread.
            with translation.override(user.language):
                return self.get_response(request)
        return self.get_response(request)


class RegionTimeZoneMiddleware:
    """Pages show dates in the zone of the logged-in user's region; a visitor who is nobody in
    particular gets the zone of the only region when there is one, else settings.TIME_ZONE
    (accounts.zones). Read from a per-process cache: no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = user_zone(user) if user is not None and user.is_authenticated else sole_region_zone()
        # override() restores the previous zone afterwards, so it never leaks to the thread.
        with timezone.override(zone):
            return self.get_response(request)


def second_factor_pending(request) -> bool:
    """A logged-in user whose role sees personal data and who has not passed the second factor yet."""
    user = getattr(request, "user", None)
    return bool(
        settings.OTP_REQUIRED
        and user is not None
        and user.is_authenticated
        and user.needs_second_factor
        and not user.is_verified()
    )


# Pages an unverified user may still reach: the way in and out, language, health, static files,
# the API (it authenticates on its own), and the admin's login redirect (admin pages are not exempt).
EXEMPT_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:set_language",
    "admin:login",
)
EXEMPT_PATH_PREFIXES = ("/healthz", "/api/")


def _is_exempt(request) -> bool:
    if request.path_info.startswith((settings.STATIC_URL, *EXEMPT_PATH_PREFIXES)):
        return True
    return request.path in {reverse(name) for name in EXEMPT_URL_NAMES}


class SecondFactorMiddleware:
    """Sends a user who still owes the second factor to enter a code, or to set up a device first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor_pending(request) and not _is_exempt(request):
            return self._to_second_factor(request)
        return self.get_response(request)

    def _to_second_factor(self, request):
        url_name = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
