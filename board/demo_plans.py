"""What the board's demo holds (board.demo writes it): its projects and working groups, the
directives each meeting issues, the yearly plan of meetings with the reports heard, and the story
each addressee's execution follows (on time, late, returned, unexecuted...). Plain data and the
small functions that lay it out; nothing here writes. Texts a reader of any language sees are in
kk, ru and en; the minutes' own fields in Russian, as the office keeps them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from io import BytesIO

from django.core.files.base import ContentFile
from docx import Document

from lib.metrics import Area

from .models import Meeting

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


def story_steps(story: str, issued: datetime, due: datetime) -> list[tuple[datetime, str]]:
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


def docx_file(name: str, *paragraphs: str) -> ContentFile:
    """A Word document of a few paragraphs, as an office sends its report or its evidence."""
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    content = BytesIO()
    document.save(content)
    return ContentFile(content.getvalue(), name=name)


@cache
def evidence_bytes() -> bytes:
    # One certificate's content for every execution reported (written once: the demo stays quick).
    return docx_file("spravka.docx", "Справка об исполнении поручения", DONE).read()
