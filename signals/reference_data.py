"""signals' part of `manage.py load_reference` (declared in signals/apps.py, lib.plugins.ReferenceLoader).

- Before any folder: the offence categories with their typed fields, and the answer templates
  (signals/reference/, signals.categories).
- In each region's folder, after its organisations: `routing_rules.csv`, the body that gets a
  category's reports in a district.
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation, Region
from lib.plugins import Recorder
from lib.reference_files import read_csv, upsert

from .categories import load_answer_templates, load_categories
from .models import Category, RoutingRule


def load_categories_and_templates(record: Recorder) -> None:
    """Before any region's folder: the regions' routing rules name the categories."""
    load_categories(record)
    load_answer_templates(record)


def load_routing_rules(folder: Path, region: Region, record: Recorder) -> None:
    """routing_rules.csv: `category,district_kato,body,note,source`; a blank category or district
    is a fallback (any). Needs the categories (loaded first by the command)."""
    for row in read_csv(folder / "routing_rules.csv"):
        category = Category.objects.filter(code=row["category"]).first() if row["category"] else None
        district = District.objects.filter(kato=row["district_kato"]).first() if row["district_kato"] else None
        body = Organisation.objects.filter(code=row["body"]).first()
        if (row["category"] and category is None) or (row["district_kato"] and district is None) or body is None:
            raise CommandError(
                _("%(path)s: unknown category, district or body in %(row)s")
                % {"path": folder / "routing_rules.csv", "row": row}
            )
        note = " ".join(part for part in (row["note"], f"({row['source']})" if row["source"] else "") if part)
        values = {"body": body, "note": note[:300]}
        lookup = {"region": region, "category": category, "district": district}
        _rule, created, changed = upsert(RoutingRule, lookup, values)
        record("routing rule", created, changed)
