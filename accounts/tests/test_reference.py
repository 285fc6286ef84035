"""Reference data: loading (twice), the Aktobe units and organisations, a second region, boundaries."""

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.calendar import working_calendar
from accounts.models import CalendarOverride, District, Organisation, Region

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "accounts" / "reference"
SECOND_REGION_DIR = Path(__file__).resolve().parent / "reference_second_region"
SHARED_UNITS = REPO.parent / "shared" / "reference" / "aktobe-units.csv"
AKTOBE_REGION_KATO = "150000000"
ALGA = "153200000"
AITEKE_BI = "153400000"  # no verified centre coordinates, so no approximate cell


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_reference", stdout=out, **options)
    return out.getvalue()


def table_sizes() -> dict:
    return {
        "regions": Region.objects.count(),
        "districts": District.objects.count(),
        "organisations": Organisation.objects.count(),
        "served": Organisation.districts.through.objects.count(),
        "overrides": CalendarOverride.objects.count(),
    }


def write_geojson(tmp_path: Path, data, name="official.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def square(lon: float, lat: float, size: float = 0.5) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(kato: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"kato": kato}, "geometry": geometry}


# --- loading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_changes_nothing_when_loaded_twice():
    before = table_sizes()
    output = load()
    assert table_sizes() == before
    for line in output.strip().splitlines():
        assert line.endswith("nothing changed"), line


@pytest.mark.django_db
def test_it_restores_a_value_the_file_carries_and_reports_the_update():
    District.objects.filter(kato=ALGA).update(name_en="edited")
    output = load(regions=["aktobe"])
    assert District.objects.get(kato=ALGA).name_en == "Alga District"
    assert "district: 0 created, 1 updated" in output


@pytest.mark.django_db
def test_it_prints_nothing_at_verbosity_zero():
    assert load(verbosity=0) == ""


@pytest.mark.django_db
def test_it_refuses_an_unknown_region_folder():
    with pytest.raises(CommandError):
        load(regions=["atlantis"])


# --- the Aktobe units -------------------------------------------------------------------------


def source_units() -> list[dict]:
    """The gathered facts (shared/reference) when present, else the committed copy of them."""
    if SHARED_UNITS.exists():
        with SHARED_UNITS.open(encoding="utf-8") as handle:
            return [row for row in csv.DictReader(handle) if row["level"] != "region"]
    with (REFERENCE / "aktobe" / "districts.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_it_loads_the_sixteen_units_with_their_kato_codes():
    region = Region.objects.get(kato=AKTOBE_REGION_KATO)
    assert region.short_code == "AKT"
    units = {district.kato: district for district in region.districts.all()}
    assert len(units) + 1 == 16  # the region itself, the city, its two districts, twelve districts
    assert {row["kato"] for row in source_units()} == set(units)
    for district in units.values():
        assert re.fullmatch(r"\d{9}", district.kato)


@pytest.mark.django_db
def test_it_keeps_the_three_names_where_the_source_has_them():
    for row in source_units():
        district = District.objects.get(kato=row["kato"])
        for language in ("kk", "ru", "en"):
            assert getattr(district, f"name_{language}") == row[f"name_{language}"], (row["kato"], language)
        assert district.source


@pytest.mark.django_db
def test_it_places_the_city_districts_under_the_city():
    city = District.objects.get(kind=District.Kind.CITY, region__kato=AKTOBE_REGION_KATO)
    children = District.objects.filter(kind=District.Kind.CITY_DISTRICT, region__kato=AKTOBE_REGION_KATO)
    assert children.count() == 2
    assert all(child.parent == city for child in children)


@pytest.mark.django_db
def test_it_loads_approximate_shapes_and_the_region_outline():
    alga = District.objects.get(kato=ALGA)
    assert alga.boundary["type"] in {"Polygon", "MultiPolygon"}
    assert alga.boundary_approximate
    assert "Voronoi" in alga.boundary_source
    assert District.objects.get(kato=AITEKE_BI).boundary is None
    assert Region.objects.get(kato=AKTOBE_REGION_KATO).outline["type"] in {"Polygon", "MultiPolygon"}


# --- organisations ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, type_",
    [
        ("akt-police-alga", Organisation.Type.POLICE_UNIT),
        ("akt-prok-alga", Organisation.Type.DISTRICT_OFFICE),
        ("akt-prok-temir", Organisation.Type.DISTRICT_OFFICE),
        ("akt-prok-region", Organisation.Type.REGIONAL_OFFICE),
        ("bank-halyk", Organisation.Type.BANK),
    ],
)
def test_it_has_the_organisations_the_personas_need(code, type_):
    assert Organisation.objects.get(code=code).type == type_


@pytest.mark.django_db
def test_it_ties_district_bodies_to_their_district():
    alga = District.objects.get(kato=ALGA)
    assert list(Organisation.objects.get(code="akt-prok-alga").districts.all()) == [alga]
    assert Organisation.objects.get(code="akt-police-alga").parent.code == "akt-police-region"
    region_units = District.objects.filter(region__kato=AKTOBE_REGION_KATO).count()
    assert Organisation.objects.get(code="akt-prok-region").districts.count() == region_units


@pytest.mark.django_db
def test_it_gives_every_bank_a_three_digit_code_and_a_bic():
    banks = Organisation.objects.filter(type=Organisation.Type.BANK)
    assert banks.count() > 10
    for bank in banks:
        assert re.fullmatch(r"\d{3}", bank.bank_code), bank.code
        assert re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", bank.bic), bank.code
        assert bank.region is None
    halyk = Organisation.objects.get(code="bank-halyk")
    assert (halyk.bank_code, halyk.bic) == ("601", "HSBKKZKX")


@pytest.mark.django_db
def test_it_gives_every_organisation_a_name_and_a_source():
    for organisation in Organisation.objects.all():
        assert organisation.name_ru or organisation.name_en, organisation.code
        assert organisation.source, organisation.code


# --- a second region ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_loads_a_second_region_from_the_same_format_beside_aktobe():
    aktobe_before = District.objects.filter(region__kato=AKTOBE_REGION_KATO).count()
    load(reference_dir=str(SECOND_REGION_DIR))
    second = Region.objects.get(short_code="TST")
    assert second.districts.count() == 3
    assert District.objects.get(kato="991013100").parent.kato == "991010000"
    # The district office names a parent that comes later in the file.
    first_office = Organisation.objects.get(code="tst-prok-first")
    assert first_office.parent.code == "tst-prok-region"
    assert first_office.region == second
    assert Organisation.objects.get(code="tst-prok-region").districts.count() == 3
    assert District.objects.filter(region__kato=AKTOBE_REGION_KATO).count() == aktobe_before
    assert "nothing changed" in load(reference_dir=str(SECOND_REGION_DIR))


# --- no region in code ----------------------------------------------------------------------------

REGION_NAME = re.compile(r"aktobe|aqt[oö]be|актобе|ақтөбе|актюб", re.IGNORECASE)
SKIPPED_DIRS = {".venv", "node_modules", "var", "tests", "scripts", "migrations", "reference", ".git"}


def python_files():
    for path in REPO.rglob("*.py"):
        relative = path.relative_to(REPO)
        if SKIPPED_DIRS & set(relative.parts[:-1]):
            continue
        yield relative, path


def test_it_names_no_region_in_python_code():
    offenders = []
    for relative, path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if REGION_NAME.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


# --- load_boundaries --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_replaces_a_boundary_with_an_official_one(tmp_path):
    path = write_geojson(tmp_path, collection(feature(ALGA, square(57.0, 49.5))))
    out, err = io.StringIO(), io.StringIO()
    call_command("load_boundaries", str(path), stdout=out, stderr=err)
    alga = District.objects.get(kato=ALGA)
    assert alga.boundary == square(57.0, 49.5)
    assert not alga.boundary_approximate
    assert alga.boundary_source == f"official.geojson, loaded {date.today().isoformat()}"
    assert "1 boundaries replaced" in out.getvalue()


@pytest.mark.django_db
def test_it_reads_the_kato_code_from_another_property(tmp_path):
    data = collection({"type": "Feature", "properties": {"KATO_CODE": ALGA}, "geometry": square(57.0, 49.5)})
    call_command("load_boundaries", str(write_geojson(tmp_path, data)), property="KATO_CODE", verbosity=0)
    assert not District.objects.get(kato=ALGA).boundary_approximate


@pytest.mark.django_db
def test_it_reports_features_that_match_no_district(tmp_path):
    data = collection(feature(ALGA, square(57.0, 49.5)), feature("999999999", square(50.0, 40.0)))
    err = io.StringIO()
    call_command("load_boundaries", str(write_geojson(tmp_path, data)), stderr=err, verbosity=0)
    assert "999999999" in err.getvalue()
    assert not District.objects.get(kato=ALGA).boundary_approximate


@pytest.mark.django_db
def test_it_keeps_an_official_boundary_when_reference_data_is_reloaded(tmp_path):
    call_command("load_boundaries", str(write_geojson(tmp_path, collection(feature(ALGA, square(57.0, 49.5))))))
    load(regions=["aktobe"])
    alga = District.objects.get(kato=ALGA)
    assert not alga.boundary_approximate
    assert alga.boundary_source.startswith("official.geojson")


BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"type": "Feature", "geometry": square(57.0, 49.5)}),
        json.dumps(collection(feature(ALGA, {"type": "Point", "coordinates": [57.0, 49.5]}))),
        json.dumps(collection(feature(ALGA, BOWTIE))),
        json.dumps(collection({"type": "Feature", "properties": {}, "geometry": square(57.0, 49.5)})),
    ],
    ids=["malformed-json", "not-a-collection", "a-point", "self-intersecting", "no-kato"],
)
def test_it_refuses_malformed_input_and_changes_nothing(tmp_path, content):
    before = District.objects.get(kato=ALGA).boundary
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(write_geojson(tmp_path, content)), verbosity=0)
    alga = District.objects.get(kato=ALGA)
    assert alga.boundary == before
    assert alga.boundary_approximate


@pytest.mark.django_db
def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"))


# --- the working calendar with the admin's overrides -------------------------------------------------


@pytest.mark.django_db
def test_it_applies_the_admins_calendar_overrides():
    monday = date(2030, 6, 3)
    assert working_calendar().is_working_day(monday)
    CalendarOverride.objects.create(date=monday, kind=CalendarOverride.Kind.DAY_OFF, reason="test order")
    calendar = working_calendar()
    assert not calendar.is_working_day(monday)
    assert calendar.add_working_days(date(2030, 5, 31), 1) == date(2030, 6, 4)
