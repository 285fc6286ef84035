"""Load reference data (regions, their units, organisations, calendar overrides) from CSV folders.

Each folder under the reference directory is one data set. A folder with `region.csv` is a region:
its `districts.csv`, `organisations.csv`, `boundaries-approx.geojson` and `outline.geojson` belong
to it. A folder without `region.csv` (e.g. `national/`) holds organisations that belong to no
region (banks, ministries, platforms) and the calendar overrides, which are national.
Folders without a region are loaded first, so regional rows may refer to them. The offence
categories (signals/reference/) are loaded before any folder; a region's `routing_rules.csv`
names them.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import CalendarOverride, District, Organisation, Region
from lib.reference_files import decimal_or_none, int_or_none, read_csv, upsert

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"
# In districts.csv / organisations.csv, "*" in the districts column means every unit of the region.
ALL_UNITS = "*"


@dataclass
class Counts:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def record(self, label: str, created: bool, changed: bool) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + 1
        elif changed:
            self.updated[label] = self.updated.get(label, 0) + 1

    def summary(self) -> str:
        labels = sorted(set(self.created) | set(self.updated))
        if not labels:
            return str(_("nothing changed"))
        parts = [
            _("%(label)s: %(created)d created, %(updated)d updated")
            % {"label": label, "created": self.created.get(label, 0), "updated": self.updated.get(label, 0)}
            for label in labels
        ]
        return "; ".join(str(part) for part in parts)


def read_features(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("features", [])


def names(row: dict) -> dict:
    return {"name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"]}


class ReferenceFolder:
    """One folder of reference files, loaded in a single transaction."""

    def __init__(self, path: Path, counts: Counts):
        self.path = path
        self.counts = counts
        self.region = None
        self.created_codes: set[str] = set()

    @property
    def is_region(self) -> bool:
        return (self.path / "region.csv").exists()

    def load(self) -> None:
        with transaction.atomic():
            if self.is_region:
                self.load_region()
                self.load_districts()
                self.load_approximate_boundaries()
            self.load_organisations()
            if self.is_region:
                self.load_routing_rules()
            self.load_calendar_overrides()

    def load_region(self) -> None:
        rows = read_csv(self.path / "region.csv")
        if len(rows) != 1:
            raise CommandError(_("%(path)s must have exactly one row") % {"path": self.path / "region.csv"})
        row = rows[0]
        values = {
            **names(row),
            "short_code": row["short_code"],
            "centre_lat": decimal_or_none(row["centre_lat"]),
            "centre_lon": decimal_or_none(row["centre_lon"]),
            "population": int_or_none(row["population"]),
            "population_year": row["population_year"],
            "source": row["source"],
        }
        outline = self.region_outline(row["kato"])
        if outline is not None:
            values["outline"] = outline
        self.region, created, changed = upsert(Region, {"kato": row["kato"]}, values)
        self.counts.record("region", created, changed)

    def region_outline(self, kato: str) -> dict | None:
        for feature in read_features(self.path / "outline.geojson"):
            if str(feature["properties"].get("kato")) == kato:
                return feature["geometry"]
        return None

    def load_districts(self) -> None:
        rows = read_csv(self.path / "districts.csv")
        # Parents first: a city district refers to its city.
        for row in sorted(rows, key=lambda row: bool(row["parent_kato"])):
            parent = District.objects.get(kato=row["parent_kato"]) if row["parent_kato"] else None
            values = {
                **names(row),
                "region": self.region,
                "kind": row["kind"],
                "parent": parent,
                "centre_kk": row["centre_kk"],
                "centre_ru": row["centre_ru"],
                "centre_en": row["centre_en"],
                "centre_lat": decimal_or_none(row["centre_lat"]),
                "centre_lon": decimal_or_none(row["centre_lon"]),
                "population": int_or_none(row["population"]),
                "population_year": row["population_year"],
                "source": row["source"],
            }
            _district, created, changed = upsert(District, {"kato": row["kato"]}, values)
            self.counts.record("district", created, changed)

    def load_approximate_boundaries(self) -> None:
        """Approximate shapes never replace official ones loaded by load_boundaries."""
        for feature in read_features(self.path / "boundaries-approx.geojson"):
            properties = feature["properties"]
            district = District.objects.filter(kato=str(properties["kato"]), boundary_approximate=True).first()
            if district is None:
                continue
            source = " ".join(part for part in (properties.get("source", ""), properties.get("note", "")) if part)
            values = {"boundary": feature["geometry"], "boundary_source": source}
            _district, _created, changed = upsert(District, {"pk": district.pk}, values)
            self.counts.record("district boundary", False, changed)

    def load_organisations(self) -> None:
        rows = read_csv(self.path / "organisations.csv")
        # Two passes, so that a row may name a parent that comes later in the file.
        for row in rows:
            values = {
                **names(row),
                "region": self.region,
                "kind": row["kind"],
                "type": row["type"],
                "bank_code": row["bank_code"],
                "bic": row["bic"],
                "source": row["source"],
            }
            _organisation, created, changed = upsert(Organisation, {"code": row["code"]}, values)
            self.counts.record("organisation", created, changed)
            if created:
                self.created_codes.add(row["code"])
        for row in rows:
            self.link_organisation(row)

    def link_organisation(self, row: dict) -> None:
        organisation = Organisation.objects.get(code=row["code"])
        parent = self.find_parent(row)
        _organisation, _created, parent_changed = upsert(Organisation, {"pk": organisation.pk}, {"parent": parent})
        wanted = set(self.served_districts(row))
        districts_changed = wanted != set(organisation.districts.values_list("pk", flat=True))
        if districts_changed:
            organisation.districts.set(wanted)
        # A row created in the first pass is counted once, as created.
        if row["code"] not in self.created_codes:
            self.counts.record("organisation", False, parent_changed or districts_changed)

    def find_parent(self, row: dict) -> Organisation | None:
        if not row["parent"]:
            return None
        parent = Organisation.objects.filter(code=row["parent"]).first()
        if parent is None:
            raise CommandError(
                _("%(code)s: unknown parent %(parent)s") % {"code": row["code"], "parent": row["parent"]}
            )
        return parent

    def served_districts(self, row: dict) -> list[int]:
        value = row["districts"]
        if not value:
            return []
        if value == ALL_UNITS:
            if self.region is None:
                raise CommandError(_("%(code)s: '*' needs a region") % {"code": row["code"]})
            return list(self.region.districts.values_list("pk", flat=True))
        katos = value.split()
        found = dict(District.objects.filter(kato__in=katos).values_list("kato", "pk"))
        unknown = [kato for kato in katos if kato not in found]
        if unknown:
            raise CommandError(
                _("%(code)s: unknown KATO codes %(katos)s") % {"code": row["code"], "katos": ", ".join(unknown)}
            )
        return [found[kato] for kato in katos]

    def load_routing_rules(self) -> None:
        """routing_rules.csv: `category,district_kato,body,note,source`; a blank category or district
        is a fallback (any). Needs the categories (loaded first by the command)."""
        from signals.models import Category, RoutingRule

        for row in read_csv(self.path / "routing_rules.csv"):
            category = Category.objects.filter(code=row["category"]).first() if row["category"] else None
            district = District.objects.filter(kato=row["district_kato"]).first() if row["district_kato"] else None
            body = Organisation.objects.filter(code=row["body"]).first()
            if (row["category"] and category is None) or (row["district_kato"] and district is None) or body is None:
                raise CommandError(
                    _("%(path)s: unknown category, district or body in %(row)s")
                    % {"path": self.path / "routing_rules.csv", "row": row}
                )
            note = " ".join(part for part in (row["note"], f"({row['source']})" if row["source"] else "") if part)
            values = {"body": body, "note": note[:300]}
            lookup = {"region": self.region, "category": category, "district": district}
            _rule, created, changed = upsert(RoutingRule, lookup, values)
            self.counts.record("routing rule", created, changed)

    def load_calendar_overrides(self) -> None:
        for row in read_csv(self.path / "calendar_overrides.csv"):
            values = {"kind": row["kind"], "reason": row["reason"], "source": row["source"]}
            _override, created, changed = upsert(CalendarOverride, {"date": row["date"]}, values)
            self.counts.record("calendar override", created, changed)


HELP = _(
    "Load reference data (regions, districts, organisations, calendar overrides, approximate district "
    "shapes) from the CSV/GeoJSON folders under accounts/reference/. Idempotent: rows are matched by "
    "natural key (KATO code, organisation code, date) and only changed values are written; each folder "
    "is loaded in one transaction. The files are the source of truth for the fields they carry: a value "
    "edited in the admin is overwritten by the next load unless the file is corrected too. Boundaries "
    "loaded with load_boundaries (not approximate) are never overwritten. Rows missing from the files "
    "are left alone (never deleted)."
)


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a plain string: translate when the parser is built
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            metavar="FOLDER",
            help=_("Load only this folder (repeatable); default: every folder"),
        )
        parser.add_argument(
            "--reference-dir",
            default=str(DEFAULT_REFERENCE_DIR),
            help=_("Directory holding one folder per data set (default: accounts/reference/)"),
        )

    def handle(self, *args, regions=None, reference_dir=None, verbosity=1, **options):
        from signals.categories import load_answer_templates, load_categories

        # Categories first: the regions' routing rules name them.
        counts = Counts()
        load_categories(counts.record)
        load_answer_templates(counts.record)
        if verbosity > 0:
            self.stdout.write(f"categories: {counts.summary()}")
        for path in self.folders(Path(reference_dir), regions):
            counts = Counts()
            ReferenceFolder(path, counts).load()
            if verbosity > 0:
                self.stdout.write(f"{path.name}: {counts.summary()}")

    def folders(self, base: Path, names: list[str] | None) -> list[Path]:
        if not base.is_dir():
            raise CommandError(_("No reference directory at %(path)s") % {"path": base})
        if names:
            paths = [base / name for name in names]
            missing = [path.name for path in paths if not path.is_dir()]
            if missing:
                raise CommandError(_("No reference folder named %(names)s") % {"names": ", ".join(missing)})
        else:
            paths = [path for path in base.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))]
        # Data sets without a region first: regional rows may name them as parents.
        return sorted(paths, key=lambda path: ((path / "region.csv").exists(), path.name))
