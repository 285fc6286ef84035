"""The indicators of the "Territory Without Fraud" registry, each kind read, checked and written in
one normal form, so that one account, card, phone or link typed any way is kept once.

`normalize(kind, raw)` checks a value of a known kind and gives its normal form (or refuses it,
saying why in the reader's language); `recognize(raw)` finds the kind of a value typed without one
(a search box), trying the kinds from the most to the least distinctive.

- an IBAN by its format and checksum (schwifty), with its bank for a Kazakh one;
- a payment card by its length and Luhn check digit (python-stdnum);
- a phone as E.164 (phonenumbers): +7 is Kazakhstan's and Russia's, told apart by the number;
- a website as its lower-cased host (an international name in punycode, IDNA 2008) and its path
  (a shop's page on a marketplace is not the marketplace);
- a Telegram channel, bot or user as `@name` (`t.me/name`, `telegram.me/name` are the same);
- a handle on another messenger as `network:handle`; an e-wallet or payment-QR id as written,
  without spaces, case-folded;
- a crypto wallet address by its network's checksum: Bitcoin's base58check (base58) or bech32
  (bech32), Tron's base58check, Ethereum's EIP-55 mixed case (keccak from pycryptodome);
- a person's IIN or a company's BIN by its twelve digits and check digit (the algorithm of the
  Republic's order on the IIN; no library checks it), the IIN's birth date and the BIN's kind.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import base58
import bech32
import idna
import phonenumbers
from Crypto.Hash import keccak
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import luhn

from lib.crypto import encrypt, keyed_hash_candidates
from lib.identifiers import DEFAULT_PHONE_REGION


class Kind(models.TextChoices):
    IBAN = "iban", gettext_lazy("bank account (IBAN)")
    CARD = "card", gettext_lazy("payment card")
    PHONE = "phone", gettext_lazy("phone")
    WEBSITE = "website", gettext_lazy("website")
    TELEGRAM = "telegram", gettext_lazy("Telegram channel, bot or user")
    MESSENGER = "messenger", gettext_lazy("messenger handle")
    WALLET = "wallet", gettext_lazy("e-wallet or payment QR id")
    CRYPTO = "crypto", gettext_lazy("crypto wallet address")
    IIN = "iin", gettext_lazy("IIN (person)")
    BIN = "bin", gettext_lazy("BIN (company)")


# Kept encrypted, found by keyed hash, shown masked (registry.models, registry.policy).
SECRET_KINDS = frozenset({Kind.CARD, Kind.IIN, Kind.BIN})
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
# Telegram's public names: 5 to 32 letters, digits and underscores, starting with a letter.
TELEGRAM_NAME = re.compile(r"[a-z][a-z0-9_]{3,30}[a-z0-9]")
SEPARATORS = re.compile(r"[\s\-.()]+")
MESSENGERS = ("whatsapp", "viber", "signal", "instagram", "vk", "tiktok", "imo", "skype")


class InvalidIndicator(ValueError):
    """A value that is not a valid indicator of its kind: the message says why."""


@dataclass(frozen=True)
class Indicator:
    kind: str
    value: str  # the normal form: what is hashed, and shown for the kinds that are not secret
    shown: str  # what a reader who may not unmask sees (a card's BIN and last four)
    details: dict  # what the value tells (a phone's country, an account's bank code)

    # Computed once a value (a notice's batch asks for them several times each): a frozen
    # dataclass's cached_property writes its instance's __dict__, which freezing leaves alone.
    # (Django's: the standard library's takes a lock on each first read.)
    @cached_property
    def hash(self) -> str:
        """The keyed hash every row of this value is kept and found by (under the newest key, the
        first of `hashes`: one HMAC a value, not two)."""
        return self.hashes[0]

    @cached_property
    def hashes(self) -> list[str]:
        """Its keyed hash under every configured key, the newest first: what a lookup matches."""
        return keyed_hash_candidates(f"{self.kind}:{self.value}")

    @cached_property
    def stored(self) -> tuple[str, str, str]:
        """(value, secret, details) as an indicator's row holds them in the database: a secret
        kind's normal form encrypted in `secret`, another kind's in `value`; the details as JSON.
        A notice's reading thread computes them while the writing one waits on the database."""
        if self.kind in SECRET_KINDS:
            return "", encrypt(self.value), json.dumps(self.details)
        return self.value, "", json.dumps(self.details)


def _digits(raw: str) -> str:
    return SEPARATORS.sub("", raw)


@lru_cache(maxsize=256)
def _bic(country: str, bank_code: str) -> str:
    """A bank's BIC by its code, "" when schwifty's registry has none: looked up once a bank code
    (schwifty searches its whole registry each time; a notice's rows name a handful of banks)."""
    try:
        return str(BIC.from_bank_code(country, bank_code))
    except SchwiftyException:
        return ""


def _iban(raw: str) -> Indicator:
    try:
        iban = IBAN(re.sub(r"[\s\-]+", "", raw))
    except SchwiftyException:
        raise InvalidIndicator(_("This is not a valid IBAN: its format or check digits are wrong.")) from None
    details = {"country": iban.country_code, "bank_code": iban.bank_code}
    if iban.country_code == "KZ":
        details["bic"] = _bic(iban.country_code, iban.bank_code)
    return Indicator(Kind.IBAN, iban.compact, iban.formatted, details)


def _card(raw: str) -> Indicator:
    digits = _digits(raw)
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        raise InvalidIndicator(_("A card number has 13 to 19 digits."))
    if not luhn.is_valid(digits):
        raise InvalidIndicator(_("This card number fails its check digit (Luhn)."))
    return Indicator(Kind.CARD, digits, f"{digits[:6]}…{digits[-4:]}", {"bin": digits[:6]})


def _phone(raw: str) -> Indicator:
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidIndicator(_("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIndicator(_("This phone number does not exist in its country's numbering plan."))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    country = phonenumbers.region_code_for_number(number) or ""
    return Indicator(Kind.PHONE, e164, e164, {"country": country})


def _host(host: str) -> str:
    try:
        return idna.encode(host.strip(".").lower(), uts46=True).decode()
    except idna.IDNAError:
        raise InvalidIndicator(_("This is not a valid site name.")) from None


def _split_link(raw: str):
    text = raw.strip()
    return urlsplit(text if "://" in text else f"http://{text}")


def _telegram_name(name: str) -> Indicator:
    name = name.strip().lstrip("@").lower()
    if not TELEGRAM_NAME.fullmatch(name):
        raise InvalidIndicator(
            _("A Telegram name has 5 to 32 letters, digits or underscores and starts with a letter.")
        )
    return Indicator(Kind.TELEGRAM, f"@{name}", f"@{name}", {"bot": name.endswith("bot")})


def _website(raw: str) -> Indicator:
    parts = _split_link(raw)
    host = _host(parts.hostname or "")
    if "." not in host:
        raise InvalidIndicator(_("A site's address has a domain, like shop.example.kz."))
    path = parts.path.rstrip("/")
    if host in TELEGRAM_HOSTS:
        name = path.strip("/").split("/")[0] if path else ""
        if name and not name.startswith("+") and name != "joinchat":
            return _telegram_name(name)
    value = host + path  # the path keeps its case: a shop's page or an invite is case-sensitive
    return Indicator(Kind.WEBSITE, value, value, {"host": host})


def _telegram(raw: str) -> Indicator:
    text = raw.strip()
    if "/" in text or "." in text:
        indicator = _website(text)
        if indicator.kind != Kind.TELEGRAM:
            raise InvalidIndicator(_("This is a link, not a Telegram name."))
        return indicator
    return _telegram_name(text)


def _messenger(raw: str) -> Indicator:
    network, _colon, handle = raw.strip().partition(":")
    network, handle = network.strip().lower(), handle.strip().lstrip("@").casefold()
    if network not in MESSENGERS or not handle or " " in handle:
        raise InvalidIndicator(
            _("Write a messenger handle as network:handle, the network one of %(networks)s.")
            % {"networks": ", ".join(MESSENGERS)}
        )
    return Indicator(Kind.MESSENGER, f"{network}:{handle}", f"{network}:{handle}", {"network": network})


def _wallet(raw: str) -> Indicator:
    value = re.sub(r"\s+", "", raw).casefold()
    if not 4 <= len(value) <= 128:
        raise InvalidIndicator(_("An e-wallet or payment QR id has 4 to 128 characters."))
    return Indicator(Kind.WALLET, value, value, {})


BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# A base58check address's version byte: its network.
BASE58_NETWORKS = {0x00: "bitcoin", 0x05: "bitcoin", 0x41: "tron"}


def _eip55(address: str) -> str:
    """The EIP-55 spelling of an Ethereum address: a letter upper-cased where its hash's nibble is 8+."""
    hashed = keccak.new(digest_bits=256, data=address.lower().encode()).hexdigest()
    return "".join(
        char.upper() if char.isalpha() and int(hashed[i], 16) >= 8 else char for i, char in enumerate(address.lower())
    )


def _crypto(raw: str) -> Indicator:
    text = raw.strip()
    invalid = InvalidIndicator(_("This is not a valid crypto wallet address: its format or checksum is wrong."))
    if re.fullmatch(r"0[xX][0-9a-fA-F]{40}", text):
        digits = text[2:]
        mixed = digits != digits.lower() and digits != digits.upper()
        if mixed and _eip55(digits) != digits:
            raise invalid
        return Indicator(Kind.CRYPTO, f"0x{digits.lower()}", f"0x{_eip55(digits)}", {"network": "ethereum"})
    if text.lower().startswith("bc1"):
        version, program = bech32.decode("bc", text.lower())
        if version is None or program is None:
            raise invalid
        return Indicator(Kind.CRYPTO, text.lower(), text.lower(), {"network": "bitcoin"})
    if 25 <= len(text) <= 35 and all(char in BASE58 for char in text):
        try:
            payload = base58.b58decode_check(text)
        except ValueError:
            raise invalid from None
        network = BASE58_NETWORKS.get(payload[0]) if len(payload) == 21 else None
        if network is None:
            raise invalid
        return Indicator(Kind.CRYPTO, text, text, {"network": network})
    raise invalid


# The IIN's and BIN's check digit: weights 1..11, then 3..11, 1, 2 when the first sum leaves 10.
WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def _check_digit(digits: str) -> int | None:
    for weights in WEIGHTS:
        remainder = sum(int(digit) * weight for digit, weight in zip(digits[:11], weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _twelve_digits(raw: str) -> str:
    digits = _digits(raw)
    if not digits.isdigit() or len(digits) != 12:
        raise InvalidIndicator(_("An IIN or a BIN has 12 digits."))
    if _check_digit(digits) != int(digits[11]):
        raise InvalidIndicator(_("This IIN or BIN fails its check digit."))
    return digits


def _iin(raw: str) -> Indicator:
    digits = _twelve_digits(raw)
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(digits[6])
    try:
        born = date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6])) if century else None
    except ValueError:
        born = None
    if born is None:
        raise InvalidIndicator(_("This is not an IIN: its first digits are not a birth date and century."))
    return Indicator(Kind.IIN, digits, f"{digits[:2]}…{digits[-2:]}", {})


def _bin(raw: str) -> Indicator:
    digits = _twelve_digits(raw)
    if digits[4] not in "456" or not 1 <= int(digits[2:4]) <= 12:
        raise InvalidIndicator(_("This is not a BIN: its fifth digit names no kind of legal entity."))
    return Indicator(Kind.BIN, digits, digits, {})


NORMALIZERS = {
    Kind.IBAN: _iban,
    Kind.CARD: _card,
    Kind.PHONE: _phone,
    Kind.WEBSITE: _website,
    Kind.TELEGRAM: _telegram,
    Kind.MESSENGER: _messenger,
    Kind.WALLET: _wallet,
    Kind.CRYPTO: _crypto,
    Kind.IIN: _iin,
    Kind.BIN: _bin,
}


def normalize(kind: str, raw: str) -> Indicator:
    """The value of `kind` in its normal form; InvalidIndicator (the reason) when it is not one."""
    if not raw or not raw.strip():
        raise InvalidIndicator(_("Write the value."))
    return NORMALIZERS[kind](raw)


# What a value typed without its kind is tried as, the most distinctive first: two letters and
# check digits are an IBAN; twelve digits an IIN or BIN; 13 to 19 a card; a "+", a leading 8 or
# ten or eleven digits a phone; "@name" Telegram; anything with a dot a website.
def recognize(raw: str) -> Indicator | None:
    text = raw.strip()
    digits = _digits(text)
    tries = []
    if re.fullmatch(r"[A-Za-z]{2}\d{2}[A-Za-z0-9\s\-]{8,40}", text):
        tries.append(Kind.IBAN)
    if digits.isdigit():
        if len(digits) == 12:
            tries += [Kind.BIN, Kind.IIN]
        if 13 <= len(digits) <= 19:
            tries.append(Kind.CARD)
        tries.append(Kind.PHONE)
    elif digits.startswith("+") and digits[1:].isdigit():
        tries.append(Kind.PHONE)
    if re.fullmatch(r"0[xX][0-9a-fA-F]{40}|(?i:bc1)[0-9a-zA-Z]{11,71}|[13T][1-9A-HJ-NP-Za-km-z]{24,34}", text):
        tries.insert(0, Kind.CRYPTO)
    if text.startswith("@"):
        tries.append(Kind.TELEGRAM)
    elif ":" in text and text.split(":")[0].strip().lower() in MESSENGERS:
        tries.append(Kind.MESSENGER)
    elif "." in text or "/" in text:
        tries.append(Kind.WEBSITE)
    for kind in tries:
        try:
            return normalize(kind, text)
        except InvalidIndicator:
            continue
    return None
