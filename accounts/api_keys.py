"""API keys of integrated systems: create, check, revoke; the DRF authentication reading them.

A key looks like `tk_<prefix>_<secret>`: the prefix (8 hex characters) tells keys apart in lists
and logs, the secret carries 256 random bits. Only the SHA-256 of the whole key is stored, so a
check is one indexed lookup by hash; each process keeps the keys it found for KEY_CACHE_SECONDS
(lib.cache), so a busy key is checked with no query at all. A key revoked or changed in another
process (the admin, `revoke_api_key`) therefore stops working there within KEY_CACHE_SECONDS; in
the revoking process at once. Expiry is checked on every request. `last_used_at` is written at
most once a minute per key (and process).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import BaseThrottle

from accounts.models import ApiKey, Organisation
from lib import ratelimit
from lib.cache import process_cached

KEY_SCHEME = "tk"
# How long a process trusts a key it found: the longest a revocation takes to reach every process.
KEY_CACHE_SECONDS = 30
LAST_USED_RESOLUTION = timedelta(minutes=1)
HEADER_SCHEME = "Api-Key"


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)  # 32 bytes = 256 bits
    return prefix, f"{KEY_SCHEME}_{prefix}_{secret}"


def api_key_create(
    *,
    name: str,
    organisation: Organisation,
    actor=None,
    expires_at: datetime | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiKey, str]:
    """A new key; the raw key is returned once and never stored."""
    with transaction.atomic():
        while True:
            prefix, raw = _new_key()
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        fields = {"name": name, "organisation": organisation, "prefix": prefix, "key_hash": hash_key(raw)}
        if expires_at is not None:
            fields["expires_at"] = expires_at
        if rate_limit_per_minute is not None:
            fields["rate_limit_per_minute"] = rate_limit_per_minute
        api_key = ApiKey.objects.create(**fields)
    return api_key, raw


def api_key_revoke(*, api_key: ApiKey, actor=None, now: datetime | None = None) -> ApiKey:
    with transaction.atomic():
        if api_key.revoked_at is None:
            api_key.revoked_at = now or timezone.now()
            api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_check(raw_key: str, *, now: datetime | None = None) -> ApiKey | None:
    """The usable key with this value (not expired, not revoked), or None."""
    if not raw_key or not raw_key.startswith(f"{KEY_SCHEME}_") or len(raw_key) > 200:
        return None
    now = now or timezone.now()
    api_key = _key_by_hash(hash_key(raw_key))
    if api_key is None or not api_key.is_usable(now):
        return None
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        # Compare before writing: a busy key costs one write a minute, not one per request. The
        # filter makes concurrent requests of the same minute write once between them.
        stale = now - LAST_USED_RESOLUTION
        ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=api_key.pk).update(
            last_used_at=now
        )
        api_key.last_used_at = now
    return api_key


@process_cached(seconds=KEY_CACHE_SECONDS, models=[ApiKey, Organisation], keep_none=False)
def _key_by_hash(key_hash: str) -> ApiKey | None:
    """The key with this hash and its organisation (shared by this process's requests). Unknown
    hashes are not kept, so a key works as soon as it is created."""
    return ApiKey.objects.select_related("organisation__region").filter(key_hash=key_hash).first()


@dataclass(frozen=True)
class ApiKeyClient:
    """`request.user` of a call made with an API key: an integrated system, never a person.

    It is authenticated but has no role, so no person-scoped rule (reporters' identities, the
    second factor) ever applies to it; endpoints scope by `request.auth`, the ApiKey.
    """

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    role = None
    needs_second_factor = False
    is_staff_role = False
    pk = None
    id = None

    @property
    def organisation(self) -> Organisation:
        return self.api_key.organisation

    @property
    def organisation_id(self) -> int:
        return self.api_key.organisation_id

    def get_username(self) -> str:
        return f"api-key:{self.api_key.prefix}"

    def is_verified(self) -> bool:
        return True

    def __str__(self):
        return self.get_username()


def raw_key_from_headers(request) -> str:
    """`Authorization: Api-Key <key>` or `X-Api-Key: <key>`; "" when neither is sent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == HEADER_SCHEME.lower() and value.strip():
        return value.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip()


class ApiKeyAuthentication(BaseAuthentication):
    """DRF authentication by API key. No key: not this class's business (None). A key that is
    wrong, expired or revoked: refused (403, since no WWW-Authenticate challenge is offered)."""

    invalid_message = _("Invalid, expired or revoked API key.")

    def raw_key(self, request) -> str:
        return raw_key_from_headers(request)

    def authenticate(self, request):
        raw = self.raw_key(request)
        if not raw:
            return None
        api_key = api_key_check(raw)
        if api_key is None:
            raise exceptions.AuthenticationFailed(self.invalid_message)
        return ApiKeyClient(api_key), api_key


class Open311ApiKeyAuthentication(ApiKeyAuthentication):
    """Open311 sends the key as the `api_key` parameter (form field on POST, query otherwise);
    the headers are accepted as well."""

    def raw_key(self, request) -> str:
        raw = request.query_params.get("api_key", "")
        if not raw and request.method == "POST":
            raw = request.data.get("api_key", "") if hasattr(request.data, "get") else ""
        return str(raw).strip() or super().raw_key(request)


# Anonymous calls (no key, no session) per client address and minute; settings may override.
DEFAULT_ANONYMOUS_RATE_PER_MINUTE = 60


def anonymous_rate_per_minute() -> int:
    return getattr(settings, "API_ANONYMOUS_RATE_PER_MINUTE", DEFAULT_ANONYMOUS_RATE_PER_MINUTE)


class ApiRateThrottle(BaseThrottle):
    """One minute windows in the shared cache: an API key by its own `rate_limit_per_minute`
    (never by address, so an integrated system behind one address is not starved), an anonymous
    caller by address. Logged-in staff are not limited here (their logins are)."""

    window_seconds = 60

    def allow_request(self, request, view):
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        if api_key is not None:
            return ratelimit.hit(f"api-key:{api_key.pk}", api_key.rate_limit_per_minute, self.window_seconds)
        if request.user is not None and request.user.is_authenticated:
            return True
        return ratelimit.hit(ratelimit.address_key(request), anonymous_rate_per_minute(), self.window_seconds)

    def wait(self):
        return ratelimit.retry_after(self.window_seconds)
