"""Offence categories: loading the reference files, and small lookups used at intake.

signals/reference/categories.csv is the source of truth for the categories it lists (one row
each: names and descriptions in kk/ru/en, the responsible body type with the reason for it,
the answer deadline in business days or hours, whether a photo or a location is required,
whether the category is sensitive); category_attributes.csv holds their typed extra fields
(also their Open311 service definition) and category_attribute_values.csv the choices of the
list fields. Every value there is a Tartip default, editable in the admin: a later load
restores the file's values, as for the other reference data. Rows missing from the files are
left alone (never deleted). Loading twice changes nothing.
"""

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from lib.cache import process_cached
from lib.reference_files import flag, int_or_none, read_csv, upsert

from .models import Category, CategoryAttribute

# Categories change in the admin or by load_reference, rarely: each process keeps them this long.
CACHE_SECONDS = 60

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

Recorder = Callable[[str, bool, bool], None]


def load_categories(record: Recorder | None = None, directory: Path = REFERENCE_DIR) -> None:
    """Create or update the categories and their attributes from the reference files."""
    record = record or (lambda label, created, changed: None)
    choices: dict[tuple[str, str], list[dict]] = {}
    for row in read_csv(directory / "category_attribute_values.csv"):
        choices.setdefault((row["category"], row["attribute"]), []).append(
            {"key": row["key"], "name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"]}
        )
    with transaction.atomic():
        categories = {}
        for row in read_csv(directory / "categories.csv"):
            values = {
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "description_kk": row["description_kk"],
                "description_ru": row["description_ru"],
                "description_en": row["description_en"],
                "body_type": row["body_type"],
                "deadline_days": int_or_none(row["deadline_days"]),
                "deadline_hours": int_or_none(row["deadline_hours"]),
                "requires_photo": flag(row["requires_photo"]),
                "requires_location": flag(row["requires_location"]),
                "sensitive": flag(row["sensitive"]),
                "sort_order": int(row["sort_order"] or 100),
                "keywords": row["keywords"],
            }
            category, created, changed = upsert(Category, {"code": row["code"]}, values)
            categories[row["code"]] = category
            record("category", created, changed)
        for row in read_csv(directory / "category_attributes.csv"):
            category = categories.get(row["category"]) or Category.objects.get(code=row["category"])
            values = {
                "datatype": row["datatype"],
                "required": flag(row["required"]),
                "order": int(row["order"] or 0),
                "description_kk": row["description_kk"],
                "description_ru": row["description_ru"],
                "description_en": row["description_en"],
                "values": choices.get((row["category"], row["code"]), []),
            }
            _attribute, created, changed = upsert(
                CategoryAttribute, {"category": category, "code": row["code"]}, values
            )
            record("category attribute", created, changed)


def load_answer_templates(record: Recorder | None = None, directory: Path = REFERENCE_DIR) -> None:
    """Create or update the starting answers bodies pick from (Tartip's defaults: the admin edits
    them, adds others, or gives an organisation its own)."""
    from .models import AnswerTemplate

    record = record or (lambda label, created, changed: None)
    with transaction.atomic():
        for row in read_csv(directory / "answer_templates.csv"):
            values = {
                "category": Category.objects.get(code=row["category"]) if row["category"] else None,
                "result": row["result"],
                "measures": [m for m in row["measures"].split(";") if m],
                **{f"{field}_{code}": row[f"{field}_{code}"] for field in ("name", "text") for code in ("kk", "ru")},
                "text_en": row["text_en"],
            }
            key = {"name_en": row["name_en"], "body_type": row["body_type"], "organisation": None}
            _template, created, changed = upsert(AnswerTemplate, key, values)
            record("answer template", created, changed)


@process_cached(seconds=CACHE_SECONDS, models=[Category, CategoryAttribute])
def cached_categories() -> dict:
    """Every category (active or not) with its attributes, by code and by primary key; shared by
    the requests of this process (see lib.cache), so never modified."""
    categories = list(Category.objects.prefetch_related("attributes"))
    return {"code": {c.code: c for c in categories}, "pk": {c.pk: c for c in categories}}


def get_category(value) -> Category | None:
    """A Category from an instance, a primary key or a code; None when there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, Category):
        return value
    if isinstance(value, int):
        return cached_categories()["pk"].get(value)
    return cached_categories()["code"].get(str(value))


def choice_keys(attribute: CategoryAttribute) -> set[str]:
    return {str(item.get("key")) for item in attribute.values or [] if isinstance(item, dict)}
