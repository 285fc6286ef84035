"""The board's demo (a step of `manage.py demo`): its meetings of 2024, 2025 and the live months up
to today (a board meeting each quarter, half-year, 9 months and year; coordination meetings of the
law-enforcement bodies; the working groups' meetings), the reports heard at them, the directives
they issued followed addressee by addressee in every state, the projects and the two
interdepartmental working groups. Everything is written through board.services, each change
entered on the day it is dated (`now=`), so the history reads as it happened: a directive left
unexecuted is carried to the next meeting of its kind when that meeting is held. A refresh (`demo
--if-empty`, as `make run` does on a later day) goes on from the last change written: the same
yearly plan of meetings, each execution's story chosen by its turn whatever the day.

Calibrated to the board's two documents (../reference/):
- the 16 October 2025 board (1 January - 30 September 2025): "the regional prosecutor issued a
  series of directives to strengthen measures against fraud, drug trafficking, juvenile
  delinquency, and other socially dangerous acts";
- the 27 December 2025 board (the year 2025): "the regional prosecutor gave instructions to city
  district prosecutors to coordinate the activities of all state and law enforcement agencies aimed
  at reducing crime and creating a safe environment";
- "An interdepartmental working group operates under the regional prosecutor's office" (the
  project "<city> — Territory Without Fraud"), and "together with the akimat, an interdepartmental
  working group has been created and two projects are being implemented aimed at protecting the
  rights of children" (November 2025).

Speakers are named by their posts, never by invented persons' names; the chair is the demo
regional prosecutor (accounts.demo). Texts that a reader of any language sees (titles, directives,
projects) are written in kk, ru and en; the minutes' own fields (speakers, topics, agenda) in
Russian, as the office keeps them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from docx import Document

from accounts.models import District, Organisation, Region, User
from accounts.zones import local_today, region_zone
from lib.metrics import Area

from .models import DirectiveEvent, Meeting, MeetingEvent, Project, WorkingGroup
from .services import Refused
from .services.directives import directive_issue, execution_accept, execution_report, execution_return
from .services.meetings import meeting_hold, meeting_plan, meeting_report_add, resolution_issue
from .services.projects import project_create, working_group_create

REGIONAL, SECRETARY, CONTROLLER = "regional", "secretary", "department"
Kind = Meeting.Kind

# --- the projects and working groups -------------------------------------------------------------

WITHOUT_FRAUD, LAW_AND_ORDER, CHILDREN, CHILDREN_FAMILY = (
    "without_fraud",
    "law_and_order",
    "children",
    "children_family",
)

PROJECTS = (
    # code, start, lead, partners, metrics, area, (kk, ru, en) names, (kk, ru, en) descriptions
    (
        WITHOUT_FRAUD,
        date(2024, 2, 1),
        "akt-prok-region",
        ("akt-police-region", "akt-akimat-region", "akt-education-region"),
        ("fraud.accounts.blocked", "fraud.links.blocked", "outreach.brochures", "outreach.meetings"),
        Area.FRAUD,
        # {city}: the name of the region's city in the language (reference data, never a name in code).
        ("«{city} — алаяқтықсыз аумақ»", "«{city} — территория без мошенничества»", "{city} — Territory Without Fraud"),
        (
            "Дропперлердің шоттары мен есірткі дүкендерінің сілтемелерін бұғаттау, халық арасында түсіндіру жұмысы.",
            "Блокирование счетов дропперов и ссылок на наркошопы, разъяснительная работа с населением.",
            "Blocking droppers' accounts and drug shops' links; explanatory work with the population.",
        ),
    ),
    (
        LAW_AND_ORDER,
        date(2024, 3, 1),
        "akt-prok-region",
        ("akt-police-region", "akt-akimat-region", "akt-juvenile-region"),
        ("crime.registered", "drugs.graffiti.destroyed", "outreach.publications"),
        Area.CRIME,
        (
            "«Заң және Тәртіп» тұжырымдамасы бойынша құқықбұзушылықтардың алдын алу",
            "Профилактика правонарушений в рамках Концепции «Закон и Порядок»",
            "“Law and Order” prevention",
        ),
        (
            "Құқықбұзушылықтардың жүйелі профилактикасы: полиция, әкімдіктер және жұртшылықпен бірге.",
            "Системная профилактика правонарушений совместно с полицией, акиматами и общественностью.",
            "Systematic crime prevention with the police, the akimats and the public.",
        ),
    ),
    (
        CHILDREN,
        date(2025, 11, 24),
        "akt-prok-region",
        ("akt-akimat-region", "akt-education-region", "akt-juvenile-region"),
        ("crime.by_minors", "crime.against_minors"),
        Area.CHILDREN,
        ("Қауіпсіз балалық шақ", "Безопасное детство", "A safe childhood"),
        (
            "Әкімдікпен бірлескен жоба: кәмелетке толмағандардың қылмысының және оларға қарсы қылмыстың алдын алу.",
            "Совместный с акиматом проект: профилактика преступлений несовершеннолетних и против них.",
            "A project with the akimat: preventing crimes by minors and against them.",
        ),
    ),
    (
        CHILDREN_FAMILY,
        date(2025, 11, 24),
        "akt-prok-region",
        ("akt-akimat-region", "akt-social-region", "akt-education-region"),
        ("children.orphans_housed",),
        Area.CHILDREN,
        ("Әр балаға — отбасы", "Каждому ребёнку — семью", "A family for every child"),
        (
            "Әкімдікпен бірлескен жоба: жетім балалардың тұрғын үй және отбасылық орналастыру құқықтары.",
            "Совместный с акиматом проект: права детей-сирот на жильё и на устройство в семью.",
            "A project with the akimat: orphans' rights to housing and to a family.",
        ),
    ),
)

FRAUD_GROUP, CHILDREN_GROUP = "fraud", "children"
GROUPS = (
    # key, created on, members, projects, (kk, ru, en) names
    (
        FRAUD_GROUP,
        date(2024, 2, 15),
        ("akt-prok-region", "akt-police-region", "akt-akimat-region", "akt-education-region", "akt-prok-city"),
        (WITHOUT_FRAUD, LAW_AND_ORDER),
        (
            "Алаяқтыққа қарсы ведомствоаралық жұмыс тобы (облыс прокуратурасы жанында)",
            "Межведомственная рабочая группа по противодействию мошенничеству при прокуратуре области",
            "Interdepartmental working group against fraud under the regional prosecutor's office",
        ),
    ),
    (
        CHILDREN_GROUP,
        date(2025, 11, 20),
        (
            "akt-prok-region",
            "akt-akimat-region",
            "akt-education-region",
            "akt-social-region",
            "akt-juvenile-region",
            "akt-police-region",
        ),
        (CHILDREN, CHILDREN_FAMILY),
        (
            "Балалардың құқықтарын қорғау жөніндегі ведомствоаралық жұмыс тобы (әкімдікпен бірлесіп)",
            "Межведомственная рабочая группа по защите прав детей (совместно с акиматом)",
            "Interdepartmental working group on children's rights (with the akimat)",
        ),
    ),
)

# --- the directives -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A directive as the demo issues it: its area, texts, addressees, days to its deadline, the
    project it serves and the metrics it aims to move."""

    area: str
    texts: tuple[str, str, str]
    addressees: tuple[str, ...]
    days: int = 75
    project: str = ""
    metrics: tuple[str, ...] = ()


DISTRICTS = ("akt-prok-alga", "akt-prok-temir", "akt-prok-mugalzhar")
CITY_DISTRICTS = ("akt-prok-almaty", "akt-prok-astana")

FRAUD = Planned(
    Area.FRAUD,
    (
        "Алаяқтыққа қарсы шараларды күшейту: дропперлердің шоттарын бұғаттау туралы сұрау салуларды уақтылы жіберу.",
        "Усилить меры противодействия мошенничеству: своевременно направлять запросы о блокировании счетов дропперов.",
        "Strengthen the measures against fraud: send the requests to block droppers' accounts without delay.",
    ),
    (*DISTRICTS, "akt-prok-city"),
    project=WITHOUT_FRAUD,
    metrics=("fraud.accounts.blocked",),
)
DRUGS = Planned(
    Area.DRUGS,
    (
        "Есірткі бизнесіне қарсы іс-қимылды күшейту: есірткі жарнамасы бар граффитиді жою және сілтемелерді бұғаттау.",
        "Усилить противодействие наркопреступности: уничтожение граффити с рекламой наркотиков, блокирование ссылок.",
        "Strengthen the fight against drug trafficking: destroy the drug graffiti and block the drug shops' links.",
    ),
    ("akt-prok-city", "akt-police-city", "akt-police-alga"),
    metrics=("drugs.graffiti.destroyed", "fraud.links.blocked"),
)
JUVENILE = Planned(
    Area.CHILDREN,
    (
        "Кәмелетке толмағандардың қылмысының алдын алу: мектептер мен колледждерде профилактикалық іс-шаралар өткізу.",
        "Обеспечить профилактику преступности несовершеннолетних: профилактические мероприятия в школах и колледжах.",
        "Prevent juvenile delinquency: preventive work in the schools and colleges.",
    ),
    (*DISTRICTS, "akt-police-city"),
    days=105,
    metrics=("crime.by_minors",),
)
DANGEROUS = Planned(
    Area.CRIME,
    (
        "Қоғамға қауіпті өзге де әрекеттерге қарсы шараларды күшейту, «Заң және Тәртіп» тұжырымдамасын іске асыру.",
        "Усилить меры против иных общественно опасных деяний, реализовать Концепцию «Закон и Порядок».",
        "Strengthen the measures against other socially dangerous acts; carry out the “Law and Order” Concept.",
    ),
    ("akt-prok-city", "akt-police-temir", "akt-police-mugalzhar"),
    days=105,
    project=LAW_AND_ORDER,
    metrics=("crime.registered",),
)
COORDINATE = Planned(
    Area.CRIME,
    (
        "Қылмысты азайтуға және қауіпсіз орта құруға бағытталған барлық мемлекеттік және құқық қорғау органдарының "
        "қызметін үйлестіру.",
        "Координировать деятельность всех государственных и правоохранительных органов, направленную на снижение "
        "преступности и создание безопасной среды.",
        "Coordinate the activities of all state and law enforcement agencies aimed at reducing crime and creating "
        "a safe environment.",
    ),
    CITY_DISTRICTS,
    days=369,
    project=LAW_AND_ORDER,
    metrics=("crime.registered",),
)
CITY_FOCUS = (
    Planned(
        Area.DRUGS,
        (
            "Қала аудандарында есірткі айналымына және алаяқтыққа қарсы күресті күшейту.",
            "Усилить в районах города борьбу с наркопреступностью и мошенничеством.",
            "Step up the fight against drug trafficking and fraud in the city's districts.",
        ),
        CITY_DISTRICTS,
        days=186,
        metrics=("drugs.seized_kg", "fraud.accounts.blocked"),
    ),
    Planned(
        Area.CHILDREN,
        (
            "Кәмелетке толмағандардың қылмысының алдын алу, балалардың құқықтарын қорғау жобаларын әкімдікпен "
            "бірге іске асыру.",
            "Предупреждать преступность несовершеннолетних, реализовать с акиматом проекты по защите прав детей.",
            "Prevent juvenile crime; carry out the children's-rights projects with the akimat.",
        ),
        (*CITY_DISTRICTS, "akt-akimat-region"),
        days=186,
        project=CHILDREN,
        metrics=("crime.by_minors",),
    ),
)
FSM_OVERSIGHT = Planned(
    Area.FSM_SOCIAL,
    (
        "«FSM Social» бойынша полицияның, әкімдіктердің және өзге де уәкілетті органдардың жұмысын қадағалау.",
        "Осуществлять надзор за работой полиции, акиматов и иных уполномоченных органов по сообщениям «FSM Social».",
        "Oversee the work of the police, the akimats and the other authorised bodies on the FSM Social reports.",
    ),
    (*DISTRICTS, "akt-prok-irgiz"),
    days=60,
    metrics=("fsm.reports.overdue",),
)
# Directives of the other boards and meetings, by turns.
ROUTINE = (
    FRAUD,
    Planned(
        Area.BUDGET,
        (
            "Бюджет қаражатының мақсатты жұмсалуын және мемлекеттік сатып алудың заңдылығын қамтамасыз ету.",
            "Обеспечить целевое расходование бюджетных средств и законность государственных закупок.",
            "Ensure the targeted spending of budget funds and the legality of public procurement.",
        ),
        ("akt-prok-alga", "akt-akimat-alga", "akt-prok-city"),
    ),
    Planned(
        Area.BUSINESS,
        (
            "Кәсіпкерлікті қорғау: заңсыз тексерулердің және бизнес қызметіне араласудың жолын кесу.",
            "Защита бизнеса: пресекать незаконные проверки и вмешательство в деятельность предпринимателей.",
            "Protect business: stop illegal inspections and interference in entrepreneurs' work.",
        ),
        ("akt-prok-irgiz", "akt-prok-temir"),
    ),
    DRUGS,
    Planned(
        Area.CONSTRUCTION,
        (
            "Үлескерлердің құқықтарын қорғау, аяқталмаған тұрғын үй құрылысын аяқтауды қадағалау.",
            "Защищать права дольщиков, контролировать завершение проблемного жилищного строительства.",
            "Protect the shared-equity holders; follow the completion of the unfinished housing.",
        ),
        ("akt-prok-city", "akt-akimat-alga"),
        days=120,
    ),
    Planned(
        Area.TAX,
        (
            "Салық төлеуден жалтару фактілерінің алдын алу, жер учаскелерін беру заңдылығын тексеру.",
            "Предупреждать уклонение от уплаты налогов, проверить законность предоставления земельных участков.",
            "Prevent tax evasion; check the legality of the land plots granted.",
        ),
        ("akt-prok-mugalzhar", "akt-prok-alga"),
    ),
    JUVENILE,
)

# --- the meetings ---------------------------------------------------------------------------------

PERIODS = {
    "q1": ("{year} жылғы бірінші тоқсан", "первый квартал {year} года", "the first quarter of {year}"),
    "h1": ("{year} жылғы бірінші жартыжылдық", "первое полугодие {year} года", "the first half of {year}"),
    "m9": ("{year} жылғы 9 ай", "9 месяцев {year} года", "the first 9 months of {year}"),
    "y": ("{year} жыл", "{year} год", "the year {year}"),
}
PERIOD_ENDS = {"q1": (3, 31), "h1": (6, 30), "m9": (9, 30), "y": (12, 31)}


@dataclass(frozen=True)
class PlannedMeeting:
    kind: str
    held_on: date
    period: tuple[date, date]
    titles: tuple[str, str, str]
    directives: tuple[Planned, ...]
    group: str = ""
    speakers: tuple[tuple[str, str, str], ...] = ()  # (post, office code, topic)


def _board(held_on: date, period: str, directives: tuple[Planned, ...], speakers=()) -> PlannedMeeting:
    year = held_on.year if period != "y" or held_on.month == 12 else held_on.year - 1
    names = [pattern.format(year=year) for pattern in PERIODS[period]]
    titles = (
        f"Алқа отырысы: {names[0]} жұмысының қорытындысы",
        f"Коллегия: итоги работы за {names[1]}",
        f"Board meeting: the results of {names[2]}",
    )
    end = date(year, *PERIOD_ENDS[period])
    return PlannedMeeting(Kind.BOARD, held_on, (date(year, 1, 1), end), titles, directives, speakers=speakers)


def _quarter_before(day: date) -> tuple[date, date]:
    end = day.replace(day=1) - timedelta(days=1)
    start = (end.replace(day=1) - timedelta(days=62)).replace(day=1)
    return start, end


def _coordination(held_on: date, directives: tuple[Planned, ...]) -> PlannedMeeting:
    titles = (
        "Құқық қорғау органдары басшыларының үйлестіру кеңесі",
        "Координационное совещание руководителей правоохранительных органов",
        "Coordination meeting of the heads of the law enforcement bodies",
    )
    return PlannedMeeting(Kind.COORDINATION, held_on, _quarter_before(held_on), titles, directives)


def _group_meeting(group: str, held_on: date, directives: tuple[Planned, ...]) -> PlannedMeeting:
    titles = ("Жұмыс тобының отырысы", "Заседание рабочей группы", "Working-group meeting")
    return PlannedMeeting(Kind.WORKING_GROUP, held_on, _quarter_before(held_on), titles, directives, group=group)


# The reports heard at a board meeting: the deputies, city and district prosecutors, heads of departments.
BOARD_SPEAKERS = (
    ("Заместитель прокурора области", "akt-prok-region", "О надзоре за законностью досудебного расследования"),
    ("Заместитель прокурора области", "akt-prok-region", "О защите общественных интересов"),
    ("Прокурор города", "akt-prok-city", "О состоянии законности и правопорядка в городе"),
    ("Прокурор Алгинского района", "akt-prok-alga", "О работе по профилактике правонарушений"),
    (
        "Начальник управления по поддержанию государственного обвинения",
        "akt-prok-region-state-prosecution",
        "О поддержании государственного обвинения",
    ),
    ("Начальник управления по защите прав предпринимателей", "akt-prok-region-business", "О защите бизнеса"),
)
YEAR_2025_SPEAKERS = (
    *BOARD_SPEAKERS[:2],
    ("Прокурор района Алматы", "akt-prok-almaty", "О координации деятельности органов в районе"),
    ("Прокурор района Астана", "akt-prok-astana", "О координации деятельности органов в районе"),
    *BOARD_SPEAKERS[3:],
)
NINE_MONTHS_2025 = (FRAUD, DRUGS, JUVENILE, DANGEROUS)
YEAR_2025 = (COORDINATE, *CITY_FOCUS)
# The children's group's directives (to the akimat and the bodies, with the projects).
CHILDREN_WORK = Planned(
    Area.CHILDREN,
    (
        "Жетім балаларды тұрғын үймен қамтамасыз ету кезегін тексеру, нәтижесін жұмыс тобына ұсыну.",
        "Проверить очередь детей-сирот на получение жилья, результаты представить рабочей группе.",
        "Check the orphans' queue for housing and report the results to the working group.",
    ),
    ("akt-akimat-alga", "akt-prok-alga", "akt-prok-mugalzhar"),
    days=60,
    project=CHILDREN_FAMILY,
    metrics=("children.orphans_housed",),
)


def schedule(until: date) -> list[PlannedMeeting]:
    """Every meeting of the demo up to the year of `until` (from 2026 on, each year alike), in the
    order they were held."""

    def routine(index: int, count: int) -> tuple[Planned, ...]:
        return tuple(ROUTINE[(index + step) % len(ROUTINE)] for step in range(count))

    boards = [
        _board(date(2024, 4, 18), "q1", routine(0, 3)),
        _board(date(2024, 7, 18), "h1", routine(3, 3)),
        _board(date(2024, 10, 17), "m9", routine(6, 3)),
        _board(date(2024, 12, 27), "y", routine(2, 4)),
        _board(date(2025, 4, 17), "q1", routine(1, 3)),
        _board(date(2025, 7, 17), "h1", (FSM_OVERSIGHT, *routine(4, 2))),
        _board(date(2025, 10, 16), "m9", NINE_MONTHS_2025, BOARD_SPEAKERS),
        _board(date(2025, 12, 27), "y", YEAR_2025, YEAR_2025_SPEAKERS),
    ]
    coordination_days = [date(2024, 3, 14), date(2024, 9, 12), date(2025, 2, 20), date(2025, 5, 22), date(2025, 9, 11)]
    fraud_days = [date(2024, 6, 20), date(2024, 11, 21), date(2025, 3, 20), date(2025, 6, 19), date(2025, 9, 18)]
    children_days = [date(2025, 12, 11)]
    for year in range(2026, until.year + 1):
        boards += [
            _board(date(year, 4, 16), "q1", routine(0, 3)),
            _board(date(year, 7, 16), "h1", routine(3, 3)),
            _board(date(year, 10, 15), "m9", routine(5, 3)),
            _board(date(year, 12, 25), "y", routine(2, 4)),
        ]
        coordination_days += [date(year, 2, 19), date(year, 6, 11), date(year, 9, 17)]
        fraud_days += [date(year, 3, 19), date(year, 9, 10)]
        children_days += [date(year, 3, 12), date(year, 6, 18), date(year, 10, 8)]
    coordination = [_coordination(day, routine(index, 2)) for index, day in enumerate(coordination_days)]
    fraud_group = [
        _group_meeting(FRAUD_GROUP, day, (FRAUD,) if index % 2 == 0 else (DRUGS,))
        for index, day in enumerate(fraud_days)
    ]
    children_group = [_group_meeting(CHILDREN_GROUP, day, (CHILDREN_WORK,)) for day in children_days]
    return sorted([*boards, *coordination, *fraud_group, *children_group], key=lambda m: (m.held_on, m.kind))


# --- each addressee's story -------------------------------------------------------------------

ON_TIME, LATE, RETURNED_THEN_ON_TIME, RETURNED_THEN_LATE, SLOW_DECISION, UNEXECUTED = (
    "on_time",
    "late",
    "returned_then_on_time",
    "returned_then_late",
    "slow_decision",
    "unexecuted",
)
# Stories by turns, whatever the day the demo is built (a refresh on a later day goes on with the
# same stories): most executed on time, some late, some returned first, one left unexecuted (overdue
# and carried over). On any day the recent ones are in every open state along the way.
STORIES = (ON_TIME, ON_TIME, LATE, RETURNED_THEN_ON_TIME, UNEXECUTED, ON_TIME, SLOW_DECISION, RETURNED_THEN_LATE)
PROGRESS = "Проведены проверки, материалы направлены в органы; работа продолжается."
DONE = "Поручение исполнено: проведены мероприятия, приняты меры реагирования, справка прилагается."
RETURN_COMMENT = "Не приложены подтверждающие материалы: представьте акты реагирования и их результаты."


def _steps(story: str, issued: datetime, due: datetime) -> list[tuple[datetime, str]]:
    """The dated steps of one addressee's story: progress, report (executed), accept, return."""
    progress = issued + (due - issued) * 0.35
    if story == ON_TIME:
        return [
            (progress, "progress"),
            (due - timedelta(days=4, hours=6), "report"),
            (due + timedelta(days=2), "accept"),
        ]
    if story == LATE:
        late = due + timedelta(days=9)
        return [(progress, "progress"), (late, "report"), (late + timedelta(days=2), "accept")]
    if story == SLOW_DECISION:  # reported in time, decided long after
        return [(progress, "progress"), (due - timedelta(days=6), "report"), (due + timedelta(days=30), "accept")]
    if story in (RETURNED_THEN_ON_TIME, RETURNED_THEN_LATE):
        first = due - timedelta(days=14, hours=6)
        again = first + timedelta(days=10) if story == RETURNED_THEN_ON_TIME else due + timedelta(days=20)
        return [
            (first, "report"),
            (first + timedelta(days=3), "return"),
            (again, "report"),
            (again + timedelta(days=2), "accept"),
        ]
    return [(progress, "progress")]  # UNEXECUTED


def _docx(name: str, *paragraphs: str) -> ContentFile:
    """A Word document of a few paragraphs, as an office sends its report or its evidence."""
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    content = BytesIO()
    document.save(content)
    return ContentFile(content.getvalue(), name=name)


@cache
def _evidence_bytes() -> bytes:
    # One certificate's content for every execution reported (written once: the demo stays quick).
    return _docx("spravka.docx", "Справка об исполнении поручения", DONE).read()


# --- the writer -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, region: Region, today: date, since: datetime | None = None):
        self.region, self.today, self.zone = region, today, region_zone(region)
        self.now = datetime.combine(today, time(9), self.zone)
        # A refresh: what was dated by `since` is written already (the writer goes over it again,
        # finding the records instead of making them, so that the stories fall as they did).
        self.since = since
        self.users = {u.username: u for u in User.objects.filter(username__in=(REGIONAL, SECRETARY, CONTROLLER))}
        self.orgs = Organisation.objects.filter(region=region).in_bulk(field_name="code")
        # An addressee's staff member who answers for it (accounts.demo's users; none: no answer).
        self.staff = {}
        for user in User.objects.filter(organisation__region=region, is_active=True).order_by("pk"):
            if user.organisation is not None and user.username not in (REGIONAL, SECRETARY, CONTROLLER):
                self.staff.setdefault(user.organisation.code, user)
        self.turn = 0
        self.later: list[tuple[datetime, int, Callable]] = []  # the executions' steps, run in date order
        self.projects: dict[str, Project] = {}
        self.groups: dict = {}
        self.written = 0

    def at(self, day: date, hour: int = 11) -> datetime:
        return datetime.combine(day, time(hour), self.zone)

    def run_until(self, moment: datetime) -> None:
        """The executions' steps dated before `moment`, in their order."""
        self.later.sort(key=lambda item: (item[0], item[1]))
        while self.later and self.later[0][0] < moment:
            _, _, step = self.later.pop(0)
            step()

    def city_name(self, language: str) -> str:
        """The region's city (of regional significance): its centre's name in `language`."""
        city = District.objects.filter(region=self.region, kind=District.Kind.CITY).order_by("kato").first()
        return city.localized("centre", language) if city is not None else ""

    def projects_and_groups(self) -> None:
        secretary = self.users[SECRETARY]
        for code, start, lead, partners, metrics, area, names, descriptions in PROJECTS:
            if start > self.today:
                continue
            found = Project.objects.filter(region=self.region, code=code).first()
            if found is not None:
                self.projects[code] = found
                continue
            self.projects[code] = project_create(
                actor=secretary,
                region=self.region,
                code=code,
                lead=self.orgs[lead],
                started_on=start,
                partners=[self.orgs[c] for c in partners],
                metric_codes=metrics,
                area=area,
                **{
                    f"name_{lang}": name.format(city=self.city_name(lang))
                    for lang, name in zip(("kk", "ru", "en"), names, strict=True)
                },
                **dict(zip(("description_kk", "description_ru", "description_en"), descriptions, strict=True)),
                now=self.at(start, 10),
            )
            self.written += 1
        for key, created_on, members, projects, names in GROUPS:
            if created_on > self.today:
                continue
            found = WorkingGroup.objects.filter(region=self.region, created_on=created_on, name_en=names[2]).first()
            if found is not None:
                self.groups[key] = found
                continue
            self.groups[key] = working_group_create(
                actor=secretary,
                region=self.region,
                lead=self.orgs["akt-prok-region"],
                members=[self.orgs[c] for c in members],
                created_on=created_on,
                projects=[self.projects[p] for p in projects if p in self.projects],
                **{
                    f"name_{lang}": name.format(city=self.city_name(lang))
                    for lang, name in zip(("kk", "ru", "en"), names, strict=True)
                },
                now=self.at(created_on, 15),
            )
            self.written += 1

    def meeting(self, planned: PlannedMeeting) -> None:
        planned_on = planned.held_on - timedelta(days=21)
        if planned_on > self.today or (planned.group and planned.group not in self.groups):
            return
        self.run_until(self.at(planned_on))
        keeper, regional = self.users[SECRETARY], self.users[REGIONAL]
        issuer = regional if planned.kind == Kind.BOARD else keeper
        held = self.at(planned.held_on, 10)
        meeting = Meeting.objects.filter(
            region=self.region, kind=planned.kind, held_on=planned.held_on, working_group=self.groups.get(planned.group)
        ).first()
        if meeting is not None and meeting.status == Meeting.Status.HELD:
            # Held before a refresh: its directives' stories go on.
            for directive in meeting.directives.order_by("number"):
                self.follow(directive, directive.issued_at)
            return
        meeting = meeting or self.plan(planned, planned_on)
        if held > self.now:
            return  # planned, not held yet
        self.run_until(held)
        for post, code, topic in planned.speakers or BOARD_SPEAKERS[:3]:
            # A board's reports come with their text; the other meetings' are heard without.
            upload = _docx("doklad.docx", post, topic) if planned.kind == Kind.BOARD else None
            meeting_report_add(
                actor=keeper,
                meeting=meeting,
                speaker=post,
                topic=topic,
                office=self.orgs[code],
                upload=upload,
                now=held,
            )
        meeting_hold(actor=keeper, meeting=meeting, now=held + timedelta(hours=3))
        for directive in planned.directives:
            self.directive(meeting, directive, issuer, held + timedelta(hours=4))
        if planned.directives and planned.kind == Kind.BOARD:
            on = planned.held_on + timedelta(days=1)
            resolution_issue(actor=keeper, meeting=meeting, on=on, now=self.at(on, 12))
        self.written += 1

    def plan(self, planned: PlannedMeeting, planned_on: date) -> Meeting:
        keeper, chair = self.users[SECRETARY], self.users[REGIONAL].get_full_name()
        self.written += 1
        return meeting_plan(
            actor=keeper,
            region=self.region,
            kind=planned.kind,
            held_on=planned.held_on,
            period_start=planned.period[0],
            period_end=planned.period[1],
            chair=chair,
            participants="Заместители прокурора области, прокуроры городов и районов, начальники управлений; "
            "руководители территориальных органов (по приглашению).",
            agenda="1. " + planned.titles[1] + ".\n2. О ходе исполнения ранее данных поручений.",
            title_kk=planned.titles[0],
            title_ru=planned.titles[1],
            title_en=planned.titles[2],
            working_group=self.groups.get(planned.group),
            now=self.at(planned_on, 16),
        )

    def directive(self, meeting: Meeting, planned: Planned, issuer, issued: datetime) -> None:
        deadline = meeting.held_on + timedelta(days=planned.days)
        directive = directive_issue(
            actor=issuer,
            meeting=meeting,
            area=planned.area,
            deadline=deadline,
            addressees=[self.orgs[code] for code in planned.addressees],
            controller=self.users[CONTROLLER] if meeting.kind != Kind.BOARD else self.users[REGIONAL],
            text_kk=planned.texts[0],
            text_ru=planned.texts[1],
            text_en=planned.texts[2],
            project=self.projects.get(planned.project),
            metric_codes=planned.metrics,
            now=issued,
        )
        self.written += 1
        self.follow(directive, issued)

    def follow(self, directive, issued: datetime) -> None:
        """Each addressee's story, its steps to be run in date order (one with no demo staff to
        answer stays issued, and overdue once its deadline passes)."""
        for addressee in directive.addressees.select_related("organisation").order_by("pk"):
            actor = self.staff.get(addressee.organisation.code)
            if actor is None:
                continue
            story = STORIES[self.turn % len(STORIES)]
            self.turn += 1
            for moment, step in _steps(story, issued, addressee.deadline_at):
                if self.since is None or moment > self.since:  # a refresh: the steps not written yet
                    self.later.append((moment, addressee.pk, self._step(step, addressee, actor, directive, moment)))

    def _step(self, step: str, addressee, actor, directive, moment: datetime) -> Callable:
        controller = directive.controller

        def run() -> None:
            try:
                with transaction.atomic():
                    write()
            except (Refused, PermissionDenied):
                pass  # changed by hand on the demo's pages since: its story stops here

        def write() -> None:
            if step == "progress":
                execution_report(actor=actor, addressee=addressee, text=PROGRESS, now=moment)
            elif step == "report":
                evidence = ContentFile(_evidence_bytes(), name="spravka.docx")
                execution_report(actor=actor, addressee=addressee, text=DONE, final=True, files=[evidence], now=moment)
            elif step == "accept":
                execution_accept(actor=controller, addressee=addressee, now=moment)
            else:
                execution_return(actor=controller, addressee=addressee, comment=RETURN_COMMENT, now=moment)

        return run


def _write(writer: _Writer) -> int:
    if len(writer.users) < 3:
        return 0  # no demo regional prosecutor, secretary and controller (accounts.demo)
    writer.projects_and_groups()
    for planned in schedule(writer.today):
        writer.meeting(planned)
    writer.run_until(writer.now)
    return writer.written


@transaction.atomic
def build_demo_board(*, region: Region, today: date | None = None) -> int:
    """The region's demo projects, working groups, meetings and directives up to `today` (default:
    the region's today); the records written (0 where the demo was built before)."""
    if Meeting.objects.filter(region=region).exists():
        return 0  # built before: refresh_demo_board goes on from there
    return _write(_Writer(region, today or local_today(region)))


def _last_written(region: Region) -> datetime | None:
    """The moment of the last change the demo wrote (the scheduler's reminders and notices left
    out: they are dated when they run)."""
    written = DirectiveEvent.objects.filter(directive__region=region).exclude(
        kind__in=(DirectiveEvent.Kind.REMINDED, DirectiveEvent.Kind.OVERDUE)
    )
    moments = [
        written.aggregate(last=Max("at"))["last"],
        MeetingEvent.objects.filter(meeting__region=region).aggregate(last=Max("at"))["last"],
    ]
    return max((moment for moment in moments if moment is not None), default=None)


@transaction.atomic
def refresh_board_region(*, region: Region, today: date | None = None) -> int:
    """The days since the demo was built, up to `today`: the meetings planned and held since,
    their directives, and each execution's steps dated since (a story changed by hand on the
    demo's pages stops there); the records written."""
    since = _last_written(region)
    if since is None:
        return 0  # no demo board here: left alone
    return _write(_Writer(region, today or local_today(region), since=since))


def _regions():
    return Region.objects.filter(districts__isnull=False).distinct()


def create_demo_board(command) -> None:
    for region in _regions():
        written = build_demo_board(region=region)
        if written:
            command.stdout.write(f"Demo board of {region.short_code}: {written} meetings, directives and projects.")
        else:
            command.stdout.write(f"Board meetings of {region.short_code} exist (or no demo keepers): skipped.")


def refresh_demo_board(command) -> None:
    for region in _regions():
        if Meeting.objects.filter(region=region).exists():
            written = refresh_board_region(region=region)
            command.stdout.write(f"Demo board of {region.short_code} brought up to today: {written} records.")
