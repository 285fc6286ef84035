"""The registry's figures for the results summary (reporting reads them through lib.plugins):
the values citizens' reports named, by kind and district, the indicators confirmed, the outreach
work, and the blocking: accounts and cards blocked with the amount frozen, links blocked, and the
partners' answers with the days they took."""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.zones import region_id_zone
from lib.metrics import Area, Hedging, Kind, Metric, MetricGroup, Sentence, Unit, Window

from .indicators import Kind as IndicatorKind
from .models import BlockingEvent, GraffitiEvent, IndicatorEvent, Outreach, Sighting


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "kind":
        return {key: IndicatorKind(key).label for key in keys if key in IndicatorKind.values}
    return {}


def _indicator_row(indicator, at, district) -> dict:
    """An indicator behind a figure: its kind, what a reader may see of it (a card masked, an IIN
    or a BIN never: registry.policy), its status, where and when."""
    shown = "—" if indicator.kind in (IndicatorKind.IIN, IndicatorKind.BIN) else indicator.shown
    return {
        "link": reverse("registry:indicator", args=[indicator.pk]),
        "kind": str(indicator.get_kind_display()),
        "shown": shown,
        "status": str(indicator.get_status_display()),
        "district": district.name if district else "",
        "at": timezone.localtime(at, region_id_zone(indicator.region_id)).strftime("%Y-%m-%d %H:%M"),
    }


def _sightings_described(rows: QuerySet) -> list[dict]:
    return [_indicator_row(s.indicator, s.at, s.district) for s in rows.select_related("indicator", "district")]


def _events_described(rows: QuerySet) -> list[dict]:
    return [_indicator_row(e.indicator, e.at, None) for e in rows.select_related("indicator")]


COLUMNS = {
    "kind": _("kind"),
    "shown": _("indicator"),
    "status": _("status"),
    "district": _("district"),
    "at": _("when (local time)"),
}

FOUND = MetricGroup(
    name="registry-found",
    kind=Kind.FLOW,
    queryset=lambda: Sighting.objects.filter(source=Sighting.Source.REPORT, unlinked_at__isnull=True),
    region="indicator__region_id",
    district="district_id",
    effective="at",
    recorded="recorded_at",
    dimensions={"kind": "indicator__kind"},
    labels=_labels,
    describe_rows=_sightings_described,
    columns=COLUMNS,
    metrics=(
        Metric(
            code="fraud.indicators.found",
            name=_("Indicators found in citizens' reports"),
            definition=_(
                "Accounts, cards, phones, links and names of the registry read from the offence reports received "
                "in the period, each counted once per report, by the local day the report was received; values a "
                "staff member unlinked as wrongly taken are not counted."
            ),
            area=Area.FRAUD,
            hedging=Hedging.MORE_THAN,
            dimensions=("kind",),
            order=10,
        ),
        Metric(
            code="fraud.indicators.found.accounts",
            name=_("Bank accounts and cards found in citizens' reports"),
            definition=_("Of the indicators found in citizens' reports, the bank accounts (IBAN) and payment cards."),
            area=Area.FRAUD,
            where=Q(indicator__kind__in=(IndicatorKind.IBAN, IndicatorKind.CARD)),
            hedging=Hedging.MORE_THAN,
            parent="fraud.indicators.found",
            order=11,
        ),
    ),
)

CONFIRMED = MetricGroup(
    name="registry-confirmed",
    kind=Kind.FLOW,
    queryset=lambda: IndicatorEvent.objects.filter(kind=IndicatorEvent.Kind.CONFIRMED),
    region="indicator__region_id",
    district="indicator__district_id",  # where it was first seen
    effective="at",
    recorded="at",
    dimensions={"kind": "indicator__kind"},
    labels=_labels,
    describe_rows=_events_described,
    columns=COLUMNS,
    metrics=(
        Metric(
            code="fraud.indicators.confirmed",
            name=_("Indicators confirmed"),
            definition=_("Indicators of the registry a prosecutor or the police confirmed in the period."),
            area=Area.FRAUD,
            rise_is_good=True,
            dimensions=("kind",),
            order=20,
        ),
    ),
)


def _outreach_labels(dimension: str, keys: list) -> dict:
    choices = {"project": Outreach.Project, "kind": Outreach.Kind}.get(dimension)
    return {key: choices(key).label for key in keys if choices and key in choices.values}


def _outreach_described(rows: QuerySet) -> list[dict]:
    return [
        {
            "kind": str(entry.get_kind_display()),
            "project": str(entry.get_project_display()),
            "count": entry.count,
            "day": entry.day.isoformat(),
            "district": entry.district.name if entry.district else "",
            "organiser": entry.organiser.name,
        }
        for entry in rows.select_related("district", "organiser")
    ]


def _outreach(code: str, kind: str, name, definition, hedging: str, order: int) -> Metric:
    return Metric(
        code=code,
        name=name,
        definition=definition,
        area=Area.FRAUD,
        where=Q(kind=kind),
        sums="count",
        hedging=hedging,
        rise_is_good=True,
        dimensions=("project",),
        order=order,
    )


OUTREACH = MetricGroup(
    name="registry-outreach",
    kind=Kind.FLOW,
    queryset=lambda: Outreach.objects.all(),
    effective="day",
    effective_is_day=True,
    recorded="recorded_at",
    dimensions={"project": "project", "kind": "kind"},
    labels=_outreach_labels,
    describe_rows=_outreach_described,
    columns={
        "kind": _("kind of work"),
        "project": _("project"),
        "count": _("how many"),
        "day": _("date"),
        "district": _("district"),
        "organiser": _("organiser"),
    },
    metrics=(
        _outreach(
            "outreach.brochures",
            Outreach.Kind.BROCHURES,
            _("Brochures distributed"),
            _("Brochures and leaflets the offices logged as distributed in the period, by the day of the work."),
            Hedging.MORE_THAN,
            30,
        ),
        _outreach(
            "outreach.publications",
            Outreach.Kind.PUBLICATIONS,
            _("Publications on social media"),
            _("Publications on social media the offices logged in the period."),
            Hedging.OVER,
            31,
        ),
        _outreach(
            "outreach.meetings",
            Outreach.Kind.MEETINGS,
            _("Meetings with the population"),
            _("Meetings with the population the offices organised in the period."),
            Hedging.EXACT,
            32,
        ),
        _outreach(
            "outreach.billboards",
            Outreach.Kind.BILLBOARDS,
            _("Informational billboards installed"),
            _("Informational billboards the offices had installed in the period."),
            Hedging.EXACT,
            33,
        ),
        _outreach(
            "outreach.activists",
            Outreach.Kind.ACTIVISTS,
            _("Meetings with activists and volunteers"),
            _("Meetings with activists and volunteers the offices held in the period."),
            Hedging.EXACT,
            34,
        ),
        _outreach(
            "outreach.students",
            Outreach.Kind.STUDENTS,
            _("Meetings with students"),
            _("Meetings with students of universities, colleges and schools the offices held in the period."),
            Hedging.EXACT,
            35,
        ),
    ),
)

# The kinds the figures of blocking name: the document's "dropper accounts" (bank accounts and
# payment cards) and its "links to drug shops" (websites and Telegram channels, bots or users).
ACCOUNT_KINDS = (IndicatorKind.IBAN, IndicatorKind.CARD)
LINK_KINDS = (IndicatorKind.WEBSITE, IndicatorKind.TELEGRAM)
ANSWER_KINDS = (BlockingEvent.Kind.BLOCKED, BlockingEvent.Kind.REFUSED, BlockingEvent.Kind.NOT_FOUND)


def _blocking_described(rows: QuerySet) -> list[dict]:
    """A step of a blocking request behind a figure: the indicator as its readers may see it (a card
    masked, an IIN or a BIN never), the addressee, the request's number, the day and the amount."""
    described = []
    for event in rows.select_related("item__indicator", "request__addressee"):
        indicator = event.item.indicator
        described.append(
            {
                "link": reverse("registry:request", args=[event.request_id]),
                "kind": str(indicator.get_kind_display()),
                "shown": "—" if indicator.kind in (IndicatorKind.IIN, IndicatorKind.BIN) else indicator.shown,
                "addressee": event.request.addressee.name,
                "number": event.request.outgoing_number,
                "answer": str(event.get_kind_display()),
                "day": event.day.isoformat(),
                "amount": "" if event.amount is None else str(event.amount),
                "days": "" if event.answer_days is None else event.answer_days,
            }
        )
    return described


BLOCKING_COLUMNS = {
    "kind": _("kind"),
    "shown": _("indicator"),
    "addressee": _("addressee"),
    "number": _("outgoing number"),
    "answer": _("answer"),
    "day": _("date"),
    "amount": _("amount frozen, tenge"),
    "days": _("days to answer"),
}

# Each item's first answer (blocked, refused, not found) is one event, dated by the day the partner
# gives and recorded when it was entered: a block counts on its day whatever happened to it later
# (lifted, expired), since the events of later steps are other rows.
BLOCKING = MetricGroup(
    name="registry-blocking",
    kind=Kind.FLOW,
    queryset=lambda: BlockingEvent.objects.filter(kind__in=ANSWER_KINDS, item__isnull=False),
    region="request__region_id",
    district="item__indicator__district_id",  # where the indicator was first seen
    effective="day",
    effective_is_day=True,
    recorded="at",
    dimensions={"kind": "item__indicator__kind", "answer": "kind"},
    labels=lambda dimension, keys: (
        _labels(dimension, keys)
        if dimension == "kind"
        else {key: BlockingEvent.Kind(key).label for key in keys if key in BlockingEvent.Kind.values}
    ),
    describe_rows=_blocking_described,
    columns=BLOCKING_COLUMNS,
    metrics=(
        Metric(
            code="fraud.accounts.blocked",
            name=_("Dropper accounts and cards blocked"),
            definition=_(
                "Bank accounts (IBAN) and payment cards a bank or the antifraud centre answered as blocked, counted "
                "by the day of the blocking in the period, whatever happened to the block later (lifted, expired)."
            ),
            area=Area.FRAUD,
            where=Q(kind=BlockingEvent.Kind.BLOCKED, item__indicator__kind__in=ACCOUNT_KINDS),
            hedging=Hedging.MORE_THAN,
            rise_is_good=True,
            dimensions=("kind",),
            order=40,
        ),
        Metric(
            code="fraud.accounts.blocked.amount",
            name=_("Amount frozen on the accounts and cards blocked"),
            definition=_(
                "The sum, in tenge, the banks and the antifraud centre reported frozen on the accounts and cards "
                "they blocked in the period, at the moment of blocking."
            ),
            unit=Unit.TENGE,
            area=Area.FRAUD,
            where=Q(kind=BlockingEvent.Kind.BLOCKED, item__indicator__kind__in=ACCOUNT_KINDS),
            sums="amount",
            rise_is_good=True,
            parent="fraud.accounts.blocked",
            order=41,
        ),
        Metric(
            code="fraud.links.blocked",
            name=_("Links to drug shops blocked"),
            definition=_(
                "Websites and Telegram channels, bots or users the Ministry of Culture and Information or the "
                "platform answered as blocked, counted by the day of the blocking in the period."
            ),
            area=Area.FRAUD,
            where=Q(kind=BlockingEvent.Kind.BLOCKED, item__indicator__kind__in=LINK_KINDS),
            rise_is_good=True,
            dimensions=("kind",),
            order=42,
        ),
        Metric(
            code="fraud.requests.answered",
            name=_("Items of blocking requests answered"),
            definition=_(
                "Items of the blocking requests the addressees answered in the period (blocked, refused or not "
                "found), each by the day of its answer."
            ),
            area=Area.FRAUD,
            dimensions=("answer",),
            order=43,
        ),
        # lib.metrics sums and counts; an average is not one of its kinds (a share is in percent), so
        # the average answer time is this sum divided by fraud.requests.answered, as the rows show it.
        Metric(
            code="fraud.requests.answer_days",
            name=_("Days the addressees took to answer, in total"),
            definition=_(
                "For the items answered in the period, the days from the request's sending to the answer, added "
                "up: divided by the items answered, the average answer time."
            ),
            unit=Unit.DAYS,
            area=Area.FRAUD,
            sums="answer_days",
            rise_is_good=False,
            parent="fraud.requests.answered",
            order=44,
        ),
    ),
)


# Drug graffiti (registry.services.graffiti): a record's "recorded" and "destroyed" events, each
# counted by its own moment (the report's receipt, the answer that showed it painted over) when
# the registry had written it by the "as of" moment and it still held then: a destruction whose
# answer was returned by that moment is not counted (a new answer with a photo is, on its day); one
# returned later still is, so a summary computed again later gives the same figure.
HELD = "held_as_of"


def _held_as_of(window: Window) -> dict:
    held = Q(until__isnull=True) | Q(until__gt=window.as_of)
    return {HELD: Case(When(held, then=Value(True)), default=Value(False), output_field=BooleanField())}


def _graffiti_described(rows: QuerySet) -> list[dict]:
    """A graffiti behind a figure: its place, district, dates and status, linked to the report's page
    (which applies signals' policy); never who reported it nor what they wrote."""
    described = []
    for event in rows.select_related("graffiti__report", "graffiti__district"):
        graffiti, zone = event.graffiti, region_id_zone(event.graffiti.region_id)
        point = f"{graffiti.latitude}, {graffiti.longitude}" if graffiti.latitude is not None else ""
        described.append(
            {
                "link": reverse("signals:detail", args=[graffiti.report.reference]),
                "reference": graffiti.report.reference,
                "place": graffiti.address or point,
                "district": graffiti.district.name if graffiti.district else "",
                "reported": timezone.localtime(graffiti.reported_at, zone).strftime("%Y-%m-%d"),
                "at": timezone.localtime(event.at, zone).strftime("%Y-%m-%d %H:%M"),
                "status": str(graffiti.get_status_display()),
            }
        )
    return described


GRAFFITI = MetricGroup(
    name="registry-graffiti",
    kind=Kind.FLOW,
    queryset=lambda: GraffitiEvent.objects.filter(kind__in=(GraffitiEvent.Kind.RECORDED, GraffitiEvent.Kind.DESTROYED)),
    region="graffiti__region_id",
    district="graffiti__district_id",
    effective="at",
    recorded="recorded_at",
    annotate=_held_as_of,
    describe_rows=_graffiti_described,
    columns={
        "reference": _("report"),
        "place": _("place"),
        "district": _("district"),
        "reported": _("reported"),
        "at": _("when (local time)"),
        "status": _("status now"),
    },
    metrics=(
        Metric(
            code="drugs.graffiti.reported",
            name=_("Drug graffiti reported"),
            definition=_(
                "Drug advertisements painted on walls, fences or the pavement that citizens reported in the period "
                "(offence reports of the graffiti category), by the local day the report was received; a report "
                "re-categorised out of the category by the end of the “as of” day is not counted."
            ),
            area=Area.FRAUD,
            where=Q(kind=GraffitiEvent.Kind.RECORDED, **{HELD: True}),
            hedging=Hedging.OVER,
            order=45,
        ),
        Metric(
            code="drugs.graffiti.destroyed",
            name=_("Drug graffiti destroyed"),
            definition=_(
                "Drug graffiti painted over in the period, by the moment of the body's answer that showed it with a "
                "photo of the painted-over wall (an answer saying so without a photo is not counted); a destruction "
                "whose answer the prosecutor had returned by the end of the “as of” day is not counted, the next "
                "answer with a photo is, on its own day."
            ),
            area=Area.FRAUD,
            where=Q(kind=GraffitiEvent.Kind.DESTROYED, **{HELD: True}),
            rise_is_good=True,
            hedging=Hedging.OVER,
            order=46,
        ),
    ),
)

SENTENCES = (
    Sentence(
        code="fraud.found",
        area=Area.FRAUD,
        order=10,
        kk="Азаматтардың өтініштерінен «Алаяқтықсыз аумақ» тізіліміне {fraud.indicators.found|индикатор} енгізілді.",
        ru="Из обращений граждан в реестр «Территория без мошенничества» внесено {fraud.indicators.found|индикатор}.",
        en="{fraud.indicators.found|indicator/indicators} from citizens' reports entered the “Territory Without "
        "Fraud” registry.",
    ),
    # Apart from the sentence above, so that it is left out when no account or card was found.
    Sentence(
        code="fraud.found.accounts",
        area=Area.FRAUD,
        order=11,
        kk="Олардың ішінде банк шоттары мен карталары — {fraud.indicators.found.accounts}.",
        ru="Среди них банковских счетов и карт — {fraud.indicators.found.accounts}.",
        en="{fraud.indicators.found.accounts} of them are bank accounts or cards.",
    ),
    Sentence(
        code="fraud.confirmed",
        area=Area.FRAUD,
        order=20,
        kk="{fraud.indicators.confirmed|индикатор} расталды.",
        ru="Подтверждено {fraud.indicators.confirmed|индикатор}.",
        en="{fraud.indicators.confirmed|indicator/indicators} confirmed.",
    ),
    # The reference document's "more than 1,000 'dropper' accounts totaling 59.5 million tenge and 1,400
    # links to drug stores have been blocked", in two sentences: a region without links blocked
    # still reads its accounts.
    Sentence(
        code="fraud.blocked.accounts",
        area=Area.FRAUD,
        order=40,
        kk="Жалпы сомасы {fraud.accounts.blocked.amount} болатын «дропперлердің» {fraud.accounts.blocked|шот} "
        "бұғатталды.",
        ru="Заблокированы {fraud.accounts.blocked|счет} «дропперов» на общую сумму {fraud.accounts.blocked.amount}.",
        en="At the prosecutor's office's requests, {fraud.accounts.blocked|“dropper” account/“dropper” accounts} "
        "totalling {fraud.accounts.blocked.amount} have been blocked.",
    ),
    Sentence(
        code="fraud.blocked.links",
        area=Area.FRAUD,
        order=42,
        kk="Есірткі дүкендеріне апаратын {fraud.links.blocked|сілтеме} бұғатталды.",
        ru="Заблокировано {fraud.links.blocked|ссылка} на наркошопы.",
        en="{fraud.links.blocked|link/links} to drug stores have been blocked.",
    ),
    Sentence(
        code="fraud.requests.answered",
        area=Area.FRAUD,
        order=43,
        kk="Бұғаттау туралы сұрауларға серіктестерден жауап алынған позициялар: {fraud.requests.answered}.",
        ru="По запросам о блокировке получено ответов партнёров: {fraud.requests.answered}.",
        en="Partners answered {fraud.requests.answered|item/items} of blocking requests.",
    ),
    # One sentence a kind of work: a kind without any is left out, never written as zero.
    *(
        Sentence(code=f"fraud.{code}", area=Area.FRAUD, order=order, kk=kk, ru=ru, en=en)
        for code, order, kk, ru, en in (
            (
                "outreach.brochures",
                30,
                "Тұрғындар арасында {outreach.brochures|буклет} таратылды.",
                "Среди населения распространено {outreach.brochures|брошюра}.",
                "{outreach.brochures|brochure/brochures} distributed among the population.",
            ),
            (
                "outreach.publications",
                31,
                "Әлеуметтік желілерде {outreach.publications|жарияланым} орналастырылды.",
                "В социальных сетях размещено {outreach.publications|публикация}.",
                "{outreach.publications|publication/publications} made on social media.",
            ),
            (
                "outreach.meetings",
                32,
                "Халықпен {outreach.meetings|кездесу} ұйымдастырылды.",
                "Организовано {outreach.meetings|встреча} с населением.",
                "{outreach.meetings|meeting/meetings} organized with the population.",
            ),
            (
                "outreach.billboards",
                33,
                "{outreach.billboards|ақпараттық баннер} орнатылды.",
                "Установлено информационных баннеров: {outreach.billboards}.",
                "{outreach.billboards|informational billboard/informational billboards} installed.",
            ),
            (
                "outreach.activists",
                34,
                "Белсенділермен және еріктілермен {outreach.activists|кездесу} өткізілді.",
                "Проведено {outreach.activists|встреча} с активистами и волонтёрами.",
                "{outreach.activists|meeting/meetings} held with activists and volunteers.",
            ),
            (
                "outreach.students",
                35,
                "ЖОО, колледждер мен мектептердің білім алушыларымен {outreach.students|кездесу} өткізілді.",
                "Проведено {outreach.students|встреча} со студентами вузов, колледжей и школьниками.",
                "{outreach.students|meeting/meetings} held with students of universities, colleges and schools.",
            ),
        )
    ),
    Sentence(
        code="fraud.graffiti.destroyed",
        area=Area.FRAUD,
        order=45,
        kk="Есірткі жарнамасы бар {drugs.graffiti.destroyed|граффити} жойылды.",
        ru="Уничтожено {drugs.graffiti.destroyed|граффити} с рекламой наркотиков.",
        en="{drugs.graffiti.destroyed|drug advertisement/drug advertisements} (graffiti) destroyed.",
    ),
)
