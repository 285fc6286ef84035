"""Load reference data (regions, their units, organisations, calendar overrides) from CSV folders.

Each folder under the reference directory is one data set. A folder with `region.csv` is a region:
its `districts.csv`, `organisations.csv`, `boundaries-approx.geojson` and `outline.geojson` belong
to it. A folder without `region.csv` (e.g. `national/`) holds organisations that belong to no
region (banks, ministries, platforms) and the calendar overrides, which are national.
Folders without a region are loaded first, so regional rows may refer to them.

The apps add their own reference data (lib.plugins.ReferenceLoader, declared in their apps.py):
what a loader loads before any folder comes first, on its own line (the offence categories:
a region's routing rules name them); what it loads from a region's folder (the routing rules)
joins that folder's transaction once the region's organisations are in.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import CalendarOverride, District, Organisation, Region
from accounts.zones import validate_time_zone
from lib.plugins import ReferenceLoader, reference_loaders
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

    def __init__(self, path: Path, counts: Counts, loaders: list[ReferenceLoader]):
        self.path = path
        self.counts = counts
        self.loaders = loaders
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
                for loader in self.loaders:
                    loader.run_for_region(self.path, self.region, self.counts.record)
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
        if "time_zone" in row:  # an older file without the column leaves the admin's value alone
            try:
                validate_time_zone(row["time_zone"])
            except ValidationError as error:
                raise CommandError(f"{self.path / 'region.csv'}: {' '.join(error.messages)}") from None
            values["time_zone"] = row["time_zone"]
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
        # The apps' data first: the regions' rows may name it (routing rules name categories).
        loaders = reference_loaders()
        for loader in loaders:
            if loader.load:
                counts = Counts()
                loader.run(counts.record)
                if verbosity > 0:
                    self.stdout.write(f"{loader.name}: {counts.summary()}")
        for path in self.folders(Path(reference_dir), regions):
            counts = Counts()
            ReferenceFolder(path, counts, loaders).load()
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
