"""Both reference documents (../reference/) come out of Tartip's records: the demo built through
the apps' own demo steps, the summary of 1 January - 30 September 2025 as of 16 October 2025 and the
summary of 2025 as of 27 December 2025 computed by reporting, their texts written in kk, ru and en.
Each figure of the documents is looked for in the three texts (the same number, the same hedge) and
recomputed with plain SQL on the tables. docs/board.md lists every sentence of both documents beside
the metric or record it comes from.

The demo is the costliest part (about a minute and a half): one test reads it all, so that it is
built once even where the tests are spread over several workers (pytest-xdist gives each worker
its own module-scoped fixtures). A figure that fails is named with every other one that fails."""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from accounts.demo import create_demo_users
from accounts.models import Region
from board.demo import build_demo_board, create_demo_board
from lib.metrics import Unit
from registry.demo.blocking import build_demo_blocking
from registry.demo.graffiti import build_demo_graffiti
from registry.demo.outreach import build_demo_outreach
from reporting.catalogue import sync
from reporting.demo import read_demo_records
from reporting.figures import Request, compute, quotes
from reporting.numbers import hedge
from reporting.sentences import narrative
from signals.demo.builder import DEMO_END, DEMO_REPORTS_PER_REGION, DEMO_SEED, DEMO_START, bulk_build_reports
from supervision.crime_demo import build_demo_crime
from supervision.models import CRIME_CATEGORIES
from supervision.project_demo import build_demo_projects
from supervision.record_demo import build_demo_records
from supervision.tests.test_submissions import make_catalogue

AKTOBE = ZoneInfo("Asia/Aqtobe")
LANGUAGES = ("kk", "ru", "en")


def local(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AKTOBE)


@dataclass
class Document:
    summary: object
    texts: dict  # language -> the whole text, paragraphs and quotes


def _document(region, start, end, as_of) -> Document:
    request = Request.make(region=region, start=start, end=end, as_of=as_of)
    summary = compute(request)
    texts = {}
    for language in LANGUAGES:
        paragraphs = narrative(summary.figures, language, quotes=quotes(request, language))
        texts[language] = "\n".join(
            " ".join([f"[{p.title}]", *p.sentences, *(quote["text"] for quote in p.quotes)]) for p in paragraphs
        )
    return Document(summary, texts)


@pytest.fixture
def documents(db, settings, tmp_path):
    """The demo as the documents need it, and the two summaries with their texts."""
    settings.MEDIA_ROOT = tmp_path  # the board's reports and evidence, the graffiti's photos
    timings = {}

    def step(name, function, *args, **kwargs):
        started = time.monotonic()
        result = function(*args, **kwargs)
        timings[name] = round(time.monotonic() - started, 1)
        return result

    make_catalogue()
    sync()
    create_demo_users(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    region = Region.objects.get(kato="150000000")
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 1, 5)):
        step("crime", build_demo_crime, region=region, scale=1)
    step(
        "reports",
        bulk_build_reports,
        region=region,
        count=DEMO_REPORTS_PER_REGION,
        seed=DEMO_SEED,
        start=DEMO_START,
        end=DEMO_END,
        now=timezone.now(),
        live_until_now=True,
    )
    step("graffiti", build_demo_graffiti, region=region)
    # What only the 9-month document reads is built up to its day; the year's reads crime (above,
    # to 2026) and the board.
    step("records", build_demo_records, region=region, today=date(2025, 10, 16))
    step("projects", build_demo_projects, region=region, today=date(2025, 10, 16))
    step("outreach", build_demo_outreach, region=region, now=local(2025, 10, 16))
    step("blocking", build_demo_blocking, region=region, now=local(2025, 10, 16))
    step("board", build_demo_board, region=region, today=date(2025, 12, 28))
    read_demo_records()
    nine = step("nine", _document, region, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    year = step("year", _document, region, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 27))
    print("the demo's steps, seconds:", timings)  # shown with -s: where the test's time goes
    return {"nine": nine, "year": year, "region": region}


# --- the figures, as each document gives them --------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """A figure of a document: its metric, the value the text gives (hedged by the metric's rule:
    `hedging` and the number said) and the words around it in each language."""

    code: str
    hedging: str
    number: object
    kk: str
    ru: str
    en: str


NINE_MONTHS = (
    Said(
        "crime.registered",
        "change",
        "-3.8",
        "саны 3,8% төмендеді",
        "снизилось на 3,8 %",
        "Registered crimes fell by 3.8%",
    ),
    Said(
        "crime.registered.particularly_grave",
        "change",
        "-61.0",
        "аса ауыр қылмыстар — 61% төмендеді",
        "особо тяжких — снижение на 61 %",
        "particularly grave crimes fell by 61%",
    ),
    Said(
        "crime.registered.medium",
        "change",
        "-8.6",
        "орташа қылмыстар — 8,6% төмендеді",
        "средней тяжести — снижение на 8,6 %",
        "crimes of medium gravity fell by 8.6%",
    ),
    Said(
        "crime.registered.minor",
        "change",
        "-1.6",
        "онша ауыр емес қылмыстар — 1,6% төмендеді",
        "небольшой тяжести — снижение на 1,6 %",
        "minor crimes fell by 1.6%",
    ),
    Said("prosecution.cases_in_court", "exact", 973, "973 іс бойынша", "направлено 973 дела", "supported in 973 cases"),
    Said("prosecution.verdicts", "exact", 824, "824 үкім", "вынесено 824 приговора", "824 verdicts"),
    Said(
        "prosecution.imprisoned", "exact", 410, "410 адам", "осуждено 410 лиц", "410 persons sentenced to imprisonment"
    ),
    Said(
        "prosecution.appeals_satisfied",
        "exact",
        36,
        "36 апелляциялық өтінішхат",
        "удовлетворено 36 ходатайств",
        "36 appellate petitions satisfied",
    ),
    Said(
        "outreach.brochures",
        "more_than",
        25000,
        "25 000-нан астам буклет",
        "более 25 000 брошюр",
        "More than 25,000 brochures",
    ),
    Said(
        "outreach.publications",
        "over",
        1000,
        "1 000-нан артық жарияланым",
        "свыше 1 000 публикаций",
        "Over 1,000 publications made on social media",
    ),
    Said(
        "outreach.meetings",
        "exact",
        1500,
        "1 500 кездесу",
        "1 500 встреч с населением",
        "1,500 meetings organized with the population",
    ),
    Said(
        "outreach.billboards",
        "exact",
        127,
        "127 ақпараттық баннер",
        "баннеров: 127",
        "127 informational billboards installed",
    ),
    Said(
        "drugs.labs_liquidated",
        "exact",
        2,
        "2 есірткі зертханасы жойылды",
        "Ликвидировано 2 лаборатории",
        "2 drug laboratories liquidated",
    ),
    Said(
        "drugs.seized_kg",
        "more_than",
        76,
        "76 кг-нан астам синтетикалық есірткі",
        "более 76 кг синтетических наркотиков",
        "more than 76 kg of synthetic drugs seized",
    ),
    Said(
        "fraud.accounts.blocked",
        "more_than",
        1000,
        "«дропперлердің» 1 000-нан астам шот",
        "более 1 000 счетов «дропперов»",
        "more than 1,000 “dropper” accounts",
    ),
    Said(
        "fraud.accounts.blocked.amount",
        "exact",
        59487350,
        "59,5 млн теңге",
        "на общую сумму 59,5 млн тенге",
        "totalling 59.5 million tenge",
    ),
    Said(
        "fraud.links.blocked",
        "exact",
        1400,
        "1 400 сілтеме",
        "1 400 ссылок на наркошопы",
        "1,400 links to drug stores have been blocked",
    ),
    Said(
        "drugs.graffiti.destroyed",
        "over",
        300,
        "300-ден артық граффити жойылды",
        "Уничтожено свыше 300 граффити",
        "Over 300 drug advertisements (graffiti) destroyed",
    ),
    Said(
        "public_interests.violations",
        "more_than",
        1000,
        "1 000-нан астам заң бұзушылық",
        "более 1 000 нарушений закона",
        "more than 1,000 violations of law",
    ),
    Said(
        "public_interests.citizens_restored",
        "over",
        7000,
        "7 000-нан артық азамат",
        "права граждан (свыше 7 000)",
        "the rights of over 7,000 citizens restored",
    ),
    Said(
        "public_interests.officials_held_accountable",
        "about",
        1000,
        "шамамен 1 000 лауазымды адам",
        "привлечено около 1 000 лиц",
        "about 1,000 officials held accountable",
    ),
    Said(
        "public_interests.assessed",
        "about",
        8000000000,
        "шамамен 8 млрд теңге",
        "около 8 млрд тенге",
        "about 8 billion tenge",
    ),
    Said(
        "budget.misuse_prevented",
        "more_than",
        3000000000,
        "3 млрд теңгеден астам",
        "на более 3 млрд тенге",
        "more than 3 billion tenge",
    ),
    Said(
        "budget.reimbursed",
        "exact",
        1200000000,
        "1,2 млрд теңге өтелді",
        "возмещено 1,2 млрд тенге",
        "1.2 billion tenge reimbursed",
    ),
    Said(
        "budget.to_state_budget",
        "exact",
        1000000000,
        "мемлекеттік бюджетке 1 млрд теңге",
        "в государственный бюджет 1 млрд тенге",
        "of which 1 billion tenge to the state budget",
    ),
    Said(
        "corruption.initiated_convicted",
        "exact",
        5,
        "5 іс бойынша кінәлілер сотталды",
        "5 дел завершено осуждением",
        "5 cases ended in conviction",
    ),
    Said(
        "corruption.initiated_under_investigation",
        "exact",
        16,
        "16 іс тергелуде",
        "16 дел расследуется",
        "16 cases remain under investigation",
    ),
    Said(
        "construction.claims_satisfied",
        "exact",
        6,
        "6 талап қанағаттандырылды",
        "удовлетворено 6 исков",
        "6 claims were satisfied",
    ),
    Said("construction.holders_satisfied", "exact", 285, "(285 адам)", "(дольщиков: 285)", "(285 holders)"),
    Said(
        "construction.claims_in_court",
        "exact",
        3,
        "3 талап сотта қаралуда",
        "суда 3 иска",
        "3 claims are before the court",
    ),
    Said("construction.holders_in_court", "exact", 128, "(128 адам)", "(дольщиков: 128)", "(128 holders)"),
    Said(
        "children.orphans_housed",
        "exact",
        45,
        "Жетім балаларға 45 пәтер",
        "Детям-сиротам предоставлено 45 квартир",
        "45 apartments given to orphans",
    ),
    Said(
        "business.projects_supervised",
        "exact",
        110,
        "110 инвестициялық жоба",
        "110 проектов инвестиционной сферы",
        "oversees 110 investment projects",
    ),
    Said(
        "business.investors_protected",
        "exact",
        27,
        "құқығы қорғалды (27)",
        "права инвесторов (27)",
        "The rights of 27 investors",
    ),
    Said(
        "business.tariff_enterprises",
        "exact",
        17,
        "17 кәсіпорын",
        "для предприятий (17)",
        "tariffs reduced for 17 enterprises",
    ),
    Said(
        "business.inspection_officials",
        "exact",
        12,
        "тексерістер үшін 12 лауазымды адам",
        "привлечено 12 лиц",
        "12 officials held liable for illegal inspections",
    ),
    Said("business.entrepreneurs_freed", "exact", 35, "35 кәсіпкер", "35 предпринимателей", "35 entrepreneurs freed"),
    Said(
        "returned_assets.facilities",
        "exact",
        12,
        "12 әлеуметтік нысан",
        "12 объектов социального назначения",
        "12 social facilities",
    ),
    Said(
        "returned_assets.facilities_completed",
        "exact",
        4,
        "оның ішінде 4 нысан",
        "из них завершено — 4",
        "4 of them completed",
    ),
    Said(
        "board.working_groups",
        "exact",
        1,
        "1 ведомствоаралық жұмыс тобы",
        "при прокуратуре области, — 1",
        "1 interdepartmental working group in operation under the regional prosecutor's office",
    ),
)
# The high-profile cases, quoted from their approved highlights (their numbers the cases').
NINE_MONTHS += (
    Said(
        "prosecution.high_profile_verdicts",
        "exact",
        4,
        "Қопа ауылында кәмелетке толмағандарды өлтіру",
        "убийстве несовершеннолетних в селе Копа",
        "the murder of minors in Kopa village",
    ),
    Said(
        "prosecution.high_profile_verdicts",
        "exact",
        4,
        "Мал базар ауданында",
        "в районе Мал базар",
        "The murder of a minor in the Mal Bazar district",
    ),
    Said(
        "prosecution.high_profile_verdicts",
        "exact",
        4,
        "«Ту-Ха» компаниясынан 6 млрд теңге ұрлау",
        "хищении 6 млрд тенге у компании «Ту-Ха»",
        "The theft of 6 billion tenge from the Tu-Kha company",
    ),
    Said(
        "prosecution.high_profile_verdicts",
        "exact",
        4,
        "Басановты заңсыз ұстау",
        "незаконном лишении свободы Басанова",
        "illegal detention of Basanov",
    ),
)
# Figures of the document the summary computes but its text does not say in a sentence of its own.
NINE_MONTHS_FIGURES = {
    "prosecution.high_profile_verdicts": 4,
    "fraud.dropper_cases": 2,
    "drugs.special_cases_to_court": 2,
    "drugs.special_in_custody": 7,
}
YEAR = (
    Said("crime.registered", "change", "-7.0", "саны 7% төмендеді", "снизилось на 7 %", "Registered crimes fell by 7%"),
    Said(
        "drugs.labs_liquidated",
        "exact",
        2,
        "2 есірткі зертханасы жойылды",
        "Ликвидировано 2 лаборатории",
        "2 drug laboratories liquidated",
    ),
    # The year's document writes "76 kg"; Tartip keeps the metric's rule: "more than 76 kg" (docs/board.md).
    Said(
        "drugs.seized_kg",
        "more_than",
        76,
        "76 кг-нан астам синтетикалық есірткі",
        "более 76 кг синтетических наркотиков",
        "more than 76 kg of synthetic drugs seized",
    ),
    Said(
        "board.working_groups",
        "exact",
        2,
        "2 ведомствоаралық жұмыс тобы",
        "при прокуратуре области, — 2",
        "2 interdepartmental working groups in operation under the regional prosecutor's office",
    ),
)
YEAR += (
    Said(
        "board.projects_children",
        "exact",
        2,
        "Балалардың құқықтарын қорғауға бағытталған 2 жоба",
        "направленных на защиту прав детей, — 2",
        "2 projects aimed at protecting the rights of children being implemented",
    ),
)
YEAR_FIGURES = {"drugs.shops_liquidated": 1}


def plain(text: str) -> str:
    """The text with its no-break spaces (grouping, units) read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _figures(figure) -> int | None:
    """The leading figures a weight keeps when hedged (reporting.phrases: "more than 76 kg" for 76.4)."""
    return len(str(int(figure.value))) if figure.unit == Unit.KG and figure.value < 100 else None


def said_problems(document: Document, said: Said) -> list[str]:
    """What the summary does not say as the document does: its value, its hedge, its words."""
    figure = document.summary.figure(said.code)
    if said.hedging == "change":
        given = figure.change_percent == Decimal(said.number)
    elif said.hedging == "exact":
        given = figure.value == said.number
    else:
        hedged = hedge(figure.value, figure.hedging, _figures(figure))
        given = (figure.hedging, hedged.kind, hedged.value) == (said.hedging, said.hedging, said.number)
    problems = [] if given else [f"{said.code}: {figure.value} ({figure.hedging}, {figure.change_percent})"]
    return problems + [
        f"{said.code} in {language}: {getattr(said, language)!r}"
        for language in LANGUAGES
        if plain(getattr(said, language)) not in plain(document.texts[language])
    ]


# --- the same figures from the tables, in plain SQL -------------------------------------------------

NINE = (date(2025, 1, 1), date(2025, 9, 30))
NINE_BASE = (date(2024, 1, 1), date(2024, 9, 30))
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def known_by(day: date) -> datetime:
    """The "as of" moment: the end of the day, in the region's zone."""
    return datetime(day.year, day.month, day.day, tzinfo=AKTOBE) + timedelta(days=1)


def one(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        value = cursor.fetchone()[0]
    return value or 0


def crimes(period, as_of: date, gravities) -> int:
    marks = ", ".join(["%s"] * len(gravities))
    return one(
        "SELECT COUNT(*) FROM supervision_crimerecord WHERE registered_on BETWEEN %s AND %s AND recorded_at < %s "
        f"AND replaced_at IS NULL AND gravity IN ({marks})",
        *period,
        known_by(as_of),
        *gravities,
    )


def crime_change(period, base, as_of: date, base_as_of: date, gravities) -> Decimal:
    current, before = crimes(period, as_of, gravities), crimes(base, base_as_of, gravities)
    return (Decimal(current - before) * 100 / before).quantize(Decimal("0.1"))


def case_events(where: str, column: str = "COUNT(*)", as_of=date(2025, 10, 16), period=NINE) -> int:
    return one(
        f"SELECT {column} FROM supervision_caseevent e JOIN supervision_criminalcase c ON c.id = e.case_id "
        f'WHERE e."on" BETWEEN %s AND %s AND e.at < %s AND {where}',
        *period,
        known_by(as_of),
    )


def cases(where: str, column: str = "COUNT(*)", period=NINE, as_of=date(2025, 10, 16)) -> int:
    return one(
        f"SELECT {column} FROM supervision_criminalcase WHERE registered_on BETWEEN %s AND %s AND recorded_at < %s "
        f"AND {where}",
        *period,
        known_by(as_of),
    )


def outreach(kind: str) -> int:
    return one(
        "SELECT SUM(count) FROM registry_outreach WHERE kind = %s AND day BETWEEN %s AND %s AND recorded_at < %s",
        kind,
        *NINE,
        known_by(date(2025, 10, 16)),
    )


def blocked(kinds: tuple, column: str = "COUNT(*)") -> int:
    return one(
        f"SELECT {column} FROM registry_blockingevent e JOIN registry_blockingitem i ON i.id = e.item_id "
        "JOIN registry_indicator x ON x.id = i.indicator_id WHERE e.kind = 'blocked' AND e.day BETWEEN %s AND %s "
        "AND e.at < %s AND x.kind IN (%s, %s)",
        *NINE,
        known_by(date(2025, 10, 16)),
        *kinds,
    )


def acts(column: str, where: str = "1 = 1") -> int:
    """A sum over the acts dated in the nine months and recorded by 16 October 2025."""
    return one(
        f"SELECT {column} FROM supervision_supervisoryact WHERE date BETWEEN %s AND %s AND created_at < %s AND {where}",
        *NINE,
        known_by(date(2025, 10, 16)),
    )


DECIDED = "outcome <> 'pending' AND outcome_at <= '2025-10-16'"
OFFICIALS = f"SUM(CASE WHEN {DECIDED} THEN officials_disciplined + officials_administrative + officials_criminal END)"


def amounts(*headings: str) -> Decimal:
    marks = ", ".join(["%s"] * len(headings))
    return Decimal(
        one(
            f'SELECT SUM(amount) FROM supervision_actamount WHERE heading IN ({marks}) AND "on" BETWEEN %s AND %s '
            "AND at < %s",
            *headings,
            *NINE,
            known_by(date(2025, 10, 16)),
        )
    )


def nine_months_sql() -> dict:
    """Each figure of the 9-month document from the tables."""
    as_of = date(2025, 10, 16)
    categories = [str(gravity) for gravity in CRIME_CATEGORIES]
    special = "c.investigating_body = 'special_prosecutors' AND c.drugs"
    return {
        "crime.registered": crime_change(NINE, NINE_BASE, as_of, date(2024, 10, 16), categories),
        **{
            f"crime.registered.{gravity}": crime_change(NINE, NINE_BASE, as_of, date(2024, 10, 16), [gravity])
            for gravity in ("particularly_grave", "medium", "minor")
        },
        "prosecution.cases_in_court": case_events("e.kind = 'stage' AND e.stage = 'court'"),
        "prosecution.verdicts": case_events("e.kind = 'verdict'"),
        "prosecution.imprisoned": case_events("e.kind = 'verdict'", "SUM(e.imprisoned)"),
        "prosecution.appeals_satisfied": case_events("e.kind = 'appeal' AND e.appeal_satisfied"),
        "prosecution.high_profile_verdicts": case_events("e.kind = 'verdict' AND c.high_profile"),
        "drugs.labs_liquidated": cases("drug_lab"),
        "drugs.seized_kg": grams(case_events("e.kind = 'amounts' AND e.kg_added > 0", "SUM(e.kg_added)")),
        "drugs.special_cases_to_court": case_events(f"e.kind = 'stage' AND e.stage = 'court' AND {special}"),
        # A stock: the cases' rows as they stand (the demo was built up to 16 October 2025).
        "drugs.special_in_custody": one(
            f"SELECT SUM(in_custody) FROM supervision_criminalcase c WHERE stage IN ('pretrial', 'court') AND {special}"
        ),
        "fraud.dropper_cases": cases("dropper_article <> ''"),
        **{f"outreach.{kind}": outreach(kind) for kind in ("brochures", "publications", "meetings", "billboards")},
        "fraud.accounts.blocked": blocked(("iban", "card")),
        "fraud.accounts.blocked.amount": Decimal(blocked(("iban", "card"), "SUM(e.amount)")),
        "fraud.links.blocked": blocked(("website", "telegram")),
        "drugs.graffiti.destroyed": one(
            "SELECT COUNT(*) FROM registry_graffitievent WHERE kind = 'destroyed' AND at >= %s AND at < %s "
            "AND (until IS NULL OR until > %s)",
            known_by(date(2024, 12, 31)),
            known_by(date(2025, 9, 30)),
            known_by(as_of),
        ),
        "public_interests.violations": acts("SUM(violations)"),
        "public_interests.citizens_restored": acts("SUM(citizens)", "beneficiaries_counted_by_id IS NULL"),
        "public_interests.officials_held_accountable": acts(OFFICIALS, "area NOT IN ('', 'fsm_social')"),
        "public_interests.assessed": amounts("damage", "fines"),
        "budget.misuse_prevented": amounts("misuse_prevented"),
        "budget.reimbursed": amounts("reimbursed"),
        "budget.to_state_budget": amounts("to_state_budget"),
        "corruption.initiated_convicted": cases(
            "initiated_by_prosecutor AND stage = 'verdict'", period=(date(2024, 1, 1), date(2025, 9, 30))
        ),
        "corruption.initiated_under_investigation": cases(
            "initiated_by_prosecutor AND stage = 'pretrial'", period=(date(2024, 1, 1), date(2025, 9, 30))
        ),
        "construction.claims_satisfied": acts(
            "COUNT(*)", f"type = 'claim' AND area = 'construction' AND {DECIDED} AND outcome IN ('satisfied', 'partly')"
        ),
        "construction.holders_satisfied": acts(
            "SUM(equity_holders)",
            f"type = 'claim' AND area = 'construction' AND {DECIDED} AND outcome IN ('satisfied', 'partly')",
        ),
        "construction.claims_in_court": acts(
            "COUNT(*)", f"type = 'claim' AND area = 'construction' AND NOT ({DECIDED})"
        ),
        "construction.holders_in_court": acts(
            "SUM(equity_holders)", f"type = 'claim' AND area = 'construction' AND NOT ({DECIDED})"
        ),
        "children.orphans_housed": acts("SUM(orphans)"),
        "business.investors_protected": acts("SUM(investors)"),
        "business.tariff_enterprises": acts("SUM(entrepreneurs)", "business_matter = 'tariff'"),
        "business.inspection_officials": acts(OFFICIALS, "business_matter = 'illegal_inspection'"),
        "business.entrepreneurs_freed": acts("SUM(entrepreneurs)", "business_matter = 'annulled_ruling'"),
        "returned_assets.facilities": one(
            "SELECT COUNT(*) FROM supervision_socialfacility WHERE recorded_at < %s", known_by(as_of)
        ),
        "returned_assets.facilities_completed": one(
            "SELECT COUNT(*) FROM supervision_socialfacility WHERE completed_on <= %s AND recorded_at < %s",
            as_of,
            known_by(as_of),
        ),
        "board.working_groups": working_groups(as_of),
    }


def working_groups(as_of: date) -> int:
    return one(
        "SELECT COUNT(*) FROM board_workinggroup WHERE created_on <= %s AND created_at < %s "
        "AND (dissolved_on IS NULL OR dissolved_on > %s)",
        as_of,
        known_by(as_of),
        as_of,
    )


def grams(value) -> Decimal:
    """A weight to the gram (SQLite sums the kilograms as a float)."""
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _value(figure):
    if figure.code.startswith("crime.registered"):
        return figure.change_percent
    return grams(figure.value) if figure.unit == Unit.KG else figure.value


# --- the tests --------------------------------------------------------------------------------------


def test_both_documents_come_out_of_the_records_in_kk_ru_and_en(documents):
    """Every figure of both documents in the three texts, as the documents give them; each the
    tables' figure; the facts behind the sentences without a figure in the records."""
    said = [problem for said in NINE_MONTHS for problem in said_problems(documents["nine"], said)]
    said += [problem for said in YEAR for problem in said_problems(documents["year"], said)]
    assert not said
    nine_month_figures_are_the_tables_figures(documents)
    year_figures_are_the_tables_figures(documents)
    the_documents_boards_are_records_with_their_directives(documents)
    the_demo_holds_directives_in_every_state_and_runs_once(documents)


def nine_month_figures_are_the_tables_figures(documents):
    summary = documents["nine"].summary
    for code, value in NINE_MONTHS_FIGURES.items():
        assert summary.figure(code).value == value, code
    dropper = summary.figure("fraud.dropper_cases")
    assert {part.key: part.value for part in dropper.by["stage"] if part.value} == {"verdict": 1, "court": 1}
    wrong = {
        code: (_value(summary.figure(code)), value)
        for code, value in nine_months_sql().items()
        if _value(summary.figure(code)) != value
    }
    assert not wrong


def year_sql() -> dict:
    as_of = date(2025, 12, 27)
    categories = [str(gravity) for gravity in CRIME_CATEGORIES]
    return {
        "crime.registered": crime_change(
            YEAR_2025, (date(2024, 1, 1), date(2024, 12, 31)), as_of, date(2024, 12, 27), categories
        ),
        "drugs.labs_liquidated": cases("drug_lab", period=YEAR_2025, as_of=as_of),
        "drugs.shops_liquidated": cases("drug_shop", period=YEAR_2025, as_of=as_of),
        "drugs.seized_kg": grams(
            case_events("e.kind = 'amounts' AND e.kg_added > 0", "SUM(e.kg_added)", as_of=as_of, period=YEAR_2025)
        ),
        "board.working_groups": working_groups(as_of),
        "board.projects_children": one(
            "SELECT COUNT(*) FROM board_project WHERE area = 'children' AND started_on <= %s AND created_at < %s "
            "AND (ended_on IS NULL OR ended_on >= %s)",
            as_of,
            known_by(as_of),
            as_of,
        ),
    }


def year_figures_are_the_tables_figures(documents):
    summary = documents["year"].summary
    for code, value in YEAR_FIGURES.items():
        assert summary.figure(code).value == value, code
    wrong = {
        code: (_value(summary.figure(code)), value)
        for code, value in year_sql().items()
        if _value(summary.figure(code)) != value
    }
    assert not wrong


def rows(sql: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def the_documents_boards_are_records_with_their_directives(documents):
    """The facts behind the documents' sentences without a figure: the boards held on 16 October and
    27 December 2025, what they directed and to whom, the projects and the working groups."""
    directives = """SELECT d.area, o.code FROM board_directive d JOIN board_meeting m ON m.id = d.meeting_id
        JOIN board_directiveaddressee a ON a.directive_id = d.id
        JOIN accounts_organisation o ON o.id = a.organisation_id
        WHERE m.kind = 'board' AND m.status = 'held' AND m.held_on = %s AND m.period_start = %s
        AND m.period_end = %s"""
    october = rows(directives, date(2025, 10, 16), date(2025, 1, 1), date(2025, 9, 30))
    # "...directives to strengthen measures against fraud, drug trafficking, juvenile delinquency, and
    # other socially dangerous acts".
    assert {area for area, _ in october} == {"fraud", "drugs", "children", "crime"}
    december = rows(directives, date(2025, 12, 27), date(2025, 1, 1), date(2025, 12, 31))
    # "...instructions to city district prosecutors to coordinate the activities of all state and law
    # enforcement agencies": the first directive, to the Almaty and Astana district prosecutors.
    first = rows(
        "SELECT d.text_en, o.code FROM board_directive d JOIN board_meeting m ON m.id = d.meeting_id "
        "JOIN board_directiveaddressee a ON a.directive_id = d.id "
        "JOIN accounts_organisation o ON o.id = a.organisation_id WHERE m.held_on = %s AND d.number = 1",
        date(2025, 12, 27),
    )
    assert {code for _, code in first} == {"akt-prok-almaty", "akt-prok-astana"}
    assert all(
        "coordinate the activities of all state and law enforcement agencies" in text.lower() for text, _ in first
    )
    # "...city district prosecutors are focused on ... combating drug trafficking and fraud, and
    # preventing juvenile crime".
    assert {area for area, code in december if code in ("akt-prok-almaty", "akt-prok-astana")} >= {
        "crime",
        "drugs",
        "children",
    }
    # "District prosecutors have been instructed to oversee the work of the police, akimats, and other
    # authorized bodies" (FSM Social): a directive of a board before 16 October 2025.
    assert rows(
        "SELECT COUNT(*) FROM board_directive d JOIN board_meeting m ON m.id = d.meeting_id "
        "WHERE d.area = 'fsm_social' AND m.held_on < %s",
        date(2025, 10, 16),
    )[0][0]
    # The reports heard on 27 December: deputies, city (district) and district prosecutors, heads of departments.
    heard = rows(
        "SELECT r.speaker FROM board_meetingreport r JOIN board_meeting m ON m.id = r.meeting_id WHERE m.held_on = %s",
        date(2025, 12, 27),
    )
    speakers = " ".join(speaker for (speaker,) in heard)
    assert "Заместитель прокурора области" in speakers and "района Алматы" in speakers and "Начальник" in speakers
    # "The project 'Aktobe — Territory Without Fraud' is being implemented": under way on 16 October 2025.
    nine = documents["nine"].summary
    assert {part.key: part.value for part in nine.figure("board.projects_under_way").by["area"]}.get("fraud") == 1
    assert (
        rows(
            "SELECT COUNT(*) FROM board_project WHERE name_en = 'Aktobe — Territory Without Fraud' "
            "AND started_on <= %s",
            date(2025, 10, 16),
        )[0][0]
        == 1
    )
    # The working group under the regional office (9 months) and the one created with the akimat (the year).
    groups = rows(
        "SELECT g.created_on, o.code FROM board_workinggroup g "
        "JOIN board_workinggroup_members m ON m.workinggroup_id = g.id "
        "JOIN accounts_organisation o ON o.id = m.organisation_id ORDER BY g.created_on"
    )
    assert {code for on, code in groups if on >= date(2025, 10, 17)} >= {"akt-akimat-region", "akt-prok-region"}


def the_demo_holds_directives_in_every_state_and_runs_once(documents):
    """Built up to 28 December 2025: executions issued, in progress, reported, returned, executed on
    time and late, overdue and carried over; the demo step run again writes nothing (test_demo.py
    finds every state on a day of the live months)."""
    statuses = {status for (status,) in rows("SELECT DISTINCT status FROM board_directiveaddressee")}
    assert statuses >= {"issued", "in_progress", "reported", "executed"}
    # Returned with a comment (on 28 December 2025 all of those were reported again since).
    assert rows("SELECT COUNT(*) FROM board_directiveevent WHERE kind = 'returned'")[0][0]
    timed = "SELECT COUNT(*) FROM board_directiveaddressee WHERE status = 'executed' AND executed_at {} deadline_at"
    assert rows(timed.format("<="))[0][0] and rows(timed.format(">"))[0][0]
    overdue = "SELECT COUNT(*) FROM board_directiveaddressee WHERE status <> 'executed' AND deadline_at < %s"
    assert rows(overdue, local(2025, 12, 28))[0][0]
    assert rows("SELECT COUNT(*) FROM board_directive_carried_to")[0][0]
    counts = "SELECT (SELECT COUNT(*) FROM board_meeting), (SELECT COUNT(*) FROM board_directiveevent)"
    before = rows(counts)
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    create_demo_board(command)
    assert "skipped" in command.stdout.getvalue() and rows(counts) == before
