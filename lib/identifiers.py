"""Normal forms of the identifiers people type, so that one phone or address written two ways is
found as one (the keyed hashes of lib.crypto are taken of these forms)."""

import phonenumbers

# Numbers without a country code are read as Kazakhstan's (+7, shared with Russia).
DEFAULT_PHONE_REGION = "KZ"


def normalize_phone(raw: str) -> str:
    """E.164 (`+77012345678`) when the number parses; otherwise its digits, so that even a number
    phonenumbers cannot place is still found again when typed the same way."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in raw if ch.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    return raw.strip().casefold()
