"""Receivers that write logins, failures, lockouts and admin changes to the audit log, and the
helpers views call when they refuse access or check a second factor."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.audit import audit_record
from accounts.models import ApiKey, AuditEvent
from lib.log_redaction import redact

Action = AuditEvent.Action
ADMIN_OPERATIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def _account_named(username):
    """The account a failed attempt was aimed at, if it exists (its address is recorded only for staff)."""
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(action=Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username attempted: the (already masked) password never goes to the log.
    username = str(credentials.get("username") or "")[:150]
    audit_record(action=Action.LOGIN_FAILED, actor=_account_named(username), target=username, request=request)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username=None, **kwargs):
    username = str(username or "")[:150]
    audit_record(action=Action.LOCKED_OUT, actor=_account_named(username), target=username, request=request)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def audit_admin_change(sender, instance, created, **kwargs):
    if created:
        audit_admin_entry(instance)


def audit_admin_entry(entry: LogEntry, request=None) -> None:
    audit_record(
        action=Action.ADMIN_CHANGE,
        actor=entry.user,
        target=f"{entry.content_type.app_label}.{entry.content_type.model}:{entry.object_id}"
        if entry.content_type_id
        else "",
        details={
            "operation": ADMIN_OPERATIONS.get(entry.action_flag, str(entry.action_flag)),
            "object": entry.object_repr,
            "change": entry.change_message,  # as stored (JSON), not translated into whoever's language
        },
        request=request,
    )


def audit_denied(request, target: str = "") -> None:
    """Views call this when they refuse access (403, or a 404 because the object is out of scope).
    A refused API key is named by its prefix (a key has no user)."""
    details = {"method": request.method}
    api_key = getattr(request, "auth", None)
    if isinstance(api_key, ApiKey):
        details["api_key"] = api_key.prefix
    audit_record(
        action=Action.ACCESS_DENIED,
        actor=getattr(request, "user", None),
        # A path may carry a secret (a tracking token): the log keeps it redacted (lib.log_redaction).
        target=target or redact(request.path),
        details=details,
        request=request,
    )


def audit_second_factor(request, *, outcome: str) -> None:
    """outcome: "verified", "enrolled", "failed" or "throttled"."""
    audit_record(action=Action.SECOND_FACTOR, actor=request.user, details={"outcome": outcome}, request=request)
