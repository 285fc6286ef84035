"""Personal data encrypted at rest, and found again by a keyed hash.

Encryption: `cryptography`'s MultiFernet over `settings.FIELD_ENCRYPTION_KEYS` (newest first: the
newest encrypts, every one decrypts). A stored value names the key that wrote it,
`<key id>$<Fernet token>`, the key id being the first 8 hex digits of the key's SHA-256: a value
written under a key that is no longer configured says which key it needs, and `rotate_field_key`
finds the rows still under an older key without decrypting anything.

Finding: a value that must be found again (the same reporter's phone on another report; later an
IIN or a card number) is also stored as an HMAC-SHA256 under `settings.FIELD_HASH_KEYS`, a key apart
from the encryption key: an IIN or a phone number has so few possible values that an unkeyed hash,
or one whose key sits beside the ciphertext, is reversed by trying them all. Lookups compute the
hash under every configured hash key, so nothing goes missing halfway through a rotation.

The empty string stays empty: there is nothing to hide in it, and "has an e-mail" stays a query.
"""

import functools
import hashlib
import hmac
import logging
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.db.models.lookups import Exact
from django.dispatch import receiver
from django.utils.translation import gettext

logger = logging.getLogger(__name__)
SEPARATOR = "$"


def key_id(key: str) -> str:
    """A short public name for a key: its SHA-256's first 8 hex digits (reveals nothing of it)."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


@functools.cache
def _encryption() -> tuple[str, MultiFernet, dict[str, Fernet]]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    by_id = {key_id(key): Fernet(key) for key in keys}
    return key_id(keys[0]), MultiFernet([by_id[key_id(key)] for key in keys]), by_id


@functools.cache
def _hash_keys() -> list[tuple[str, bytes]]:
    return [(key_id(key), key.encode()) for key in settings.FIELD_HASH_KEYS]


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEYS"}:
        _encryption.cache_clear()
        _hash_keys.cache_clear()


def current_encryption_key_id() -> str:
    return _encryption()[0]


def current_hash_key_id() -> str:
    return _hash_keys()[0][0]


class UnreadableValue(str):
    """What a value reads as when it cannot be decrypted: a message naming the key it needs, never
    the plain value, and never an exception that would take a whole list page down. Saved again,
    it writes back the ciphertext it was read from, untouched."""

    def __new__(cls, stored: str, needed_key_id: str, *, damaged: bool = False):
        if damaged:
            text = gettext("[unreadable: the value under key %(key)s does not decrypt]")
        else:
            text = gettext("[unreadable: encrypted with key %(key)s, which is not configured]")
        value = super().__new__(cls, text % {"key": needed_key_id})
        value.stored = stored
        value.key_id = needed_key_id
        value.damaged = damaged
        return value


# What encrypt() writes: the key id, 8 hex digits, then the token. Anything else in an encrypted
# column was written in plain text by a process that predates the encryption (a worker of the
# previous release during a deploy, a restore): read as it is, and rewritten by rotate_field_key.
ENCRYPTED_VALUE = re.compile(r"([0-9a-f]{8})\$(.+)", re.DOTALL)


def encrypt(plain: str) -> str:
    current_id, multi, _by_id = _encryption()
    return f"{current_id}{SEPARATOR}{multi.encrypt(plain.encode()).decode()}"


def decrypt(stored: str) -> str:
    match = ENCRYPTED_VALUE.fullmatch(stored)
    if match is None:
        logger.warning("A value stored in plain text was read from an encrypted column: run rotate_field_key")
        return stored
    needed_id, token = match.groups()
    fernet = _encryption()[2].get(needed_id)
    if fernet is None:
        logger.error("A value encrypted with key %s was read, but that key is not configured", needed_id)
        return UnreadableValue(stored, needed_id)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        logger.error("A value under key %s does not decrypt: it was altered or is not ours", needed_id)
        return UnreadableValue(stored, needed_id, damaged=True)


def readable(value: str) -> bool:
    """False for a value that could not be decrypted: it must not be used as an address or hashed."""
    return not isinstance(value, UnreadableValue)


def keyed_hash(normalized: str, *, key: tuple[str, bytes] | None = None) -> str:
    """`<key id>$<HMAC-SHA256 hex>` of an already normalized value, under the newest hash key."""
    hash_id, secret = key or _hash_keys()[0]
    return f"{hash_id}{SEPARATOR}{hmac.new(secret, normalized.encode(), hashlib.sha256).hexdigest()}"


def keyed_hash_candidates(normalized: str) -> list[str]:
    """The value's hash under every configured hash key: what a lookup matches against."""
    return [keyed_hash(normalized, key=key) for key in _hash_keys()]


class EncryptedTextField(models.TextField):
    """A text column holding the value encrypted (see the module's docstring). It cannot be searched
    by value: search the KeyedHashField beside it."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, UnreadableValue):
            return value.stored
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        # Only emptiness can be asked of an encrypted column (`exact ""`, `isnull`): the same value
        # encrypts differently every time, so any other lookup would silently match nothing.
        return super().get_lookup(lookup_name) if lookup_name in {"exact", "isnull"} else None


@EncryptedTextField.register_lookup
class EncryptedExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise TypeError("an encrypted field cannot be searched by value: filter on its keyed hash")
        return super().get_prep_lookup()


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the same model, written on every save from that field's
    value, normalized by `normalize` (so "+7 701 …" and "8701…" are one phone)."""

    def __init__(self, *args, source: str, normalize, **kwargs):
        self.source = source
        self.normalize = normalize
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["normalize"] = self.normalize
        for option, default in (("max_length", 80), ("blank", True), ("editable", False)):
            if kwargs.get(option) == default:
                del kwargs[option]
        return name, path, args, kwargs

    def hash_of(self, value: str) -> str:
        normalized = self.normalize(value) if value and readable(value) else ""
        return keyed_hash(normalized) if normalized else ""

    def candidates(self, value: str) -> list[str]:
        normalized = self.normalize(value) if value and readable(value) else ""
        return keyed_hash_candidates(normalized) if normalized else []

    def pre_save(self, model_instance, add):
        source = getattr(model_instance, self.source)
        if not readable(source):
            return getattr(model_instance, self.attname)  # the hash written with the value stays right
        value = self.hash_of(source)
        setattr(model_instance, self.attname, value)
        return value
