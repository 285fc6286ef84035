"""Login, logout, the lockout page, the second factor (TOTP) and the audited 403 handler."""

from base64 import b32encode
from math import ceil

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit_hooks import audit_denied, audit_second_factor
from accounts.forms import LoginForm, TokenForm
from accounts.middleware import CHOSEN_LANGUAGE_SESSION_KEY, second_factor_pending
from lib.plugins import landing_url


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Staff land on their work (the queue, the oversight...: lib.plugins.NavEntry.lands), the
        others on the home page; a `next` given with the form still wins."""
        return landing_url(self.request.user.role) or super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        _keep_chosen_language(self.request, form.get_user())
        return response


def _keep_chosen_language(request, user) -> None:
    """A language chosen before logging in (the login page's switcher: accounts.views.set_language
    notes it in the session, which login keeps) becomes the account's, since the saved language
    wins on every later page (UserLanguageMiddleware), from the code entry on. A mere cookie of
    the browser does not: the account's choice is the later one."""
    chosen = request.session.pop(CHOSEN_LANGUAGE_SESSION_KEY, None)
    if chosen in dict(settings.LANGUAGES) and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])


logout = auth_views.LogoutView.as_view()  # POST only (Django 5)


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) once username and address are locked together."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def permission_denied(request, exception=None):
    """handler403: Django's page, with the refusal written to the audit log."""
    audit_denied(request)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own 403 page (header, language, a way back) instead of
    Django's English one, whose inline style the CSP blocks. Not audited: the path may carry a
    tracking token (/track/<token>/...), and Django logs the refusal already."""
    return render(request, "403_csrf.html", status=403)


# --- Second factor -------------------------------------------------------------------------


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_query(url_name: str, request) -> str:
    query = request.GET.urlencode()
    return f"{resolve_url(url_name)}?{query}" if query else resolve_url(url_name)


def _confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _throttled_message(device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return _("Code checks are paused for this account. Try again later.")
    seconds = max(1, ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second before trying again.",
        "Too many wrong codes. Wait %(seconds)d seconds before trying again.",
        seconds,
    ) % {"seconds": seconds}


def _check_code(request, form, device):
    """The device if the code is right; otherwise the reason is added to the form and audited."""
    throttled = _throttled_message(device)
    if throttled:
        form.add_error("token", ValidationError(throttled, code="throttled"))
        audit_second_factor(request, outcome="throttled")
        return None
    # verify_token locks the device row, so two requests cannot spend the same code.
    verified = verify_token(request.user, device.persistent_id, form.cleaned_data["token"])
    if verified is None:
        form.add_error("token", _("This code is not valid. Check the time on your phone and try a new code."))
        audit_second_factor(request, outcome="failed")
    return verified


@login_required
def otp_verify(request):
    if not second_factor_pending(request):
        return redirect(_next_url(request))
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(_with_query("accounts:otp_setup", request))

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = _check_code(request, form, device)
        if verified is not None:
            otp_login(request, verified)
            audit_second_factor(request, outcome="verified")
            return redirect(_next_url(request))
    status = 429 if form.has_error("token", code="throttled") else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)}, status=status)


def _unconfirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


def _qr_code_svg(device) -> str:
    """The provisioning URI as inline SVG, drawn here: the secret never leaves the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (generated by qrcode, no user input)


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def otp_setup(request):
    if not second_factor_pending(request):
        return redirect(_next_url(request))
    if _confirmed_device(request.user) is not None:
        # Whoever knows the password may not add a device once one is confirmed.
        return redirect(_with_query("accounts:otp_verify", request))

    device = _unconfirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = _check_code(request, form, device)
        if verified is not None:
            verified.confirmed = True
            verified.save(update_fields=["confirmed"])
            otp_login(request, verified)
            audit_second_factor(request, outcome="enrolled")
            return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": _qr_code_svg(device),
        "secret": _grouped_secret(device),
    }
    status = 429 if form.has_error("token", code="throttled") else 200
    return render(request, "accounts/otp_setup.html", context, status=status)
