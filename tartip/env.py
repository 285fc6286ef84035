"""Typed readers for environment variables.

Every reader fails loudly with the variable's name, so a malformed value stops the
process at start instead of surfacing later as an obscure error.
"""

import base64
import binascii
import os
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "postgis"}
CACHE_SCHEMES = {"redis", "rediss", "dbcache", "locmemcache", "dummycache"}
EMAIL_SCHEMES = {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail", "dummymail"}
# Schemes that need a host: without one they silently fall back to a local default. (PostgreSQL
# may legitimately omit it to use the local socket.)
NETWORK_SCHEMES = {"redis", "rediss", "smtp", "smtps", "smtp+tls", "smtp+ssl"}


class BadSetting(ImproperlyConfigured):
    def __init__(self, name: str, problem: str):
        super().__init__(f"Environment variable {name} is malformed: {problem}")
        self.name = name


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadSetting(name, f"expected a boolean (1/0, true/false, yes/no), got {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadSetting(name, f"expected a whole number, got {value!r}") from None
    if number < minimum:
        raise BadSetting(name, f"must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _url(name: str, schemes: set[str]) -> str | None:
    value = _raw(name)
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a non-numeric or out-of-range port)
    except ValueError as error:
        raise BadSetting(name, str(error)) from None
    if parts.scheme not in schemes:
        raise BadSetting(name, f"unknown scheme {parts.scheme!r}; expected one of {', '.join(sorted(schemes))}")
    if parts.scheme in NETWORK_SCHEMES and not parts.hostname:
        raise BadSetting(name, f"the URL names no host (expected {parts.scheme}://host:port...)")
    return value


TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}")


def env_tile_url(name: str) -> tuple[str, str]:
    """A map tile server's URL template (Leaflet's: `https://tiles.example.kz/{z}/{x}/{y}.png`,
    `{s}` for its subdomains) and the origin the Content-Security-Policy must let images come
    from; ("", "") when unset: no base tiles (closed networks)."""
    value = _url(name, {"http", "https"})
    if not value:
        return "", ""
    parts = urlsplit(value)
    if not parts.hostname or any(placeholder not in value for placeholder in TILE_PLACEHOLDERS):
        raise BadSetting(name, f"expected http(s)://host/.../{{z}}/{{x}}/{{y}}.png, got {value!r}")
    # `{s}` (a subdomain per request) stands for any subdomain in the policy.
    origin = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return value, origin


def env_database(name: str, default: dict) -> dict:
    value = _url(name, DATABASE_SCHEMES)
    if value is None:
        return default
    parsed = urlsplit(value)
    if not parsed.scheme.startswith("sqlite") and not parsed.path.strip("/"):
        raise BadSetting(name, "the URL names no database (expected postgres://user@host:port/dbname)")
    try:
        config = environ.Env.db_url_config(value)
        if parsed.port is not None:
            config["PORT"] = parsed.port  # raises ValueError on a non-numeric port
    except (ValueError, KeyError, ImproperlyConfigured) as error:
        raise BadSetting(name, str(error)) from None
    return config


def env_cache(name: str, default: dict) -> dict:
    value = _url(name, CACHE_SCHEMES)
    if value is None:
        return default
    parsed = urlsplit(value)
    if parsed.scheme == "dbcache" and not (parsed.netloc or parsed.path.strip("/")):
        raise BadSetting(name, "the URL names no cache table (expected dbcache://table_name)")
    try:
        return environ.Env.cache_url_config(value)
    except (ValueError, KeyError, ImproperlyConfigured) as error:
        raise BadSetting(name, str(error)) from None


def env_email(name: str, default: dict) -> dict:
    value = _url(name, EMAIL_SCHEMES)
    if value is None:
        return default
    try:
        return environ.Env.email_url_config(value)
    except (ValueError, KeyError, ImproperlyConfigured) as error:
        raise BadSetting(name, str(error)) from None


def _key_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def fernet_keys(name: str, text: str) -> list[str]:
    """Fernet keys, comma-separated, newest first (the newest encrypts, every one decrypts)."""
    keys = _key_list(text)
    for position, key in enumerate(keys, start=1):
        try:
            decoded = base64.urlsafe_b64decode(key.encode())
        except (ValueError, binascii.Error):
            decoded = b""
        if len(decoded) != 32:
            raise BadSetting(
                name,
                f"key {position} is not a Fernet key (32 url-safe base64 bytes, as "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"` prints)',
            )
    return keys


def secret_keys(name: str, text: str, *, minimum_length: int = 32) -> list[str]:
    """Secret keys for a keyed MAC, comma-separated, newest first."""
    keys = _key_list(text)
    for position, key in enumerate(keys, start=1):
        if len(key) < minimum_length:
            raise BadSetting(name, f"key {position} is shorter than {minimum_length} characters")
    return keys


@contextmanager
def refusing_bad_settings():
    """A missing or malformed variable stops the process with one line naming it, no traceback:
    what an operator starting the service needs to read, and all of it."""
    try:
        yield
    except BadSetting as error:
        sys.stderr.write(f"Tartip cannot start. {error}\n")
        raise SystemExit(2) from None
