"""Reading reference data files (CSV with a `source` column) and loading them idempotently."""

import csv
from decimal import Decimal
from pathlib import Path


def read_csv(path: Path) -> list[dict]:
    """The rows of a UTF-8 CSV file with stripped values; a missing file has no rows."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def decimal_or_none(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def int_or_none(value: str) -> int | None:
    return int(value) if value else None


def flag(value: str) -> bool:
    return value.lower() in {"yes", "true", "1"}


def upsert(model, lookup: dict, values: dict) -> tuple[object, bool, bool]:
    """Create or update one row; saves only when a value differs, so a second load changes nothing.
    Returns (instance, created, changed)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return instance, False, bool(changed)
