from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.middleware import second_factor_pending


class IsVerifiedUser(BasePermission):
    """A logged-in user who, if their role needs it, has passed the second factor too.

    The API is exempt from the second-factor redirect (a JSON client cannot follow it), so the
    check happens here instead: a password alone never opens the API to personal data.
    """

    message = _("Log in and pass the second factor first.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and not second_factor_pending(request))
