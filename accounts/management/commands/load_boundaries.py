"""Replace district boundaries with official shapes from a GeoJSON FeatureCollection."""

import json
from datetime import date
from pathlib import Path

import shapely
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape

from accounts.models import District

AREA_TYPES = {"Polygon", "MultiPolygon"}


def read_feature_collection(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CommandError(_("No such file: %(path)s") % {"path": path}) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(_("%(path)s is not valid JSON: %(error)s") % {"path": path, "error": error}) from error
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise CommandError(_("%(path)s is not a GeoJSON FeatureCollection") % {"path": path})
    return data["features"]


def area_geometry(feature: dict):
    """The feature's geometry as a valid shapely (Multi)Polygon, or a reason why it is not one."""
    try:
        geometry = shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as error:
        return None, _("unreadable geometry (%(error)s)") % {"error": error}
    if geometry.geom_type not in AREA_TYPES:
        return None, _("a %(type)s, not a Polygon or MultiPolygon") % {"type": geometry.geom_type}
    if geometry.is_empty:
        return None, _("an empty geometry")
    if not geometry.is_valid:
        return None, _("an invalid geometry (%(reason)s)") % {"reason": shapely.is_valid_reason(geometry)}
    return geometry, None


def feature_kato(feature: dict, property_name: str) -> str:
    properties = feature.get("properties") or {}
    value = properties.get(property_name)
    return "" if value is None else str(value).strip()


HELP = _(
    "Replace District.boundary with official shapes from a GeoJSON FeatureCollection whose features "
    "carry the district's KATO code in a property. Sets boundary_approximate=False and records the file "
    "name and date as boundary_source. Every matched feature must be a valid Polygon or MultiPolygon, "
    "otherwise nothing is written."
)


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a plain string: translate when the parser is built
        return str(HELP)

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("GeoJSON FeatureCollection"))
        parser.add_argument(
            "--property", default="kato", help=_("Feature property holding the KATO code (default: kato)")
        )

    def handle(self, *args, file, property, verbosity=1, **options):
        path = Path(file)
        features = read_feature_collection(path)
        districts = {district.kato: district for district in District.objects.all()}
        shapes, problems, unmatched = self.match(features, property, districts)
        if problems:
            raise CommandError(_("Nothing loaded; invalid features:\n%(list)s") % {"list": "\n".join(problems)})
        for kato in unmatched:
            self.stderr.write(str(_("No district with KATO %(kato)s; feature skipped") % {"kato": kato}))
        source = _("%(name)s, loaded %(date)s") % {"name": path.name, "date": date.today().isoformat()}
        with transaction.atomic():
            for kato, geometry in shapes.items():
                district = districts[kato]
                district.boundary = mapping(geometry)
                district.boundary_approximate = False
                district.boundary_source = str(source)
                district.save(update_fields=["boundary", "boundary_approximate", "boundary_source"])
        if verbosity > 0:
            self.stdout.write(
                str(
                    _("%(loaded)d boundaries replaced, %(skipped)d features without a district")
                    % {"loaded": len(shapes), "skipped": len(unmatched)}
                )
            )

    def match(self, features: list, property_name: str, districts: dict):
        shapes, problems, unmatched = {}, [], []
        for index, feature in enumerate(features):
            if not isinstance(feature, dict):
                problems.append(_("feature %(index)d: not an object") % {"index": index})
                continue
            kato = feature_kato(feature, property_name)
            if not kato:
                problems.append(
                    _("feature %(index)d: no %(property)s property") % {"index": index, "property": property_name}
                )
                continue
            if kato not in districts:
                unmatched.append(kato)
                continue
            geometry, reason = area_geometry(feature)
            if reason:
                problems.append(
                    _("feature %(index)d (KATO %(kato)s): %(reason)s")
                    % {"index": index, "kato": kato, "reason": reason}
                )
                continue
            shapes[kato] = geometry
        return shapes, [str(problem) for problem in problems], unmatched
