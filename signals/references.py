"""Public references (`AKT-2025-000123`) and private tracking tokens.

A reference is the region's short code, the year and a number counted per region and year in
ReferenceCounter. The counter row is incremented and read by one
UPDATE ... SET last = last + 1 ... RETURNING last, which locks the row until the submitting
transaction ends, so two reports never get the same number (and a rolled-back submission gives
its number back). Every submission of a region waits for that lock, so callers take the number
as late as they can: just before inserting the report.

A tracking token has 192 random bits (`secrets.token_urlsafe(24)`); only its SHA-256 is stored,
so a copy of the database cannot be turned into tracking links.
"""

import hashlib
import re
import secrets

from django.db import IntegrityError, connection, transaction

from accounts.models import Region

from .models import ReferenceCounter

TOKEN_BYTES = 24  # 192 bits, above the 128 the design asks for
NUMBER_WIDTH = 6


def new_tracking_token() -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# What format_reference gives (a region's short code has at most 8 characters), for the API schemas.
REFERENCE_PATTERN = r"^[A-Z0-9]{1,8}-[0-9]{4}-[0-9]{6,}$"


def is_reference(text: str) -> bool:
    """Whether text is shaped like a reference: any other text is no report's, and is never looked
    up (PostgreSQL would refuse one holding a NUL character with an error, not an empty answer)."""
    return re.fullmatch(REFERENCE_PATTERN, text) is not None


def format_reference(short_code: str, year: int, number: int) -> str:
    return f"{short_code}-{year}-{number:0{NUMBER_WIDTH}d}"


def next_number(region_id: int, year: int) -> int:
    """Take the next number of the region's year; call inside the submitting transaction."""
    number = _increment(region_id, year)
    if number is None:  # the region's first report of the year
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(region_id=region_id, year=year, last=0)
        except IntegrityError:
            pass  # another submission created the row first
        number = _increment(region_id, year)
    return number


def _increment(region_id: int, year: int) -> int | None:
    """One statement (the ORM cannot return values from an UPDATE); None when there is no row."""
    meta, quote = ReferenceCounter._meta, connection.ops.quote_name
    column = {name: quote(meta.get_field(name).column) for name in ("region", "year", "last")}
    # Only quoted names from the model's meta are formatted in; the values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {column['last']} = {column['last']} + 1 "  # noqa: S608
        f"WHERE {column['region']} = %s AND {column['year']} = %s RETURNING {column['last']}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [region_id, year])
        row = cursor.fetchone()
    return row[0] if row else None


def next_reference(region: Region, year: int) -> str:
    return format_reference(region.short_code, year, next_number(region.pk, year))
