"""Demo reports: two years (January 2024 to December 2025) of offence reports, built in bulk.

`create_demo_reports(command)` is a step of the `demo` command. `bulk_build_reports()` is the
builder it uses, also used by `bench/intake.py` to fill a database with 100,000 stored reports.

The builder does not call `report_submit` once per row: it plans every report in Python (district,
category, channel, status, the times of each step, the deadline by the real working calendar),
then writes reports, contacts and events with `bulk_create` in batches. Everything comes from one
`random.Random(seed)`, so a run with the same seed and reference data builds the same reports.
Nothing here is real: descriptions come from a few templates per kind of offence, reporters are
"Demo Reporter N", phone numbers and links are made up, and tracking tokens are thrown away (only
random hashes are stored, so no demo report can be tracked).
"""

from __future__ import annotations

import bisect
import calendar as month_calendar
import hashlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.calendar import working_calendar
from accounts.models import District, Organisation, Region, User
from signals.deadlines import compute_deadline, extend_deadline, working_days_ago
from signals.models import (
    Answer,
    Category,
    ExtensionRequest,
    Forward,
    ReferenceCounter,
    Report,
    ReporterContact,
    ReportEvent,
    ReportSupporter,
)
from signals.references import format_reference
from signals.routing import find_body
from signals.policy import transition_for

DEMO_SEED = 20240101
# Reports per region; the demo's volumes are shaped like a real region (see DISTRICT_WEIGHT).
DEMO_REPORTS_PER_REGION = 8000
DEMO_START = date(2024, 1, 1)
DEMO_END = date(2025, 12, 31)
BATCH_SIZE = 2000
# Marks the "submitted" event of every demo report, so a second run can tell they exist.
DEMO_MARK = "demo"

Status = Report.Status
Kind = ReportEvent.Kind
Channel = Report.Channel


# --- What a region's reports look like ------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A kind of offence: how it is recognised among the categories, how often it is reported,
    and a few description templates in Kazakh and Russian."""

    name: str
    keywords: tuple[str, ...]
    weight: float
    kk: tuple[str, ...]
    ru: tuple[str, ...]
    answers_kk: tuple[str, ...] = ()
    answers_ru: tuple[str, ...] = ()


# The drug and fraud kinds dominate, as in the board's results ("1,400 links to drug stores
# blocked", "over 300 drug advertisements (graffiti) destroyed", "more than 1,000 dropper accounts").
THEMES = (
    Theme(
        "drug_online",
        ("drug-ad", "drug-online", "drug-link", "drug-shop", "online-drug", "drug-sale", "drugs-online"),
        26,
        (
            "Telegram-да {handle} арнасы есірткіні «закладка» әдісімен сатады, сілтеме: {url}. Бұғаттауды сұраймын.",
            "{url} сайтында синтетикалық есірткіні қала бойынша жеткізу жарнамаланады.",
            "Instagram-да есірткі дүкеніне сілтемесі бар хабарлама келді: {url}",
            "WhatsApp топтарына «жұмыс бар, күніне 30 000 теңге» деген жарнама таратылады, "
            "сілтеме {url} есірткі дүкеніне апарады.",
        ),
        (
            "В Telegram канал {handle} продаёт наркотики «закладками», ссылка: {url}. Прошу заблокировать.",
            "На сайте {url} рекламируют синтетические наркотики с доставкой по городу.",
            "Пришла рассылка в Instagram со ссылкой на магазин наркотиков: {url}",
            "В чатах WhatsApp распространяют объявление «работа курьером, 30 000 тенге в день», "
            "ссылка {url} ведёт в наркошоп.",
        ),
        (
            "Сілтеме бұғаттауға жіберілді, ресурс Ақпарат министрлігі арқылы шектелді.",
            "Ақпарат полицияға берілді, арна бұғатталды.",
        ),
        (
            "Ссылка направлена на блокировку, ресурс ограничен через Министерство информации.",
            "Информация передана в полицию, канал заблокирован.",
        ),
    ),
    Theme(
        "drug_graffiti",
        ("graffiti", "drug-wall", "stencil"),
        16,
        (
            "{street} мекенжайындағы үйдің қабырғасына Telegram-дағы {handle} никі бар есірткі жарнамасы салынған.",
            "{street} аялдамасында есірткі жарнамасы бар трафарет жазу бар, {handle} көрсетілген.",
            "Мектеп қоршауында ({street}) есірткі дүкенінің граффити-жарнамасы бар, жазу жаңа.",
            "{street} мекенжайындағы гараждарда «соль, мефедрон» деген жазулар мен {handle} никі бар.",
        ),
        (
            "На стене дома по {street} нарисована реклама наркотиков с ником в Telegram {handle}.",
            "На остановке на {street} трафаретная надпись с рекламой «соли», указан {handle}.",
            "На заборе школы ({street}) граффити с рекламой наркошопа, надпись свежая.",
            "На гаражах по {street} надписи «соль, меф» и ник {handle}.",
        ),
        ("Жазу бояумен жабылды, аумақ тексерілді.", "Граффити жойылды, ақпарат полицияға берілді."),
        ("Надпись закрашена, территория осмотрена.", "Граффити уничтожено, информация передана в полицию."),
    ),
    Theme(
        "drug_place",
        ("drug-place", "drug-dealing", "dealing", "drug-spot", "stash"),
        6,
        (
            "{street} мекенжайындағы үйдің ауласында кешке күдікті адамдар жиналады, гүлзарлардан «закладка» іздейді.",
            "{street} мекенжайындағы үйдің подъезінде бейтаныс адамдар үнемі жүреді, шприцтер табылды.",
            "{street} маңындағы саябақта жастар жерді қазып, бірдеңе іздейді, есірткі болуы мүмкін.",
        ),
        (
            "Во дворе дома на {street} по вечерам собираются подозрительные люди, ищут «закладки» в клумбах.",
            "В подъезде дома на {street} постоянно ходят незнакомые люди, находили шприцы.",
            "В сквере у {street} молодые люди раскапывают землю и что-то ищут, похоже на закладки.",
        ),
    ),
    Theme(
        "drug_lab",
        ("laboratory", "drug-lab", "lab"),
        1,
        (
            "{street} мекенжайындағы жеке үйден үнемі өткір химиялық иіс шығады, түнде канистрлер әкеледі.",
            "Ауыл шетіндегі бос фермада ({street}) түнде жарық жанып, химиялық заттардың иісі шығады.",
        ),
        (
            "Из частного дома на {street} постоянно резкий химический запах, по ночам привозят канистры.",
            "На заброшенной ферме за посёлком ({street}) по ночам горит свет и пахнет химией.",
        ),
    ),
    Theme(
        "fraud",
        ("fraud", "scam", "phone-fraud", "online-fraud"),
        17,
        (
            "{phone} нөмірінен қоңырау шалып, банктің қауіпсіздік қызметіміз деп, SMS-тегі кодты сұрады.",
            "WhatsApp-та туысқанымның атынан {phone} нөмірінен {amount} теңге аударуды сұрады.",
            "OLX-та сатушы {amount} теңге алдын ала төлем алып, хабарсыз кетті, телефоны {phone}.",
            "Полиция қызметкеріміз деп {phone} нөмірінен хабарласып, «қауіпсіз шотқа» ақша аударуды талап етті.",
        ),
        (
            "Позвонили с номера {phone}, представились службой безопасности банка и просили назвать код из SMS.",
            "В WhatsApp от имени родственника с номера {phone} просили перевести {amount} тенге.",
            "Продавец на OLX взял предоплату {amount} тенге и пропал, телефон {phone}.",
            "С номера {phone} звонили якобы из полиции и требовали перевести деньги на «безопасный счёт».",
        ),
        ("Нөмір бұғаттауға жіберілді, ҚР ҚК бойынша сотқа дейінгі тергеп-тексеру басталды.",),
        ("Номер направлен на блокировку, начато досудебное расследование по ст. 190 УК РК.",),
    ),
    Theme(
        "dropper",
        ("dropper", "money-mule", "card-rent", "mule"),
        8,
        (
            "Студенттер чатында {handle} апталық 20 000 теңгеге «картаны жалға беруді» ұсынады.",
            "Таныс адамға ақы үшін өз атына банк шотын ашып, деректерін беруді ұсынған, байланыс {phone}.",
            "Колледж студенттеріне Kaspi картасын {amount} теңгеге сатып алуды ұсынады, жазған: {handle}.",
        ),
        (
            "В студенческом чате {handle} предлагает «сдать карту в аренду» за 20 000 тенге в неделю.",
            "Знакомому предложили открыть на себя банковский счёт и передать данные за вознаграждение, "
            "контакт {phone}.",
            "Студентам колледжа предлагают продать карту Kaspi за {amount} тенге, пишет {handle}.",
        ),
        ("Ақпарат банкке және Ұлттық банктің антифрод орталығына жіберілді, шот бұғатталды.",),
        ("Сведения направлены в банк и антифрод-центр Национального банка, счёт заблокирован.",),
    ),
    Theme(
        "gambling",
        ("gambling", "casino", "betting"),
        4,
        (
            "{street} мекенжайындағы үй-жайда ойын автоматтары бар заңсыз ойын клубы жұмыс істейді.",
            "Instagram-да лицензиясыз онлайн-казино жарнамаланады, сілтеме {url}.",
        ),
        (
            "В помещении на {street} работает подпольный игровой клуб с автоматами.",
            "В Instagram рекламируют онлайн-казино без лицензии, ссылка {url}.",
        ),
    ),
    Theme(
        "child",
        ("child", "minor", "neglect", "juvenile"),
        3,
        (
            "Шамамен 7 жастағы бала кешке {street} мекенжайындағы үй жанында жалғыз жүреді, ата-анасы жиі мас.",
            "{street} мекенжайындағы мектептің жанында жасөспірімдер ішімдік ішеді.",
        ),
        (
            "Ребёнок лет семи поздно вечером один гуляет у дома на {street}, родители часто пьяные.",
            "У школы на {street} подростки распивают спиртное.",
        ),
    ),
    Theme(
        "domestic",
        ("domestic", "family-violence", "violence"),
        3,
        (
            "{street} мекенжайындағы көршілер түнде жиі ұрсысады, әйелдің айқайы мен соққы дыбыстары естіледі.",
            "Көршім күйеуінің ұрып-соғатынын айтты, бірақ өзі арыз беруге қорқады ({street}).",
        ),
        (
            "Соседи на {street} почти каждую ночь ругаются, слышны крики женщины и удары.",
            "Соседка рассказала, что муж её избивает, но сама заявлять боится ({street}).",
        ),
    ),
    Theme(
        "public_order",
        ("public-order", "order", "hooligan", "noise"),
        6,
        (
            "{street} мекенжайындағы аулада түнде шулы топ ішімдік ішіп, орындықтарды сындырады.",
            "Түнде {street} мекенжайында көлік жүргізушілері жарыс ұйымдастырады.",
        ),
        (
            "Во дворе на {street} по ночам шумная компания распивает спиртное и ломает лавочки.",
            "Ночью на {street} водители устраивают гонки.",
        ),
    ),
    Theme(
        "construction",
        ("construction", "land", "building"),
        2,
        (
            "{street} мекенжайында рұқсатсыз құрылыс жүргізіп, тротуардың бір бөлігін басып алды.",
            "{street} маңындағы жасыл аймақта рұқсатсыз гараждар салынуда.",
        ),
        (
            "На {street} без разрешения строят пристройку и заняли часть тротуара.",
            "В зелёной зоне у {street} самовольно ставят гаражи.",
        ),
    ),
    Theme(
        "environment",
        ("environment", "ecolog", "waste", "pollution"),
        2,
        (
            "{street} маңында қоқыс төгіп, өртейді, рұқсатсыз қоқыс үйіндісі өсіп жатыр.",
            "Өзен жағасына ({street}) кәсіпорын ағынды суды төгеді, балық өліп жатыр.",
        ),
        (
            "У {street} вывозят и сжигают мусор, стихийная свалка растёт.",
            "В реку у {street} сливают стоки предприятия, гибнет рыба.",
        ),
    ),
    Theme(
        "business",
        ("entrepreneur", "business", "inspection"),
        1,
        (
            "{street} мекенжайындағы дүкеніме хабарламасыз және тағайындау актісінсіз тексеру келді.",
            "Кафеме ({street}) бір айда үшінші рет жоспардан тыс тексеру келді.",
        ),
        (
            "В мой магазин на {street} пришли с проверкой без уведомления и акта о назначении.",
            "В моё кафе на {street} за месяц третий раз приходят с внеплановой проверкой.",
        ),
    ),
    Theme(
        "corruption",
        ("corruption", "bribe"),
        2,
        (
            "Құжаттарды тез рәсімдеу үшін мемлекеттік мекеме қызметкері {amount} теңге талап етті.",
            "Жер учаскесін беру үшін ақша сұрады, байланыс нөмірі {phone}.",
        ),
        (
            "За ускоренное оформление документов сотрудник госучреждения потребовал {amount} тенге.",
            "За выделение земельного участка просили деньги, телефон {phone}.",
        ),
    ),
    Theme(
        "other",
        ("other",),
        3,
        (
            "{street} мекенжайындағы дүкенде кәмелетке толмағандарға алкоголь мен темекі сатады.",
            "{street} мекенжайында иесіз иттер балаларға шабуыл жасайды, шара қолдануды сұраймын.",
        ),
        (
            "В магазине на {street} продают алкоголь и сигареты несовершеннолетним.",
            "На {street} бродячие собаки нападают на детей, прошу принять меры.",
        ),
    ),
)
THEME_BY_NAME = {theme.name: theme for theme in THEMES}

ENDINGS_KK = ("", "", " Шара қолдануды сұраймын.", " Фото қоса беріп отырмын.", " Жауап беруіңізді сұраймын.")
ENDINGS_RU = ("", "", " Прошу принять меры.", " Фото прилагаю.", " Прошу дать ответ.", " Это продолжается уже месяц.")
ANSWERS_KK = (
    "Тексеру жүргізілді, фактілер расталды, кінәлі тұлға әкімшілік жауапкершілікке тартылды.",
    "Материал тіркелді, тексеру жүргізілуде, нәтижесі туралы хабарланады.",
    "Оқиға орнына полиция қызметкерлері барды, профилактикалық әңгіме жүргізілді.",
)
ANSWERS_RU = (
    "Проведена проверка, факты подтвердились, виновное лицо привлечено к административной ответственности.",
    "Материал зарегистрирован, проводится проверка, о результатах будет сообщено.",
    "На место выезжали сотрудники полиции, проведена профилактическая беседа.",
)
FORWARD_REASONS_KK = (
    "Мәселе әкімдіктің құзыретіне жатады (абаттандыру).",
    "Оқиға басқа аудан аумағында болған.",
)
FORWARD_REASONS_RU = (
    "Вопрос относится к компетенции акимата (благоустройство).",
    "Событие произошло на территории другого района.",
    "Требуется проверка полицией: признаки правонарушения.",
)
EXTENSION_REASONS_KK = ("Сараптама нәтижесі күтілуде.", "Куәгерлерден жауап алу қажет.")
EXTENSION_REASONS_RU = (
    "Ожидается заключение экспертизы.",
    "Необходимо опросить свидетелей, находящихся в отъезде.",
    "Направлен запрос в банк второго уровня, ответ не получен.",
)
ANSWER_RESULTS = (
    Answer.Result.CONFIRMED_CRIMINAL,
    Answer.Result.CONFIRMED_ADMINISTRATIVE,
    Answer.Result.CONFIRMED_OTHER,
    Answer.Result.NOT_CONFIRMED,
)
ANSWER_RESULT_WEIGHTS = (12, 33, 25, 30)
MEASURES_BY_RESULT = {
    Answer.Result.CONFIRMED_CRIMINAL: (Answer.Measure.PRETRIAL, Answer.Measure.LINK_BLOCKING),
    Answer.Result.CONFIRMED_ADMINISTRATIVE: (Answer.Measure.ADMIN_PROTOCOL, Answer.Measure.WARNING),
    Answer.Result.CONFIRMED_OTHER: (Answer.Measure.GRAFFITI_REMOVED, Answer.Measure.PREVENTIVE_TALK),
    Answer.Result.NOT_CONFIRMED: (Answer.Measure.PREVENTIVE_TALK,),
}
REOPEN_REASONS = (
    "Граффити снова на том же месте.",
    "Ничего не изменилось, продают по-прежнему.",
    "Жарнама әлі де сол жерде.",
)
REJECTION_REASONS = (
    "Не является правонарушением: сведения не подтвердились.",
    "Вне компетенции: направлено по подведомственности.",
    "Недостаточно сведений для проверки (нет адреса, ссылки или номера).",
    "Құқық бұзушылық емес: мәліметтер расталмады.",
)
RETURN_REASONS = (
    "Ответ не содержит сведений о принятых мерах.",
    "Не указан результат проверки по ссылке.",
    "Жауапта қабылданған шаралар көрсетілмеген.",
)
STREETS_KK = (
    "Абай көшесі",
    "Тәуелсіздік көшесі",
    "Бейбітшілік көшесі",
    "Достық көшесі",
    "Жеңіс көшесі",
    "Әйтеке би көшесі",
    "Жамбыл көшесі",
)
STREETS_RU = (
    "ул. Абая",
    "ул. Тауелсиздик",
    "ул. Мира",
    "ул. Достык",
    "ул. Победы",
    "ул. Айтеке би",
    "ул. Жамбыла",
)
CITY_STREETS_KK = (
    "Әбілқайыр хан даңғылы",
    "Санкибай батыр даңғылы",
    "Маресьев көшесі",
    "Бөкенбай батыр көшесі",
    "Алтынсарин көшесі",
    "Есет батыр көшесі",
    "Ағайынды Жұбановтар көшесі",
    "Сәтпаев көшесі",
)
CITY_STREETS_RU = (
    "пр. Абулхаир хана",
    "пр. Санкибай батыра",
    "ул. Маресьева",
    "ул. Бокенбай батыра",
    "ул. Алтынсарина",
    "ул. Есет батыра",
    "ул. Братьев Жубановых",
    "ул. Сатпаева",
)

# Values for required free-text extra fields, by attribute code.
REQUIRED_TEXT = {
    "inspecting_body": ("Департамент санитарно-эпидемиологического контроля", "Департамент государственных доходов"),
}

CHANNEL_WEIGHTS = {
    Channel.WEB: 52,
    Channel.HOTLINE: 17,
    Channel.RECEPTION: 9,
    Channel.API: 10,
    Channel.OPEN311: 6,
    Channel.OTHER: 6,
}
# Population stands for the volume of reports; a unit whose population is unknown counts as a
# small district. The city's reports are mostly placed in its two city districts.
UNKNOWN_POPULATION = 20000
CITY_SHARE_IN_CITY_DISTRICTS = 0.85
# Jitter around a district's centre, in degrees.
JITTER_CITY = 0.035
JITTER_DISTRICT = 0.02


def theme_of(category: Category) -> Theme:
    """The theme whose keywords best match the category's code (or English name)."""
    text = f"{category.code} {category.name_en}".lower().replace("_", "-")
    best, best_length = THEME_BY_NAME["other"], 0
    for theme in THEMES:
        for keyword in theme.keywords:
            if keyword in text and len(keyword) > best_length:
                best, best_length = theme, len(keyword)
    return best


# --- Geometry ---------------------------------------------------------------------------------


def _rings(geometry: dict | None) -> list[list[list[float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _inside(lon: float, lat: float, rings: list) -> bool:
    """Ray casting: is the point inside any of the rings?"""
    for ring in rings:
        inside = False
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False


@dataclass
class Place:
    """Where reports of one district are put."""

    district: District
    weight: float
    centre: tuple[float, float] | None  # (lat, lon)
    rings: list
    jitter: float
    town_kk: str
    town_ru: str
    streets_kk: tuple[str, ...]
    streets_ru: tuple[str, ...]
    prosecutor_id: int | None = None

    def point(self, rng: random.Random) -> tuple[Decimal, Decimal] | None:
        if self.centre is None:
            return None
        lat0, lon0 = self.centre
        for _attempt in range(12):
            lat = lat0 + rng.uniform(-self.jitter, self.jitter)
            lon = lon0 + rng.uniform(-self.jitter, self.jitter) * 1.5
            if not self.rings or _inside(lon, lat, self.rings):
                break
        else:
            lat, lon = lat0, lon0
        return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _places(region: Region) -> list[Place]:
    districts = list(District.objects.filter(region=region).select_related("parent"))
    by_id = {d.id: d for d in districts}
    children = {}
    for d in districts:
        if d.parent_id:
            children.setdefault(d.parent_id, []).append(d)
    places = []
    for d in districts:
        city = by_id.get(d.parent_id) if d.parent_id else None
        shape_owner = d if d.boundary or d.centre_lat is not None else (city or d)
        population = d.population or (city.population if city else None) or UNKNOWN_POPULATION
        if d.kind == District.Kind.CITY and children.get(d.id):
            weight = population * (1 - CITY_SHARE_IN_CITY_DISTRICTS)
        elif city is not None:
            weight = (city.population or UNKNOWN_POPULATION) * CITY_SHARE_IN_CITY_DISTRICTS / len(children[city.id])
        else:
            weight = population
        is_city = d.kind != District.Kind.DISTRICT
        centre = (
            (float(shape_owner.centre_lat), float(shape_owner.centre_lon))
            if shape_owner.centre_lat is not None and shape_owner.centre_lon is not None
            else None
        )
        town = city or d
        places.append(
            Place(
                district=d,
                weight=weight,
                centre=centre,
                rings=_rings(shape_owner.boundary),
                jitter=JITTER_CITY if is_city else JITTER_DISTRICT,
                town_kk=town.centre_kk or town.centre_ru or town.name_kk or town.name_ru,
                town_ru=town.centre_ru or town.name_ru or town.name_en,
                streets_kk=CITY_STREETS_KK if is_city else STREETS_KK,
                streets_ru=CITY_STREETS_RU if is_city else STREETS_RU,
            )
        )
    return places


# --- Routing and deadlines, as the services would do them --------------------------------------


class Routes:
    """The body for each (category, district), by the routing service's own lookup
    (signals.routing.find_body), asked once per pair: a region has a few hundred pairs."""

    def __init__(self, region: Region):
        self.region = region
        self._cache: dict = {}

    def body_id(self, category: Category, district: District | None) -> int | None:
        key = (category.id, district.id if district else None)
        if key not in self._cache:
            body = find_body(region=self.region, category=category, district=district)
            self._cache[key] = body.id if body else None
        return self._cache[key]


class Deadlines:
    """Deadlines by signals.deadlines.compute_deadline, memoised per category and local day for
    business-day deadlines (the only inputs they depend on), so 100,000 reports cost a few
    thousand calendar computations."""

    def __init__(self):
        self.calendar = working_calendar()
        self._days: dict = {}

    def deadline(self, category: Category, start: datetime) -> datetime:
        if category.deadline_hours:
            return compute_deadline(category, start, self.calendar)
        key = (category.deadline_days, timezone.localdate(start))
        if key not in self._days:
            self._days[key] = compute_deadline(category, start, self.calendar)
        return self._days[key]


# --- The builder ------------------------------------------------------------------------------


@dataclass
class BuildResult:
    reports: int = 0
    events: int = 0
    contacts: int = 0
    answers: int = 0
    forwards: int = 0
    extensions: int = 0
    supporters: int = 0
    by_status: dict = field(default_factory=dict)


def demo_reports_exist(region: Region | None = None) -> bool:
    events = ReportEvent.objects.filter(kind=Kind.SUBMITTED, **{f"data__{DEMO_MARK}": True})
    if region is not None:
        events = events.filter(report__region=region)
    return events.exists()


def create_demo_reports(command) -> None:
    """Demo step: two years of reports in every region that has districts and categories."""
    if not Category.objects.filter(is_active=True).exists():
        command.stderr.write(command.style.WARNING("Skipped demo reports: no categories (run load_reference)."))
        return
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if demo_reports_exist(region):
            command.stdout.write(f"Demo reports of {region.short_code} exist: skipped.")
            continue
        started = timezone.now()
        result = bulk_build_reports(region=region, count=DEMO_REPORTS_PER_REGION, seed=DEMO_SEED)
        seconds = (timezone.now() - started).total_seconds()
        command.stdout.write(
            f"Demo reports of {region.short_code}: {result.reports} reports, {result.events} events, "
            f"{result.contacts} contacts, {result.answers} answers, {result.forwards} forwards, "
            f"{result.extensions} extensions, {result.supporters} supporters in {seconds:.1f} s."
        )


def _submission_times(rng: random.Random, count: int, start: date, end: date) -> list[datetime]:
    """Sorted submission moments: more in later months (the application is being rolled out),
    fewer on Sundays, mostly in the daytime (local time)."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    weights = list(itertools.accumulate(1.0 + 0.05 * index for index in range(len(months))))
    hours = list(range(24))
    hour_weights = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 13, 14, 14, 13, 12, 11, 10, 8, 6, 4, 2]
    hour_cumulative = list(itertools.accumulate(hour_weights))
    moments = []
    while len(moments) < count:
        year, month = months[bisect.bisect(weights, rng.random() * weights[-1])]
        first = max(date(year, month, 1), start)
        last = min(date(year, month, month_calendar.monthrange(year, month)[1]), end)
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        if day.weekday() == 6 and rng.random() < 0.4:
            continue
        hour = hours[bisect.bisect(hour_cumulative, rng.random() * hour_cumulative[-1])]
        local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        moments.append(timezone.make_aware(local))
    moments.sort()
    return moments


def _final_status(rng: random.Random, age_days: float) -> str:
    """The status a report has reached, by how long ago (before the end of the period) it came in."""
    if age_days < 7:
        table = ((Status.NEW, 15), (Status.ROUTED, 30), (Status.ACCEPTED, 25), (Status.ANSWERED, 15))
        table += ((Status.RETURNED, 3), (Status.REJECTED, 6), (Status.DUPLICATE, 6))
    elif age_days < 45:
        table = ((Status.NEW, 3), (Status.ROUTED, 6), (Status.ACCEPTED, 14), (Status.ANSWERED, 22))
        table += ((Status.RETURNED, 6), (Status.RESOLVED, 25), (Status.CLOSED, 12), (Status.REOPENED, 1.5))
        table += ((Status.REJECTED, 7), (Status.DUPLICATE, 5))
    else:
        table = ((Status.NEW, 0.3), (Status.ROUTED, 0.5), (Status.ACCEPTED, 0.7), (Status.ANSWERED, 1))
        table += ((Status.RETURNED, 0.5), (Status.RESOLVED, 8), (Status.CLOSED, 75))
        table += ((Status.REJECTED, 8), (Status.DUPLICATE, 6))
    statuses, weights = zip(*table, strict=True)
    return rng.choices(statuses, weights)[0]


def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


def _fill(rng: random.Random, template: str, street: str) -> str:
    handle = f"@{_pick(rng, ('shop', 'snow', 'kristall', 'city', 'moon', 'cloud', 'fast'))}_{rng.randrange(10, 999)}"
    values = {
        "street": street,
        "handle": handle,
        "url": f"https://t.me/{handle[1:]}" if rng.random() < 0.6 else f"https://{handle[1:]}.example.org",
        # Reserved for fiction: +7 700 000 xx xx is not a real subscriber range.
        "phone": f"+7 700 000 {rng.randrange(100):02d} {rng.randrange(100):02d}",
        "amount": f"{rng.randrange(5, 400) * 1000:,}".replace(",", " "),
    }
    return template.format(**values)


def _attributes(rng: random.Random, category: Category, text: str) -> dict:
    values = {}
    for attribute in category.attributes.all():
        kind, code = attribute.datatype, attribute.code
        keys = [choice.get("key") for choice in attribute.values or [] if choice.get("key")]
        if kind == "singlevaluelist" and keys:
            values[code] = _pick(rng, tuple(keys))
        elif kind == "multivaluelist" and keys:
            values[code] = rng.sample(keys, k=min(len(keys), rng.randint(1, 2)))
        elif kind == "number":
            values[code] = rng.randint(1, 5)
        elif kind == "string" and ("url" in code or "link" in code):
            values[code] = next((word for word in text.split() if word.startswith("https://")), "https://example.org")
        elif kind == "string" and "phone" in code:
            values[code] = f"+7 700 000 {rng.randrange(100):02d} {rng.randrange(100):02d}"
        elif attribute.required and kind in ("string", "text"):
            values[code] = _pick(rng, REQUIRED_TEXT.get(code, ("—",)))
        elif attribute.required and kind == "datetime":
            values[code] = "2025-01-01T12:00:00+05:00"
    return values


class OutOfTime(Exception):
    """The next step would fall after the end of the period: the report stays where it is."""


class _Clock:
    """Times of a report's successive steps, each strictly after the last, none after `limit`."""

    def __init__(self, rng: random.Random, start: datetime, limit: datetime):
        self.rng, self.now, self.limit = rng, start, limit

    def after(self, low_hours: float, high_hours: float) -> datetime:
        moment = self.now + max(timedelta(hours=self.rng.uniform(low_hours, high_hours)), timedelta(seconds=1))
        if moment > self.limit:
            raise OutOfTime
        self.now = moment
        return moment

    def tick(self) -> datetime:
        """One second later, whatever the limit: what the service does within the submission."""
        self.now += timedelta(seconds=1)
        return self.now


def bulk_build_reports(
    *,
    region: Region,
    count: int,
    seed: int = DEMO_SEED,
    start: date = DEMO_START,
    end: date = DEMO_END,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
    mark_demo: bool = True,
) -> BuildResult:
    """Build `count` reports of `region` submitted between `start` and `end`, in bulk; returns counts.

    Public references continue the region's counters for each year (the counters end at the last
    number given). Call it inside a transaction (the demo command does); it opens one otherwise.
    """
    with transaction.atomic():
        return _Builder(region=region, seed=seed, now=now or timezone.now(), mark_demo=mark_demo).build(
            count=count, start=start, end=end, batch_size=batch_size
        )


class _Builder:
    def __init__(self, *, region: Region, seed: int, now: datetime, mark_demo: bool):
        self.region = region
        self.rng = random.Random(seed)
        self.now = now
        self.mark_demo = mark_demo
        self.categories = list(Category.objects.filter(is_active=True).prefetch_related("attributes"))
        if not self.categories:
            raise ValueError("no active categories: run load_reference first")
        self.themes = {category.id: theme_of(category) for category in self.categories}
        # A theme's weight is shared by its categories (two "other" categories split one share).
        per_theme: dict[str, int] = {}
        for theme in self.themes.values():
            per_theme[theme.name] = per_theme.get(theme.name, 0) + 1
        self.category_weights = [self.themes[c.id].weight / per_theme[self.themes[c.id].name] for c in self.categories]
        self.places = _places(region)
        if not self.places:
            raise ValueError(f"region {region} has no districts")
        self.place_weights = [place.weight for place in self.places]
        self._attach_prosecutors()
        self.routes = Routes(region)
        self.deadlines = Deadlines()
        self.channels, self.channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
        self.actors = self._demo_actors()
        self.contact_number = itertools.count(1)
        self.escalation_line = working_days_ago(now, getattr(settings, "OVERDUE_ESCALATION_WORKING_DAYS", 5))

    def other_body(self, report, body_id: int) -> int | None:
        """Where a body forwards a report it thinks is not its own: the police or the akimat of the
        district, whichever it is not."""
        first = self.fallback_body(report)
        if first is not None and first != body_id:
            return first
        akimat = self._bodies.get((Organisation.Type.AKIMAT, report.district_id)) or self._bodies.get(
            (Organisation.Type.AKIMAT, report.district.parent_id)
        )
        return akimat if akimat not in (None, body_id) else None

    def _attach_prosecutors(self) -> None:
        """The prosecutor's office whose triage queue gets a district's unrouted reports."""
        offices = Organisation.objects.filter(
            region=self.region,
            kind=Organisation.Kind.PROSECUTOR_OFFICE,
            type__in=[
                Organisation.Type.DISTRICT_OFFICE,
                Organisation.Type.CITY_DISTRICT_OFFICE,
                Organisation.Type.CITY_OFFICE,
            ],
        ).prefetch_related("districts")
        serving = {}
        for office in offices:
            for district in office.districts.all():
                # The narrowest office wins: a city district's own office before the city's.
                if district.id not in serving or office.type != Organisation.Type.CITY_OFFICE:
                    serving[district.id] = office.id
        for place in self.places:
            place.prosecutor_id = serving.get(place.district.id) or serving.get(place.district.parent_id)

    def _demo_actors(self) -> dict[int, int]:
        """organisation id -> the id of one of its users (the demo accounts), to sign events."""
        actors = {}
        rows = User.objects.filter(organisation__region=self.region, is_active=True).order_by("id")
        for user_id, organisation_id in rows.values_list("id", "organisation_id"):
            actors.setdefault(organisation_id, user_id)
        return actors

    # -- references

    def _references(self, moments: list[datetime]) -> list[str]:
        years = sorted({timezone.localtime(moment).year for moment in moments})
        counters = {}
        for year in years:
            counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
                region=self.region, year=year
            )
            counters[year] = counter
        references = []
        for moment in moments:
            counter = counters[timezone.localtime(moment).year]
            counter.last += 1
            references.append(format_reference(self.region.short_code, counter.year, counter.last))
        for counter in counters.values():
            counter.save(update_fields=["last"])
        return references

    # -- one report

    def build(self, *, count: int, start: date, end: date, batch_size: int) -> BuildResult:
        period_end = min(timezone.make_aware(datetime.combine(end, time(23, 59, 59))), self.now)
        moments = [moment for moment in _submission_times(self.rng, count, start, end) if moment <= period_end]
        self.references = self._references(moments)
        result = BuildResult()
        # Duplicates point at an earlier report of the same category (and district when there is
        # one): indexes of the planned reports by (category, district) and by category.
        self.earlier: dict[tuple, list[int]] = {}
        self.earlier_in_category: dict[int, list[int]] = {}
        self.duplicates: list[tuple[Report, int]] = []
        self.pks: list[int] = []
        for offset in range(0, len(moments), batch_size):
            planned = [
                self._plan(index, moments[index], period_end)
                for index in range(offset, min(offset + batch_size, len(moments)))
            ]
            self._write(planned, result)
        self._link_duplicates()
        return result

    def _plan(self, index: int, submitted_at: datetime, period_end: datetime):
        rng = self.rng
        place = rng.choices(self.places, self.place_weights)[0]
        category = rng.choices(self.categories, self.category_weights)[0]
        theme = self.themes[category.id]
        channel = rng.choices(self.channels, self.channel_weights)[0]
        kazakh = rng.random() < 0.4
        streets = place.streets_kk if kazakh else place.streets_ru
        street = f"{_pick(rng, streets)}, {rng.randint(1, 120)}"
        template = _pick(rng, theme.kk if kazakh else theme.ru)
        description = _fill(rng, template, street) + _pick(rng, ENDINGS_KK if kazakh else ENDINGS_RU)
        point = place.point(rng) if rng.random() < 0.85 or category.requires_location else None
        town = place.town_kk if kazakh else place.town_ru
        address = f"{town}, {street}" if point is None or rng.random() < 0.7 else ""
        body_id = self.routes.body_id(category, place.district)
        age_days = (period_end - submitted_at).total_seconds() / 86400
        status = _final_status(rng, age_days)
        if body_id is None and age_days < 30 and rng.random() < 0.5:
            status = Status.NEW  # no rule and no body: recent ones still wait in the prosecutor's triage
        key = (category.id, place.district.id)
        original = None
        if status == Status.DUPLICATE:
            candidates = self.earlier.get(key) or self.earlier_in_category.get(category.id)
            if candidates:
                original = candidates[-1 - rng.randrange(min(len(candidates), 5))]
            else:
                status = Status.CLOSED  # the first report of its kind is nobody's duplicate
        else:
            self.earlier.setdefault(key, []).append(index)
            self.earlier_in_category.setdefault(category.id, []).append(index)
        report = Report(
            region=self.region,
            reference=self.references[index],
            tracking_token_hash=hashlib.sha256(rng.getrandbits(256).to_bytes(32, "big")).hexdigest(),
            category=category,
            district=place.district,
            channel=channel,
            description=description,
            address=address,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            attributes=_attributes(rng, category, description),
            sensitive=category.sensitive,
            submitted_at=submitted_at,
        )
        if channel in (Channel.HOTLINE, Channel.RECEPTION, Channel.OTHER):
            report.entered_by_id = self.actors.get(place.prosecutor_id)
        timeline = _Timeline(self, report, place, _Clock(rng, submitted_at, period_end))
        timeline.play(status, body_id, theme.answers_kk if kazakh else theme.answers_ru, kazakh, original)
        contact = None
        if rng.random() < (0.5 if category.sensitive else 0.2):
            number = next(self.contact_number)
            contact = ReporterContact(
                name=f"Demo Reporter {number}",
                phone=f"+7 700 000 {number // 100 % 100:02d} {number % 100:02d}" if rng.random() < 0.8 else "",
                email=f"demo-reporter-{number}@example.com" if rng.random() < 0.4 else "",
                consent_at=submitted_at,
            )
        if not category.sensitive and report.status not in (Status.REJECTED, Status.DUPLICATE) and rng.random() < 0.03:
            timeline.supporters = rng.randint(1, 4)
        if contact is not None and report.status in (Status.RESOLVED, Status.CLOSED) and rng.random() < 0.3:
            report.rating = rng.choices((1, 2, 3, 4, 5), (1, 1, 2, 4, 5))[0]
        return report, timeline, contact, original

    def fallback_body(self, report) -> int | None:
        """Where the prosecutor sends a report out of triage: the most local police unit, else the
        akimat, serving the report's district (or its city)."""
        if not hasattr(self, "_bodies"):
            self._bodies = {}
            rows = Organisation.objects.filter(region=self.region, kind=Organisation.Kind.BODY, is_active=True)
            # The most local first: an organisation serving fewer units wins.
            for organisation in sorted(rows.prefetch_related("districts"), key=lambda o: len(o.districts.all())):
                for district in organisation.districts.all():
                    self._bodies.setdefault((organisation.type, district.id), organisation.id)
        for body_type in (Organisation.Type.POLICE_UNIT, Organisation.Type.AKIMAT, Organisation.Type.POLICE):
            for district_id in (report.district_id, report.district.parent_id):
                if (body_type, district_id) in self._bodies:
                    return self._bodies[(body_type, district_id)]
        return None

    # -- writing

    def _write(self, planned, result: BuildResult) -> None:
        reports = [report for report, _timeline, _contact, _original in planned]
        Report.objects.bulk_create(reports)
        events, contacts, answers, forwards, extensions, supporters = [], [], [], [], [], []
        for report, timeline, contact, original in planned:
            self.pks.append(report.pk)
            result.by_status[report.status] = result.by_status.get(report.status, 0) + 1
            if original is not None and report.status == Status.DUPLICATE:
                self.duplicates.append((report, original))
            events.extend(ReportEvent(report=report, **values) for values in timeline.events)
            answers.extend(Answer(report=report, **values) for values in timeline.answers)
            forwards.extend(Forward(report=report, **values) for values in timeline.forwards)
            extensions.extend(ExtensionRequest(report=report, **values) for values in timeline.extensions)
            supporters.extend(
                ReportSupporter(
                    report=report,
                    kind=ReportSupporter.Kind.ME_TOO,
                    tracking_token_hash=hashlib.sha256(self.rng.getrandbits(256).to_bytes(32, "big")).hexdigest(),
                    created_at=report.submitted_at + timedelta(hours=n + 1),
                )
                for n in range(timeline.supporters)
            )
            if contact is not None:
                contact.report = report
                contacts.append(contact)
        ReportEvent.objects.bulk_create(events)
        ReporterContact.objects.bulk_create(contacts)
        Answer.objects.bulk_create(answers)
        Forward.objects.bulk_create(forwards)
        ExtensionRequest.objects.bulk_create(extensions)
        ReportSupporter.objects.bulk_create(supporters)
        result.reports += len(reports)
        result.events += len(events)
        result.contacts += len(contacts)
        result.answers += len(answers)
        result.forwards += len(forwards)
        result.extensions += len(extensions)
        result.supporters += len(supporters)

    def _link_duplicates(self) -> None:
        """Point each duplicate at its original, now that every report has its id."""
        changed = []
        for report, original in self.duplicates:
            report.duplicate_of_id = self.pks[original]
            changed.append(report)
        Report.objects.bulk_update(changed, ["duplicate_of"], batch_size=1000)


class _Timeline:
    """One report's life up to its final status: sets the report's fields and lists its events as
    the services would have written them (signals/services.py), each step allowed by the workflow."""

    def __init__(self, builder: _Builder, report: Report, place: Place, clock: _Clock):
        self.builder, self.report, self.clock, self.rng = builder, report, clock, builder.rng
        self.prosecutor = builder.actors.get(place.prosecutor_id)
        mark = {DEMO_MARK: True} if builder.mark_demo else {}
        self.answers: list[dict] = []
        self.forwards: list[dict] = []
        self.extensions: list[dict] = []
        self.supporters = 0
        self.events = [
            {
                "kind": Kind.SUBMITTED,
                "at": report.submitted_at,
                "actor_id": report.entered_by_id,
                "to_status": Status.NEW,
                "data": mark | {"channel": report.channel},
            }
        ]

    def play(self, status: str, body_id: int | None, answers: tuple, kazakh: bool, original: int | None) -> None:
        try:
            self._play(status, body_id, answers, kazakh, original)
        except OutOfTime:
            self._finish()  # a late report has not gone further by the end of the period

    def _play(self, status: str, body_id: int | None, answers: tuple, kazakh: bool, original: int | None) -> None:
        report, rng = self.report, self.rng
        if body_id is not None:
            self._route(body_id, self.clock.tick(), actor_id=None)
        else:
            self.events.append({"kind": Kind.TRIAGE, "at": self.clock.tick(), "to_status": Status.NEW})
            if status == Status.NEW:
                return
            if status in (Status.REJECTED, Status.DUPLICATE) and rng.random() < 0.5:
                return self._close(status, original)  # decided in triage
            body_id = self.builder.fallback_body(report)
            if body_id is None:  # no body to send it to: it stays in triage unless closed there
                return self._close(status, original) if status in (Status.REJECTED, Status.DUPLICATE) else None
            self._route(body_id, self.clock.after(2, 30), actor_id=self.prosecutor, from_triage=True)
        if status in (Status.NEW, Status.ROUTED):
            return self._finish()
        if status in (Status.REJECTED, Status.DUPLICATE):
            return self._close(status, original)
        if rng.random() < 0.05:
            body_id = self._forward(body_id, kazakh)
        body_actor = self.builder.actors.get(body_id)
        self._step(Status.ACCEPTED, self.clock.after(0.5, 30), body_actor)
        if rng.random() < 0.05:
            self._ask_extension(body_id, body_actor, kazakh)
        if status == Status.ACCEPTED:
            return self._finish()
        answers = answers or (ANSWERS_KK if kazakh else ANSWERS_RU)
        self._answer(body_actor, answers)
        if status == Status.ANSWERED:
            return self._finish()
        if status == Status.RETURNED or rng.random() < 0.08:
            reason = _pick(rng, RETURN_REASONS)
            at = self.clock.after(4, 72)
            self._decide(Answer.Decision.RETURNED, at, reason)
            report.answer_result = ""
            self._step(Status.RETURNED, at, self.prosecutor, reason=reason)
            report.deadline_at = self.builder.deadlines.deadline(report.category, at)
            if status == Status.RETURNED:
                return self._finish()
            self._answer(body_actor, answers)
        at = self.clock.after(2, 96)
        self._decide(Answer.Decision.ACCEPTED, at)
        self._step(Status.RESOLVED, at, self.prosecutor)
        if status == Status.CLOSED:
            report.closed_at = self.clock.after(1, 72)
            self._step(Status.CLOSED, report.closed_at, self.prosecutor)
        elif status == Status.REOPENED:
            # The reporter said "not resolved" through the tracking link: the prosecutor decides.
            self._step(Status.REOPENED, self.clock.after(4, 96), None, reason=_pick(rng, REOPEN_REASONS))
        return self._finish()

    def _forward(self, body_id: int, kazakh: bool) -> int:
        """The body passes the report on (to the local akimat, or to the police): the prosecutor
        upholds most forwards; recent ones still wait for review."""
        report, rng = self.report, self.rng
        to_body = self.builder.other_body(report, body_id)
        if to_body is None:
            return body_id
        at = self.clock.after(2, 48)
        reason = _pick(rng, FORWARD_REASONS_KK if kazakh else FORWARD_REASONS_RU)
        decided = self.clock.limit - at > timedelta(days=12)  # the last days' forwards wait for review
        self.forwards.append(
            {
                "from_body_id": body_id,
                "to_body_id": to_body,
                "reason": reason,
                "previous_deadline": report.deadline_at,
                "by_id": self.builder.actors.get(body_id),
                "at": at,
                "decision": Forward.Decision.UPHELD if decided else Forward.Decision.PENDING,
                "decided_by_id": self.prosecutor if decided else None,
                "decided_at": at + timedelta(days=1) if decided else None,
            }
        )
        self.events.append(
            {
                "kind": Kind.FORWARDED,
                "at": at,
                "actor_id": self.builder.actors.get(body_id),
                "from_status": report.status,
                "to_status": Status.ROUTED,
                "body_id": to_body,
                "data": {"from_body": body_id, "to_body": to_body, "reason": reason},
            }
        )
        report.body_id, report.routed_at = to_body, at
        report.deadline_at = self.builder.deadlines.deadline(report.category, at)
        return to_body

    def _ask_extension(self, body_id: int, actor_id: int | None, kazakh: bool) -> None:
        report, rng = self.report, self.rng
        at = self.clock.after(1, 24)
        if at >= report.deadline_at:
            return
        days = rng.choice((3, 5, 10))
        granted = rng.random() < 0.7
        decided = self.clock.limit - at > timedelta(days=10)
        decided_at = self.clock.after(2, 20) if decided else None
        new_deadline = extend_deadline(report.deadline_at, days, self.builder.deadlines.calendar)
        self.extensions.append(
            {
                "body_id": body_id,
                "days": days,
                "reason": _pick(rng, EXTENSION_REASONS_KK if kazakh else EXTENSION_REASONS_RU),
                "by_id": actor_id,
                "at": at,
                "deadline_before": report.deadline_at,
                "decision": (
                    ExtensionRequest.Decision.PENDING
                    if not decided
                    else ExtensionRequest.Decision.GRANTED
                    if granted
                    else ExtensionRequest.Decision.REFUSED
                ),
                "decided_by_id": self.prosecutor if decided else None,
                "decided_at": decided_at,
                "deadline_after": new_deadline if decided and granted else None,
            }
        )
        self.events.append({"kind": Kind.EXTENSION_REQUESTED, "at": at, "actor_id": actor_id, "body_id": body_id})
        if decided:
            self.events.append({"kind": Kind.EXTENSION_DECIDED, "at": decided_at, "actor_id": self.prosecutor})
            if granted:
                report.deadline_at = new_deadline

    def _route(self, body_id: int, at: datetime, actor_id: int | None, from_triage: bool = False) -> None:
        report = self.report
        report.body_id, report.routed_at = body_id, at
        report.deadline_at = self.builder.deadlines.deadline(report.category, at)
        event = {
            "kind": Kind.ROUTED,
            "at": at,
            "actor_id": actor_id,
            "from_status": report.status,
            "to_status": Status.ROUTED,
            "body_id": body_id,
        }
        if from_triage:
            event["data"] = {"from_body": None, "to_body": body_id, "deadline": report.deadline_at.isoformat()}
        self.events.append(event)
        report.status = Status.ROUTED

    def _step(self, to_status: str, at: datetime, actor_id: int | None, **data) -> None:
        transition = transition_for(self.report.status, to_status)  # refuses what the workflow forbids
        self.events.append(
            {
                "kind": Kind.STATUS,
                "at": at,
                "actor_id": actor_id,
                "from_status": self.report.status,
                "to_status": to_status,
                "body_id": self.report.body_id,
                "data": {"action": transition.action, **data},
            }
        )
        self.report.status = to_status

    def _answer(self, actor_id: int | None, answers: tuple) -> None:
        report, clock, rng = self.report, self.clock, self.rng
        # Most answers come in time; some late (they make the overdue figures).
        span = max((report.deadline_at - clock.now).total_seconds() / 3600, 2)
        at = clock.after(1, span * 0.9) if rng.random() < 0.86 else clock.after(span, span * 1.8)
        report.public_answer = _pick(rng, answers)
        report.answered_at = at
        report.overdue = at > report.deadline_at
        result = rng.choices(ANSWER_RESULTS, ANSWER_RESULT_WEIGHTS)[0]
        measures = list(MEASURES_BY_RESULT[result][: rng.randint(0, len(MEASURES_BY_RESULT[result]))])
        if result == Answer.Result.CONFIRMED_CRIMINAL and not report.registration_number and rng.random() < 0.9:
            # One in ten confirmed crimes is left unregistered: the oversight page's "concealment" list.
            report.registration = rng.choice((Report.Registration.KUI, Report.Registration.ERDR))
            report.registration_number = f"{timezone.localtime(at):%y}{rng.randint(1, 999_999_999):09d}"
            report.registered_at = at
            self.events.append({"kind": Kind.REGISTERED, "at": at, "actor_id": actor_id})
            at += timedelta(minutes=1)  # the answer follows the registration
            report.answered_at = at
        report.answer_result = result
        self.answers.append(
            {
                "body_id": report.body_id,
                "author_id": actor_id,
                "at": at,
                "result": result,
                "measures": measures,
                "text": report.public_answer,
                "public_text": report.public_answer,
                "on_time": at <= report.deadline_at,
            }
        )
        self._step(Status.ANSWERED, at, actor_id)

    def _decide(self, decision: str, at: datetime, reason: str = "") -> None:
        answer = self.answers[-1]
        answer.update(decision=decision, decided_by_id=self.prosecutor, decided_at=at, return_reason=reason)

    def _close(self, status: str, original: int | None) -> None:
        """Rejected or marked a duplicate by the prosecutor."""
        report = self.report
        report.closed_at = self.clock.after(1, 72)
        if status == Status.REJECTED:
            report.rejection_reason = _pick(self.rng, REJECTION_REASONS)
            self._step(status, report.closed_at, self.prosecutor, reason=report.rejection_reason)
        else:
            self._step(status, report.closed_at, self.prosecutor, duplicate_of=self.builder.references[original])

    def _finish(self) -> None:
        """An open report past its deadline is overdue (as the deadline sweep would mark it)."""
        report = self.report
        if report.deadline_at is not None and report.status in (Status.ROUTED, Status.ACCEPTED, Status.RETURNED):
            report.overdue = self.builder.now > report.deadline_at
            if report.overdue:
                # As the deadline sweep would have marked it (and escalated the long overdue).
                report.overdue_at = report.deadline_at + timedelta(minutes=5)
                if report.deadline_at < self.builder.escalation_line:
                    report.escalated_at = report.overdue_at
