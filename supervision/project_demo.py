"""The demo's investment projects under supervision and social facilities built from returned
assets, for 2024, 2025 and the live months, written through the services (supervision.services)
with each change entered at noon of the day it is dated (`now=`).

Calibrated to the board's 9-month document (../reference/board-results-2025-9-months.txt): the
summary of 1 January - 30 September 2025 as of 16 October 2025 reads

- 110 investment projects under supervision (regional and national level): 96 taken under
  supervision in 2024 and 38 in 2025 by then, less 6 commissioned in 2024, 14 commissioned and 4
  removed in 2025;
- 12 social facilities from returned assets, two in each of the six districts the document lists
  (Mugalzhar, Kobda, Baiganin, Irgiz, Alga, Shalkar; it also says "five districts and the city",
  which contradicts its own list: the data follows the list, docs/supervision.md), 4 of them
  completed (in Mugalzhar, Baiganin, Irgiz and Alga), the rest under construction; eight more are
  completed by the end of 2025 and in 2026, and new ones are recorded in the live months.

The districts are found by their KATO codes, the offices by their codes; a facility is recorded by
its district's office where a demo prosecutor works there, else by the regional office, and paid
for by an act of response of its district (else of the region) that the recording prosecutor reads:
the acts demo (supervision.demo) runs first. Names, investors and amounts are synthetic; a
facility's point is near its district's centre (approximate, demo only).

Building and refreshing are one function: every record has a fixed schedule of dated changes, and
what is dated by today and not yet written is written (refresh on a later day adds the days since,
nothing twice).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import District, Organisation, Region, User
from accounts.zones import local_today, region_zone

from . import services
from .models import InvestmentProject, SocialFacility, SupervisoryAct
from .scoping import ACT_AUTHORS

DEMO_SEED = 20251016
REGIONAL_OFFICE = "akt-prok-region"
# The six districts of the document's list, by KATO code: Mugalzhar, Kobda (Khobda), Baiganin,
# Irgiz, Alga, Shalkar.
MUGALZHAR, KOBDA, BAIGANIN, IRGIZ, ALGA, SHALKAR = (
    "154800000",
    "154200000",
    "153600000",
    "156800000",
    "153200000",
    "156400000",
)
# Districts of the live months' new facilities: Temir, Khromtau.
LIVE_DISTRICTS = ("155600000", "156000000")
# A point near the centre of a district whose centre the reference data does not give (demo only).
APPROXIMATE_CENTRES = {
    KOBDA: (Decimal("50.1470"), Decimal("55.6480")),
    BAIGANIN: (Decimal("48.6900"), Decimal("55.8700")),
}
# The schedule's horizon: refreshes keep adding the live months' changes until then.
HORIZON = date(2027, 12, 31)

Status = InvestmentProject.Status
FacilityStatus = SocialFacility.Status
FacilityType = SocialFacility.Type


@dataclass
class Change:
    on: date
    kind: str  # "status", "problems" (projects); "progress" (facilities)
    status: str = ""
    count: int = 0
    percent: int = 0
    completed_on: date | None = None


@dataclass
class PlannedProject:
    name: str
    investor: str
    kato: str | None  # None: the region's districts in turn
    level: str
    amount: Decimal
    on: date
    changes: list[Change] = field(default_factory=list)


@dataclass
class PlannedFacility:
    name: str
    type: str
    kato: str
    amount: Decimal
    on: date
    planned_start: date
    planned_completion: date
    changes: list[Change] = field(default_factory=list)


# --- the projects' schedule --------------------------------------------------------------------

PROJECT_KINDS = (
    "Тепличный комплекс",
    "Молочно-товарная ферма",
    "Солнечная электростанция",
    "Ветровая электростанция",
    "Логистический центр",
    "Завод строительных материалов",
    "Цех по переработке зерна",
    "Мясоперерабатывающий комбинат",
    "Горно-обогатительная фабрика",
    "Завод металлоконструкций",
)


def _spread(first: date, last: date, count: int) -> list[date]:
    """`count` days evenly from `first` to `last`."""
    if count == 1:
        return [first]
    span = (last - first).days
    return [first + timedelta(days=round(span * index / (count - 1))) for index in range(count)]


def _project(number: int, on: date, rng: random.Random) -> PlannedProject:
    kind = PROJECT_KINDS[number % len(PROJECT_KINDS)]
    national = number % 5 == 0
    amount = Decimal(rng.randrange(300, 40_000 if national else 8_000)) * 1_000_000
    return PlannedProject(
        name=f"{kind} № {number}",
        investor=f"ТОО «Демо Инвест {number:03d}»",
        kato=None,
        level=InvestmentProject.Level.NATIONAL if national else InvestmentProject.Level.REGIONAL,
        amount=amount,
        on=on,
    )


def project_schedule() -> list[PlannedProject]:
    """Every demo project with its dated changes (module doc: 110 under supervision as of 16 October
    2025). Changes of 2025 up to 16 October are dated by 30 September."""
    rng = random.Random(DEMO_SEED)
    projects: list[PlannedProject] = []
    # 96 taken under supervision in 2024.
    for index, on in enumerate(_spread(date(2024, 1, 10), date(2024, 12, 16), 96)):
        projects.append(_project(index + 1, on, rng))
    # 38 more from January to September 2025.
    for index, on in enumerate(_spread(date(2025, 1, 14), date(2025, 9, 26), 38)):
        projects.append(_project(97 + index, on, rng))
    # After the document: two a month from November 2025 (the live months).
    month, number = date(2025, 11, 1), 135
    while month <= HORIZON:
        for day in (8, 22):
            projects.append(_project(number, month.replace(day=day), rng))
            number += 1
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    first_year = projects[:96]
    # 6 of 2024's commissioned in 2024 (after July), 14 commissioned and 4 removed by 30 September 2025.
    for project, on in zip(first_year[0:6], _spread(date(2024, 7, 15), date(2024, 12, 10), 6), strict=True):
        project.changes.append(Change(on, "status", Status.COMMISSIONED))
    for project, on in zip(first_year[6:20], _spread(date(2025, 1, 20), date(2025, 9, 25), 14), strict=True):
        project.changes.append(Change(on, "status", Status.COMMISSIONED))
    for project, on in zip(first_year[20:24], _spread(date(2025, 2, 10), date(2025, 8, 20), 4), strict=True):
        project.changes.append(Change(on, "status", Status.REMOVED))
    # After the document: commissioned one a month from November 2025 (the oldest first).
    for project, on in zip(first_year[24:], _spread(date(2025, 11, 12), HORIZON, len(first_year) - 24), strict=True):
        project.changes.append(Change(on, "status", Status.COMMISSIONED))
    # Problems solved with the office's help: on every third project, a few weeks after it was taken.
    for index, project in enumerate(projects):
        if index % 3 == 0:
            solved = project.on + timedelta(days=20 + index % 40)
            ends = [change.on for change in project.changes if change.kind == "status"]
            if not ends or solved < ends[0]:
                project.changes.insert(0, Change(solved, "problems", count=1 + index % 3))
    for project in projects:
        project.changes.sort(key=lambda change: change.on)
    return projects


# --- the facilities' schedule -------------------------------------------------------------------


def _building(start: date, steps: list[tuple[date, int]], completed: date | None) -> list[Change]:
    changes = [Change(start, "progress", FacilityStatus.BUILDING, percent=5)]
    changes += [Change(on, "progress", FacilityStatus.BUILDING, percent=percent) for on, percent in steps]
    if completed is not None:
        changes.append(Change(completed, "progress", FacilityStatus.COMPLETED, percent=100, completed_on=completed))
    return changes


def facility_schedule() -> list[PlannedFacility]:
    """The twelve facilities of the document's six districts (four completed by 16 October 2025, the
    others by the end of 2025 or in 2026) and the live months' new ones."""
    million = Decimal(1_000_000)

    def facility(name, type_, kato, amount, on, planned, changes):
        return PlannedFacility(name, type_, kato, amount * million, on, planned[0], planned[1], changes)

    return [
        # Completed by 16 October 2025: Mugalzhar, Baiganin, Irgiz, Alga.
        facility(
            "Спортивный комплекс «Жігер»",
            FacilityType.SPORTS,
            MUGALZHAR,
            310,
            date(2024, 6, 14),
            (date(2024, 8, 1), date(2025, 6, 30)),
            _building(date(2024, 8, 5), [(date(2024, 12, 2), 40), (date(2025, 4, 7), 85)], date(2025, 6, 27)),
        ),
        facility(
            "Детская игровая площадка № 3",
            FacilityType.PLAYGROUND,
            BAIGANIN,
            48,
            date(2025, 2, 11),
            (date(2025, 4, 1), date(2025, 8, 31)),
            _building(date(2025, 4, 3), [(date(2025, 6, 16), 60)], date(2025, 8, 22)),
        ),
        facility(
            "Врачебная амбулатория",
            FacilityType.MEDICAL,
            IRGIZ,
            265,
            date(2024, 9, 20),
            (date(2024, 10, 15), date(2025, 9, 1)),
            _building(date(2024, 10, 21), [(date(2025, 3, 3), 45), (date(2025, 7, 1), 80)], date(2025, 9, 12)),
        ),
        facility(
            "Детский сад «Балдырған»",
            FacilityType.KINDERGARTEN,
            ALGA,
            540,
            date(2024, 4, 22),
            (date(2024, 6, 1), date(2025, 5, 31)),
            _building(date(2024, 6, 10), [(date(2024, 11, 4), 35), (date(2025, 3, 17), 75)], date(2025, 5, 29)),
        ),
        # Under construction on 16 October 2025.
        facility(
            "Физкультурно-оздоровительный комплекс",
            FacilityType.SPORTS,
            MUGALZHAR,
            720,
            date(2025, 1, 28),
            (date(2025, 4, 1), date(2025, 12, 20)),
            _building(date(2025, 4, 8), [(date(2025, 7, 14), 45), (date(2025, 9, 29), 70)], date(2025, 12, 18)),
        ),
        facility(
            "Школа на 300 мест",
            FacilityType.SCHOOL,
            KOBDA,
            1_850,
            date(2024, 11, 5),
            (date(2025, 3, 1), date(2026, 6, 30)),
            _building(
                date(2025, 3, 10),
                [(date(2025, 6, 2), 25), (date(2025, 9, 15), 50), (date(2026, 2, 16), 80)],
                date(2026, 6, 24),
            ),
        ),
        facility(
            "Мини-футбольное поле",
            FacilityType.SPORTS,
            KOBDA,
            62,
            date(2025, 3, 18),
            (date(2025, 5, 1), date(2025, 11, 30)),
            _building(date(2025, 5, 12), [(date(2025, 8, 4), 55), (date(2025, 9, 30), 85)], date(2025, 11, 21)),
        ),
        facility(
            "Дом культуры",
            FacilityType.CULTURE,
            BAIGANIN,
            410,
            date(2025, 1, 16),
            (date(2025, 4, 1), date(2025, 12, 25)),
            _building(date(2025, 4, 14), [(date(2025, 7, 21), 40), (date(2025, 9, 22), 65)], date(2025, 12, 23)),
        ),
        facility(
            "Спортивная площадка у школы",
            FacilityType.PLAYGROUND,
            IRGIZ,
            39,
            date(2025, 5, 6),
            (date(2025, 6, 1), date(2025, 10, 31)),
            _building(date(2025, 6, 9), [(date(2025, 8, 18), 70)], date(2025, 10, 29)),
        ),
        facility(
            "Жилой дом для молодых семей",
            FacilityType.HOUSING,
            ALGA,
            980,
            date(2025, 2, 24),
            (date(2025, 5, 1), date(2026, 3, 31)),
            _building(
                date(2025, 5, 5),
                [(date(2025, 8, 11), 30), (date(2025, 9, 26), 45), (date(2025, 12, 15), 70)],
                date(2026, 3, 27),
            ),
        ),
        facility(
            "Спортивный зал",
            FacilityType.SPORTS,
            SHALKAR,
            280,
            date(2024, 12, 9),
            (date(2025, 3, 1), date(2025, 12, 15)),
            _building(date(2025, 3, 24), [(date(2025, 6, 30), 40), (date(2025, 9, 8), 70)], date(2025, 12, 12)),
        ),
        facility(
            "Детский сад на 90 мест",
            FacilityType.KINDERGARTEN,
            SHALKAR,
            610,
            date(2025, 4, 2),
            (date(2025, 6, 1), date(2025, 12, 26)),
            _building(date(2025, 6, 2), [(date(2025, 8, 25), 35), (date(2025, 9, 29), 50)], date(2025, 12, 24)),
        ),
        # The live months: recorded after the document, in two other districts.
        facility(
            "Спортивная площадка в микрорайоне",
            FacilityType.PLAYGROUND,
            LIVE_DISTRICTS[0],
            55,
            date(2026, 2, 9),
            (date(2026, 4, 1), date(2026, 9, 30)),
            _building(date(2026, 4, 6), [(date(2026, 7, 13), 60)], date(2026, 9, 25)),
        ),
        facility(
            "Центр детского творчества",
            FacilityType.CULTURE,
            LIVE_DISTRICTS[1],
            390,
            date(2026, 5, 18),
            (date(2026, 7, 1), date(2027, 6, 30)),
            _building(date(2026, 7, 6), [(date(2026, 11, 2), 30), (date(2027, 3, 1), 60)], date(2027, 6, 21)),
        ),
    ]


# --- writing -------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, region: Region, today: date):
        self.region, self.today, self.zone = region, today, region_zone(region)
        self.districts = {district.kato: district for district in District.objects.filter(region=region)}
        self.offices = {office.code: office for office in Organisation.objects.filter(region=region)}
        self.actors: dict[int, User] = {}
        for user in (
            User.objects.filter(organisation__region=region, role__in=ACT_AUTHORS, is_active=True)
            .select_related("organisation")
            .order_by("is_superuser", "pk")
        ):
            self.actors.setdefault(user.organisation_id, user)
        self.serving = {}  # district id -> the demo office with a prosecutor that serves it
        for office in self.offices.values():
            if (
                office.pk in self.actors
                and office.code != REGIONAL_OFFICE
                and office.kind == Organisation.Kind.PROSECUTOR_OFFICE
            ):
                for district_id in office.districts.values_list("id", flat=True):
                    self.serving.setdefault(district_id, office)
        self.regional = self.offices.get(REGIONAL_OFFICE)
        self.written = 0

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time(12), self.zone)

    def keeper(self, district: District) -> tuple[Organisation | None, User | None]:
        office = self.serving.get(district.pk) or self.regional
        return office, self.actors.get(office.pk) if office else None

    # --- projects --------------------------------------------------------------------------------

    def projects(self) -> None:
        units = sorted(
            (district for district in self.districts.values() if district.parent_id is None), key=lambda d: d.kato
        )
        existing = {project.name: project for project in InvestmentProject.objects.filter(region=self.region)}
        for index, planned in enumerate(project_schedule()):
            if planned.on > self.today:
                continue
            district = self.districts.get(planned.kato) if planned.kato else units[index % len(units)]
            office, actor = self.keeper(district)
            if actor is None:
                continue
            project = existing.get(planned.name)
            if project is None:
                project = services.project_record(
                    actor=actor,
                    office=office,
                    name=planned.name,
                    investor=planned.investor,
                    district=district,
                    level=planned.level,
                    amount=planned.amount,
                    on=planned.on,
                    now=self.at(planned.on),
                )
                self.written += 1
            done = project.events.count() - 1
            for change in planned.changes[done:]:
                if change.on > self.today or not self.project_change(actor, project, change):
                    break
                self.written += 1

    def project_change(self, actor: User, project: InvestmentProject, change: Change) -> bool:
        """Write one scheduled change; False when the project was changed otherwise since (by hand
        on the demo's pages): its schedule stops there."""
        try:
            if change.kind == "problems":
                services.project_problems(
                    actor=actor, project=project, count=change.count, on=change.on, now=self.at(change.on)
                )
            else:
                services.project_status(
                    actor=actor, project=project, status=change.status, on=change.on, now=self.at(change.on)
                )
        except ValidationError:
            return False
        return True

    # --- facilities ------------------------------------------------------------------------------

    def source_act(self, actor: User, district: District, on: date) -> SupervisoryAct | None:
        """An act of response of the district (else of the region) the actor reads, dated by `on`
        where one is: the earliest, so the choice is the same every time."""
        readable = SupervisoryAct.objects.for_user(actor).filter(region=self.region).order_by("date", "id")
        for acts in (
            readable.filter(district=district, date__lte=on),
            readable.filter(district=district),
            readable.filter(date__lte=on),
            readable,
        ):
            act = acts.first()
            if act is not None:
                return act
        return None

    def facility_keeper(self, district: District, on: date):
        """(office, prosecutor, source act): the district's office where its prosecutor reads an act
        to name as the source, else the regional office."""
        for office in (self.serving.get(district.pk), self.regional):
            actor = self.actors.get(office.pk) if office is not None else None
            act = self.source_act(actor, district, on) if actor is not None else None
            if act is not None:
                return office, actor, act
        return None, None, None

    def point(self, district: District, index: int) -> tuple[Decimal | None, Decimal | None]:
        if district.centre_lat is not None and district.centre_lon is not None:
            lat, lon = district.centre_lat, district.centre_lon
        elif district.kato in APPROXIMATE_CENTRES:
            lat, lon = APPROXIMATE_CENTRES[district.kato]
        else:
            return None, None
        offset = Decimal("0.012") * (1 + index % 3)
        return lat + (offset if index % 2 else -offset), lon + offset

    def facilities(self) -> None:
        existing = {facility.name: facility for facility in SocialFacility.objects.filter(region=self.region)}
        for index, planned in enumerate(facility_schedule()):
            district = self.districts.get(planned.kato)
            if planned.on > self.today or district is None:
                continue
            facility = existing.get(planned.name)
            if facility is None:
                office, actor, act = self.facility_keeper(district, planned.on)
                if act is None:
                    continue
                latitude, longitude = self.point(district, index)
                facility = services.facility_record(
                    actor=actor,
                    office=office,
                    name=planned.name,
                    type=planned.type,
                    district=district,
                    amount=planned.amount,
                    on=planned.on,
                    source_act=act,
                    latitude=latitude,
                    longitude=longitude,
                    planned_start=planned.planned_start,
                    planned_completion=planned.planned_completion,
                    now=self.at(planned.on),
                )
                self.written += 1
            else:
                actor = self.actors.get(facility.office_id)
                if actor is None:
                    continue
            done = facility.events.count() - 1
            for change in planned.changes[done:]:
                if change.on > self.today:
                    break
                try:
                    services.facility_progress(
                        actor=actor,
                        facility=facility,
                        status=change.status,
                        percent_done=change.percent,
                        on=change.on,
                        completed_on=change.completed_on,
                        now=self.at(change.on),
                    )
                except ValidationError:
                    break  # changed by hand on the demo's pages since: its schedule stops here
                self.written += 1


@transaction.atomic
def build_demo_projects(*, region: Region, today: date | None = None) -> int:
    """The region's demo projects and facilities and their changes dated by `today` (default: the
    region's today) not written yet; the rows written."""
    writer = _Writer(region, today or local_today(region))
    if writer.regional is None or writer.regional.pk not in writer.actors:
        return 0
    writer.projects()
    writer.facilities()
    return writer.written


def _regions():
    return Region.objects.filter(districts__isnull=False).distinct()


def create_demo_projects(command) -> None:
    for region in _regions():
        if InvestmentProject.objects.filter(region=region).exists():
            command.stdout.write(f"Investment projects of {region.short_code} exist: skipped.")
            continue
        written = build_demo_projects(region=region)
        command.stdout.write(f"Demo investment projects and social facilities of {region.short_code}: {written} rows.")


def refresh_demo_projects(command) -> None:
    """The changes dated since the demo was built (a database without demo projects is left alone)."""
    for region in _regions():
        if not InvestmentProject.objects.filter(region=region).exists():
            continue
        written = build_demo_projects(region=region)
        command.stdout.write(
            f"Demo projects and facilities of {region.short_code} brought up to today: {written} rows."
        )
