"""The demo's criminal cases under control and acts of response with what they achieved, for 2024,
2025 and the live months, written through the services (supervision.services), each change entered
on the day it is dated.

Calibrated to the board's 9-month document (../reference/): the summary of 1 January - 30 September
2025 as of 16 October 2025 reads, from these records, the state prosecution (973 cases, 824
verdicts, 410 sentenced to imprisonment, 36 appellate petitions satisfied), the four high-profile
cases brought to verdict, two dropper cases under Art. 190 (one convicted, one before the court),
two drug laboratories and more than 76 kg seized, two special prosecutors' drug cases with seven in
custody, five corruption and economic cases initiated by the office ending in conviction and
sixteen under investigation; more than 1,000 violations, the rights of over 7,000 citizens restored,
about 1,000 officials held accountable (1,012), about 8 billion tenge assessed (preliminary), more than 3
billion of budget misuse prevented, 1.2 billion reimbursed of which 1 billion to the state budget,
6 claims satisfied for 285 shared-equity holders and 3 for 128 before the court, 45 orphans housed,
27 investors protected, tariffs reduced for 17 enterprises, 12 officials liable for illegal
inspections, 35 entrepreneurs freed by the Irgiz district prosecutor. The notable cases are built
first; the ordinary ones make up the rest of each total, so the totals hold exactly.

Names are synthetic: a case's summary names no person; the real names of the reference documents
appear only in approved highlights.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Sum

from accounts.models import District, Region, User
from accounts.roles import PROSECUTOR_ROLES
from accounts.zones import local_today, region_zone
from lib.metrics import Area

from . import services
from .models import ActAmount, BusinessMatter, CaseEvent, CriminalCase, Stage, SupervisoryAct

DEMO_SEED = 20251016
Heading = ActAmount.Heading
EventKind = CaseEvent.Kind
NINE_MONTHS = (date(2025, 1, 1), date(2025, 9, 30))


@dataclass(frozen=True)
class Prosecution:
    """What a stretch of days brings to the state prosecution: cases sent to court, verdicts, persons
    sentenced to imprisonment, appellate petitions satisfied."""

    first: date
    last: date
    to_court: int
    verdicts: int
    imprisoned: int
    appeals: int


STRETCHES = (
    Prosecution(date(2024, 1, 1), date(2024, 9, 30), 1012, 851, 437, 41),
    Prosecution(date(2024, 10, 1), date(2024, 12, 31), 330, 288, 141, 12),
    Prosecution(*NINE_MONTHS, 973, 824, 410, 36),
    Prosecution(date(2025, 10, 1), date(2025, 12, 31), 318, 280, 137, 11),
)
# After 2025, each month about 2025's mean.
LIVE_MONTH = (106, 91, 45, 4)
ORDINARY_ARTICLES = (("188", "2"), ("190", "2"), ("191", "3"), ("106", "1"), ("200", "1"), ("297", "1"))


# The 9-month document's high-profile cases as it publishes them (its names included), one highlight
# each; their numbers are the cases' own ({convicted}, {damage}), never typed.
HIGHLIGHTS = (
    {
        "text_kk": "Қопа ауылында кәмелетке толмағандарды өлтіру туралы іс бойынша түпкілікті процестік шешім "
        "қабылданды, сотталғандар: {convicted}.",
        "text_ru": "Принято окончательное процессуальное решение по делу об убийстве несовершеннолетних в селе Копа, "
        "осуждено: {convicted}.",
        "text_en": "A final procedural decision was made on the murder of minors in Kopa village: "
        "{convicted} convicted.",
    },
    {
        "text_kk": "Мал базар ауданында кәмелетке толмаған баланы өлтіру туралы іс бойынша кінәлілер сотталды: "
        "{convicted}.",
        "text_ru": "По делу об убийстве несовершеннолетнего в районе Мал базар виновные осуждены: {convicted}.",
        "text_en": "The murder of a minor in the Mal Bazar district: the guilty were convicted ({convicted}).",
    },
    {
        "text_kk": "«Ту-Ха» компаниясынан {damage} ұрлау туралы іс бойынша кінәлілер сотталды: {convicted}.",
        "text_ru": "По делу о хищении {damage} у компании «Ту-Ха» виновные осуждены: {convicted}.",
        "text_en": "The theft of {damage} from the Tu-Kha company: the guilty were convicted ({convicted}).",
    },
    {
        "text_kk": "Қос кісі өлтіру және Басановты заңсыз ұстау туралы іс бойынша кінәлілер сотталды: {convicted}.",
        "text_ru": "По делу о двойном убийстве и незаконном лишении свободы Басанова виновные осуждены: {convicted}.",
        "text_en": "The double murder and illegal detention of Basanov: the guilty were convicted ({convicted}).",
    },
)


class _Numbers:
    """ERDR numbers: the year's two digits, then a serial (the demo's own; module doc)."""

    def __init__(self):
        self.serial = 0

    def next(self, registered: date) -> str:
        self.serial += 1
        return f"{registered.year % 100:02d}15{self.serial:011d}"


def _noon(day: date, zone) -> datetime:
    return datetime.combine(day, time(11), zone)


def _actors(region: Region) -> dict:
    """office code -> its first demo prosecutor."""
    actors = {}
    for user in (
        User.objects.filter(organisation__region=region, role__in=PROSECUTOR_ROLES)
        .select_related("organisation")
        .order_by("pk")
    ):
        actors.setdefault(user.organisation.code, user)
    return actors


class _Builder:
    def __init__(self, region: Region, today: date):
        self.region, self.today, self.zone = region, today, region_zone(region)
        self.rng = random.Random(DEMO_SEED)
        self.numbers = _Numbers()
        self.actors = _actors(region)
        self.regional = self.actors.get("akt-prok-region")
        self.districts = list(District.objects.filter(region=region, parent__isnull=True).order_by("kato"))

    def at(self, day: date) -> datetime:
        return _noon(day, self.zone)

    # --- cases ---------------------------------------------------------------------------------

    def case(
        self,
        registered: date,
        *,
        district=None,
        article=("190", "2"),
        body="police",
        charged=1,
        custody=0,
        summary="Уголовное дело под надзором прокуратуры.",
        **more,
    ) -> CriminalCase:
        return services.case_record(
            actor=self.regional,
            office=self.regional.organisation,
            district=district or self.rng.choice(self.districts),
            erdr_number=self.numbers.next(registered),
            registered_on=registered,
            article=article[0],
            article_part=article[1],
            gravity="grave",
            investigating_body=body,
            summary=summary,
            charged=charged,
            in_custody=custody,
            now=self.at(registered),
            **more,
        )

    def stage(self, case, stage, day, **more):
        if day <= self.today:
            services.case_stage(case=case, actor=self.regional, stage=stage, on=day, now=self.at(day), **more)

    def appeal(self, case, day):
        if day <= self.today:
            services.case_appeal(case=case, actor=self.regional, on=day, satisfied=True, now=self.at(day))

    def notable_cases(self) -> None:
        """The cases the 9-month document names (synthetic summaries), within 1 January - 30 September 2025."""
        high_profile = (
            ("Убийство несовершеннолетней в сельском округе.", ("99", "2"), {"against_minor": True}),
            ("Убийство несовершеннолетнего в районе.", ("99", "2"), {"against_minor": True}),
            ("Хищение 6 млрд тенге у частной компании.", ("189", "4"), {"economic": True}),
            ("Двойное убийство и незаконное лишение свободы.", ("99", "2"), {}),
        )
        for position, ((summary, article, flags), texts) in enumerate(zip(high_profile, HIGHLIGHTS, strict=True)):
            case = self.case(
                date(2024, 9, 2 + position),
                article=article,
                charged=2,
                custody=2,
                summary=summary,
                flags={"high_profile": True, "special_control": True, **flags},
                damage=Decimal("6000000000") if flags.get("economic") else 0,
            )
            self.stage(case, Stage.COURT, date(2025, 2, 3 + position))
            verdict = date(2025, 6, 10 + position)
            self.stage(case, Stage.VERDICT, verdict, convicted=2, imprisoned=2)
            # The document's words, its names as published, in an approved highlight bound to the case.
            services.highlight_publish(
                actor=self.regional, record=case, on=verdict, area=Area.PROSECUTION, now=self.at(verdict), **texts
            )
        # Droppers under Art. 190: one convicted, one before the court.
        for position in range(2):
            case = self.case(
                date(2025, 2, 10 + position), dropper_article="190", summary="Дроппер: передача карты мошенникам."
            )
            self.stage(case, Stage.COURT, date(2025, 5, 5 + position))
            if position == 0:
                self.stage(case, Stage.VERDICT, date(2025, 7, 1), convicted=1, imprisoned=0)
        # Two drug laboratories, 76.4 kg seized in all.
        for position, kg in enumerate(("41.2", "35.2")):
            case = self.case(
                date(2025, 3, 12 + position),
                article=("297", "3"),
                body="special_prosecutors" if position else "police",
                charged=3,
                custody=3 if position else 0,
                summary="Нарколаборатория ликвидирована.",
                flags={"drugs": True, "drug_lab": True},
            )
            services.case_amounts(
                case=case,
                actor=self.regional,
                on=date(2025, 3, 14 + position),
                kg_added=kg,
                now=self.at(date(2025, 3, 14 + position)),
            )
            if position:
                self.stage(case, Stage.COURT, date(2025, 8, 4))
        # The special prosecutors' second drug dealers' case: four in custody (seven in all).
        case = self.case(
            date(2025, 4, 7),
            article=("297", "2"),
            body="special_prosecutors",
            charged=4,
            custody=4,
            summary="Сбыт наркотиков через интернет-магазин.",
            flags={"drugs": True, "drug_shop": True},
        )
        self.stage(case, Stage.COURT, date(2025, 9, 1))
        # Corruption and economic cases initiated by the office: 5 convicted, 16 under investigation.
        for position in range(21):
            case = self.case(
                date(2024, 11, 1) + timedelta(days=9 * position),
                article=("366", "2") if position % 2 else ("189", "3"),
                body="anti_corruption" if position % 2 else "financial_monitoring",
                initiated_by_prosecutor=True,
                flags={"corruption": bool(position % 2), "economic": not position % 2},
                summary="Дело, начатое по материалам прокурорской проверки.",
            )
            if position < 5:
                self.stage(case, Stage.COURT, date(2025, 3, 3 + position))
                self.stage(case, Stage.VERDICT, date(2025, 6, 2 + position), convicted=1, imprisoned=1)
        # The special prosecutors' case of abuse of power over state housing.
        self.case(
            date(2025, 5, 20),
            article=("361", "1"),
            body="special_prosecutors",
            summary="Злоупотребление должностными полномочиями при распределении государственного жилья.",
            flags={"corruption": True, "special_control": True},
        )

    def ordinary_cases(self, stretch: Prosecution) -> None:
        """Cases filling the stretch's totals up to its figures (the notable ones already count)."""
        if stretch.first > self.today:
            return
        last = min(stretch.last, self.today)
        counted = self._counted(stretch.first, last)
        share = (
            1.0
            if last == stretch.last
            else ((last - stretch.first).days + 1) / ((stretch.last - stretch.first).days + 1)
        )
        wanted = [
            round(target * share)
            for target in (stretch.to_court, stretch.verdicts, stretch.imprisoned, stretch.appeals)
        ]
        to_court, verdicts, imprisoned, appeals = (
            max(0, want - have) for want, have in zip(wanted, counted, strict=True)
        )
        span = (last - stretch.first).days
        court_days = sorted(stretch.first + timedelta(days=self.rng.randint(0, span)) for _ in range(to_court))
        for position, court_day in enumerate(court_days):
            registered = court_day - timedelta(days=self.rng.randint(20, 120))
            article = self.rng.choice(ORDINARY_ARTICLES)
            case = self.case(registered, article=article, charged=self.rng.choice((1, 1, 2)))
            self.stage(case, Stage.COURT, court_day)
            if position < verdicts:
                verdict_day = min(court_day + timedelta(days=self.rng.randint(7, 45)), last)
                convicted = case.charged
                jailed = 1 if position < imprisoned else 0
                self.stage(case, Stage.VERDICT, verdict_day, convicted=convicted, imprisoned=jailed)
                if position < appeals:
                    self.appeal(case, min(verdict_day + timedelta(days=self.rng.randint(3, 30)), last))

    def _counted(self, first: date, last: date) -> tuple[int, int, int, int]:
        events = CaseEvent.objects.filter(case__region=self.region, on__gte=first, on__lte=last)
        to_court = events.filter(kind=EventKind.STAGE, stage=Stage.COURT).count()
        verdicts = events.filter(kind=EventKind.VERDICT).aggregate(n=Count("pk"), jailed=Sum("imprisoned"))
        appeals = events.filter(kind=EventKind.APPEAL, appeal_satisfied=True).count()
        return to_court, verdicts["n"], verdicts["jailed"] or 0, appeals

    # --- acts ----------------------------------------------------------------------------------

    def act(
        self,
        office_code: str,
        day: date,
        *,
        type=SupervisoryAct.Type.SUBMISSION,
        area="",
        matter="",
        violations=0,
        beneficiaries=None,
        officials=(0, 0, 0),
        outcome="satisfied",
        amounts=(),
    ) -> None:
        if day > self.today:
            return
        actor = self.actors.get(office_code) or self.regional
        act = services.act_record(
            actor=actor,
            type=type,
            date=day,
            issuing_office=actor.organisation,
            addressee=None,
            addressee_title="Руководителю государственного органа",
            legal_basis="Закон Республики Казахстан «О прокуратуре»",
            summary="Выявлены нарушения законности; требуется их устранить.",
            language=SupervisoryAct.Language.RU,
            now=self.at(day),
        )
        services.act_results(
            act=act,
            actor=actor,
            area=area,
            business_matter=matter,
            violations=violations,
            beneficiaries=beneficiaries or {},
            now=self.at(day),
        )
        decided = day + timedelta(days=20)
        if outcome and decided <= self.today:
            disciplined, administrative, criminal = officials
            services.act_outcome(
                act=act,
                actor=actor,
                outcome=outcome,
                outcome_at=decided,
                officials_disciplined=disciplined,
                officials_administrative=administrative,
                officials_criminal=criminal,
                now=self.at(decided),
            )
        for heading, amount, extra in amounts:
            services.act_amount(act=act, actor=actor, heading=heading, amount=amount, on=day, now=self.at(day), **extra)

    def acts_of(self, first: date, last: date, scale: float) -> None:
        """The acts of a stretch: the board's figures for 1 January - 30 September 2025 at scale 1."""
        rng = self.rng
        days = (last - first).days

        def day_in(position: int, count: int) -> date:
            return first + timedelta(days=min(days, (position * days) // max(1, count) + rng.randint(0, 5)))

        def n(value: float) -> int:
            return max(0, round(value * scale))

        # Public interests: 120 acts, 1,043 violations, 7,212 citizens, 1,000 officials (1,012 with the
        # business section's 12: "about 1,000"), each decided 20 days after its act, before the document.
        offices = sorted(self.actors)
        count = n(120)
        violations, citizens, officials = (
            _split(n(1043), count, rng),
            _split(n(7212), count, rng),
            _split(n(1000), count, rng),
        )
        assessed, prevented = (
            _split(n(7_900_000_000), count, rng, unit=1000),
            _split(n(3_200_000_000), count, rng, unit=1000),
        )
        for position in range(count):
            day = min(day_in(position, count), last - timedelta(days=21) if scale == 1 else last)
            liability = officials[position]
            self.act(
                offices[position % len(offices)],
                day,
                type=rng.choice((SupervisoryAct.Type.SUBMISSION, SupervisoryAct.Type.PROTEST)),
                area=Area.PUBLIC_INTERESTS,
                violations=violations[position],
                beneficiaries={"citizens": citizens[position]},
                officials=(liability - liability // 3, liability // 3, 0),
                amounts=[(Heading.FINES if position % 2 else Heading.DAMAGE, assessed[position], {"preliminary": True})]
                + ([(Heading.MISUSE_PREVENTED, prevented[position], {})] if prevented[position] else []),
            )
        # Budget: 1.2 billion reimbursed, 1 billion of it to the state budget.
        for position, (reimbursed, state) in enumerate(
            ((n(700_000_000), n(600_000_000)), (n(500_000_000), n(400_000_000)))
        ):
            if reimbursed:
                self.act(
                    "akt-prok-region",
                    day_in(position, 2),
                    area=Area.BUDGET,
                    amounts=[(Heading.REIMBURSED, reimbursed, {}), (Heading.TO_STATE_BUDGET, state, {})],
                )
        # Shared-equity holders: 6 claims satisfied for 285, 3 before the court for 128.
        claims = (
            (50, "satisfied"),
            (48, "satisfied"),
            (47, "satisfied"),
            (45, "satisfied"),
            (50, "satisfied"),
            (45, "satisfied"),
            (44, ""),
            (42, ""),
            (42, ""),
        )
        for position, (holders, outcome) in enumerate(claims):
            if scale == 1 or rng.random() < scale:
                # Filed by the summer: a satisfied claim is decided 20 days later, before the document.
                self.act(
                    "akt-prok-city",
                    day_in(position, 12),
                    type=SupervisoryAct.Type.CLAIM,
                    area=Area.CONSTRUCTION,
                    beneficiaries={"equity_holders": holders},
                    outcome=outcome,
                )
        # 45 orphans housed, 27 investors, tariffs for 17 enterprises, 12 officials for illegal
        # inspections, 35 entrepreneurs freed by the Irgiz district prosecutor.
        self.act("akt-prok-region", day_in(1, 3), area=Area.CHILDREN, beneficiaries={"orphans": n(45)})
        self.act(
            "akt-prok-region",
            day_in(2, 3),
            area=Area.BUSINESS,
            matter=BusinessMatter.INVESTOR,
            beneficiaries={"investors": n(27)},
        )
        self.act(
            "akt-prok-region",
            day_in(0, 3),
            area=Area.BUSINESS,
            matter=BusinessMatter.TARIFF,
            beneficiaries={"entrepreneurs": n(17)},
        )
        self.act(
            "akt-prok-region",
            day_in(1, 3),
            area=Area.BUSINESS,
            matter=BusinessMatter.ILLEGAL_INSPECTION,
            violations=n(12),
            officials=(0, n(12), 0),
        )
        self.act(
            "akt-prok-irgiz",
            day_in(2, 3),
            type=SupervisoryAct.Type.PROTEST,
            area=Area.BUSINESS,
            matter=BusinessMatter.ANNULLED_RULING,
            beneficiaries={"entrepreneurs": n(35)},
        )


def _split(total: int, parts: int, rng: random.Random, unit: int = 1) -> list[int]:
    """`total` in `parts` random non-negative shares (multiples of `unit`, the last one taking the rest)."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(weight * scale) // unit * unit for weight in weights]
    shares[-1] += total - sum(shares)
    return shares


def build_demo_records(*, region: Region, today: date | None = None) -> int:
    """The region's demo cases and acts up to `today` (default: the region's today); the cases made."""
    builder = _Builder(region, today or local_today(region))
    if builder.regional is None or not builder.districts:
        return 0
    builder.notable_cases()
    for stretch in (*STRETCHES, *_live_stretches(builder.today)):
        builder.ordinary_cases(stretch)
    builder.acts_of(date(2024, 1, 1), date(2024, 9, 30), 0.93)
    builder.acts_of(date(2024, 10, 1), date(2024, 12, 31), 0.3)
    builder.acts_of(*NINE_MONTHS, 1)
    builder.acts_of(date(2025, 10, 1), date(2025, 12, 31), 0.3)
    for stretch in _live_stretches(builder.today):
        builder.acts_of(stretch.first, min(stretch.last, builder.today), 0.1)
    return CriminalCase.objects.filter(region=region).count()


def _live_stretches(today: date) -> list[Prosecution]:
    stretches, month = [], date(2026, 1, 1)
    while month <= today:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        stretches.append(Prosecution(month, following - timedelta(days=1), *LIVE_MONTH))
        month = following
    return stretches


def create_demo_records(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if CriminalCase.objects.filter(region=region).exists():
            command.stdout.write(f"Cases of {region.short_code} exist: skipped.")
            continue
        count = build_demo_records(region=region)
        command.stdout.write(f"Demo cases under control of {region.short_code}: {count}, with their acts.")
