"""The figures of criminal cases under the office's control, for the results summary (lib.metrics;
docs/metrics.md): state prosecution (cases sent to court, verdicts, persons convicted and sentenced
to imprisonment, appellate petitions satisfied), drugs (kilograms seized, laboratories and shops
liquidated, special prosecutors' cases), droppers' cases, corruption and economic cases the office
initiated, high-profile cases brought to verdict, and the stocks as of a day (under investigation,
persons in custody).

Each change of a case is a CaseEvent dated `on` (a local day) and entered `at`; it carries the case
as it stood after it. A flow counts the events dated in the period and entered by the "as of"
moment; a stock reads each case's latest event dated by the "as of" day and entered by the moment
(`state_at`), so "16 under investigation" holds for any day, the base year's included. A case counts
in its district.
"""

from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Hedging, Kind, Metric, MetricGroup, Sentence, Unit, Window

from .models import CaseEvent, CriminalCase, InvestigatingBody, Stage
from .stocks import latest_by

EventKind = CaseEvent.Kind
STAGE_AS_OF = "stage_as_of"
CORRUPTION_OR_ECONOMIC = Q(case__initiated_by_prosecutor=True) & (Q(case__corruption=True) | Q(case__economic=True))
SPECIAL_DRUGS = Q(case__investigating_body=InvestigatingBody.SPECIAL_PROSECUTORS, case__drugs=True)
OPEN_STAGES = (Stage.PRETRIAL, Stage.COURT)


def _known_by(moment: datetime, case_path: str = "case") -> QuerySet:
    """The events of the outer row's case dated by the moment's local day and entered by it."""
    return CaseEvent.objects.filter(case=OuterRef(case_path), on__lte=moment.date(), at__lte=moment)


def state_at(moment: datetime) -> Q:
    """Each case's state at `moment` (over CaseEvent): supervision.stocks.latest_by."""
    return latest_by(CaseEvent, "case", moment)


def _stage_as_of(window: Window) -> dict:
    """A case's stage as it stood at the window's "as of" moment (over CriminalCase)."""
    latest = _known_by(window.as_of, "pk").order_by("-on", "-at", "-pk").values("stage")[:1]
    return {STAGE_AS_OF: Subquery(latest)}


def _labels(dimension: str, keys: list) -> dict:
    choices = {"stage": Stage, "body": InvestigatingBody}.get(dimension)
    return {key: choices(key).label for key in keys if choices and key in choices.values}


def _cases_described(field: str = ""):
    def describe(rows: QuerySet) -> list[dict]:
        cases = [getattr(row, field) for row in rows.select_related(field)] if field else list(rows)
        return [
            {
                "link": reverse("supervision:case_detail", args=[case.pk]),
                "number": case.erdr_number,
                "article": case.article_display,
                "registered": case.registered_on.isoformat(),
                "stage": str(case.get_stage_display()),
            }
            for case in cases
        ]

    return describe


COLUMNS = {
    "number": _("ERDR number"),
    "article": _("article"),
    "registered": _("registered"),
    "stage": _("stage now"),
}


def _flow(code, name, definition, where, area, order, **more) -> Metric:
    return Metric(code=code, name=name, definition=definition, where=where, area=area, order=order, version=1, **more)


CHANGES = MetricGroup(
    name="supervision-case-changes",
    kind=Kind.FLOW,
    queryset=lambda: CaseEvent.objects.all(),
    region="case__region_id",
    district="case__district_id",
    effective="on",
    effective_is_day=True,
    recorded="at",
    dimensions={"body": "case__investigating_body"},
    labels=_labels,
    describe_rows=_cases_described("case"),
    columns=COLUMNS,
    metrics=(
        _flow(
            "prosecution.cases_in_court",
            _("Cases in which the state prosecution was supported in court"),
            _(
                "Criminal cases under the office's control sent to court in the period, in which the prosecutor "
                "supports the state prosecution: the change dated in the period and entered by the “as of” day."
            ),
            Q(kind=EventKind.STAGE, stage=Stage.COURT),
            Area.PROSECUTION,
            10,
            dimensions=("body",),
        ),
        _flow(
            "prosecution.verdicts",
            _("Verdicts delivered"),
            _("Verdicts delivered in the period on the cases under the office's control (an appeal's decision aside)."),
            Q(kind=EventKind.VERDICT),
            Area.PROSECUTION,
            11,
            parent="prosecution.cases_in_court",
        ),
        _flow(
            "prosecution.convicted",
            _("Persons convicted"),
            _("Persons convicted by the verdicts delivered in the period."),
            Q(kind=EventKind.VERDICT),
            Area.PROSECUTION,
            12,
            unit=Unit.PERSONS,
            sums="convicted",
        ),
        _flow(
            "prosecution.imprisoned",
            _("Persons sentenced to imprisonment"),
            _("Persons sentenced to imprisonment by the verdicts delivered in the period."),
            Q(kind=EventKind.VERDICT),
            Area.PROSECUTION,
            13,
            unit=Unit.PERSONS,
            sums="imprisoned",
            parent="prosecution.convicted",
        ),
        _flow(
            "prosecution.appeals_satisfied",
            _("Appellate petitions satisfied"),
            _("The prosecutors' appellate petitions satisfied by decisions dated in the period."),
            Q(kind=EventKind.APPEAL, appeal_satisfied=True),
            Area.PROSECUTION,
            14,
            rise_is_good=True,
        ),
        _flow(
            "prosecution.high_profile_verdicts",
            _("High-profile cases brought to verdict"),
            _("High-profile cases under the office's control whose verdict was delivered in the period."),
            Q(kind=EventKind.VERDICT, case__high_profile=True),
            Area.PROSECUTION,
            15,
        ),
        _flow(
            "drugs.seized_kg",
            _("Drugs seized"),
            _("Kilograms of drugs seized on the cases under the office's control, by seizures dated in the period."),
            Q(kind=EventKind.AMOUNTS, kg_added__gt=0),
            Area.DRUGS,
            10,
            unit=Unit.KG,
            sums="kg_added",
            hedging=Hedging.MORE_THAN,
            rise_is_good=True,
        ),
        _flow(
            "drugs.special_cases_to_court",
            _("Drug dealers' cases completed by the special prosecutors"),
            _("Drug cases investigated by the special prosecutors and sent to court in the period."),
            Q(kind=EventKind.STAGE, stage=Stage.COURT) & SPECIAL_DRUGS,
            Area.DRUGS,
            13,
            rise_is_good=True,
        ),
        _flow(
            "corruption.initiated_convicted",
            _("Corruption and economic cases initiated by the office: verdicts of conviction"),
            _(
                "Corruption and economic cases initiated by the prosecutor's office whose verdict, dated in the "
                "period, convicted at least one person."
            ),
            Q(kind=EventKind.VERDICT, convicted__gt=0) & CORRUPTION_OR_ECONOMIC,
            Area.CORRUPTION,
            10,
            rise_is_good=True,
        ),
    ),
)


STATE = MetricGroup(
    name="supervision-case-state",
    kind=Kind.STOCK,
    queryset=lambda: CaseEvent.objects.all(),
    region="case__region_id",
    district="case__district_id",
    state_at=state_at,
    dimensions={"body": "case__investigating_body", "stage": "stage"},
    labels=_labels,
    describe_rows=_cases_described("case"),
    columns=COLUMNS,
    metrics=(
        Metric(
            code="cases.under_investigation",
            name=_("Cases under pre-trial investigation"),
            definition=_("Cases under the office's control at the pre-trial investigation stage on the “as of” day."),
            where=Q(stage=Stage.PRETRIAL),
            area=Area.CRIME,
            dimensions=("body",),
            order=90,
        ),
        Metric(
            code="cases.in_custody",
            name=_("Persons in custody"),
            definition=_(
                "Persons in custody on the cases under investigation or before the court, on the “as of” day."
            ),
            where=Q(stage__in=OPEN_STAGES),
            sums="in_custody",
            unit=Unit.PERSONS,
            area=Area.CRIME,
            dimensions=("body",),
            order=91,
        ),
        Metric(
            code="drugs.special_in_custody",
            name=_("In custody on the special prosecutors' drug cases"),
            definition=_(
                "Persons in custody, on the “as of” day, on drug cases investigated by the special prosecutors "
                "and not yet decided by a verdict."
            ),
            where=Q(stage__in=OPEN_STAGES) & SPECIAL_DRUGS,
            sums="in_custody",
            unit=Unit.PERSONS,
            area=Area.DRUGS,
            order=14,
        ),
        Metric(
            code="corruption.initiated_under_investigation",
            name=_("Corruption and economic cases initiated by the office, under investigation"),
            definition=_(
                "Corruption and economic cases initiated by the prosecutor's office and at the pre-trial "
                "investigation stage on the “as of” day."
            ),
            where=Q(stage=Stage.PRETRIAL) & CORRUPTION_OR_ECONOMIC,
            area=Area.CORRUPTION,
            order=11,
        ),
    ),
)


REGISTERED = MetricGroup(
    name="supervision-cases-registered",
    kind=Kind.FLOW,
    queryset=lambda: CriminalCase.objects.all(),
    effective="registered_on",
    effective_is_day=True,
    recorded="recorded_at",
    annotate=_stage_as_of,
    dimensions={"stage": STAGE_AS_OF, "body": "investigating_body"},
    labels=_labels,
    describe_rows=_cases_described(),
    columns=COLUMNS,
    metrics=(
        Metric(
            code="drugs.labs_liquidated",
            name=_("Drug laboratories liquidated"),
            definition=_("Cases registered in the period in which a drug laboratory was uncovered and liquidated."),
            where=Q(drug_lab=True),
            area=Area.DRUGS,
            rise_is_good=True,
            order=11,
        ),
        Metric(
            code="drugs.shops_liquidated",
            name=_("Drug shops liquidated"),
            definition=_("Cases registered in the period in which a drug shop was liquidated."),
            where=Q(drug_shop=True),
            area=Area.DRUGS,
            rise_is_good=True,
            order=12,
        ),
        Metric(
            code="fraud.dropper_cases",
            name=_("Criminal cases against droppers"),
            definition=_(
                "Cases under Art. 190 or Art. 232-1 of the Criminal Code against droppers, registered in the "
                "period; by their stage on the “as of” day."
            ),
            where=~Q(dropper_article=""),
            area=Area.FRAUD,
            dimensions=("stage",),
            order=50,
        ),
    ),
)


# --- the summary's sentences (reporting.sentences) ---------------------------------------------------

SENTENCES = (
    Sentence(
        code="prosecution.state",
        area=Area.PROSECUTION,
        order=10,
        kk="Мемлекеттік айыптау {prosecution.cases_in_court|іс} бойынша қолдау тапты, "
        "{prosecution.verdicts|үкім} шығарылды, {prosecution.imprisoned|адам} бас бостандығынан айыруға сотталды, "
        "{prosecution.appeals_satisfied|апелляциялық өтінішхат} қанағаттандырылды.",
        ru="С участием государственного обвинителя в суд направлено {prosecution.cases_in_court|дело}, вынесено "
        "{prosecution.verdicts|приговор}, к лишению свободы осуждено {prosecution.imprisoned|лицо}, "
        "в апелляции удовлетворено {prosecution.appeals_satisfied|ходатайство}.",
        en="The state prosecution was supported in {prosecution.cases_in_court|case/cases}, "
        "{prosecution.verdicts|verdict/verdicts} delivered, {prosecution.imprisoned|person/persons} sentenced to "
        "imprisonment, {prosecution.appeals_satisfied|appellate petition/appellate petitions} satisfied.",
    ),
    Sentence(
        code="drugs.cases",
        area=Area.DRUGS,
        order=10,
        kk="{drugs.labs_liquidated|есірткі зертханасы} жойылды, {drugs.seized_kg} синтетикалық есірткі алынды.",
        ru="Ликвидировано {drugs.labs_liquidated|лаборатория} по производству наркотиков, изъято {drugs.seized_kg} "
        "синтетических наркотиков.",
        en="{drugs.labs_liquidated|drug laboratory/drug laboratories} liquidated, {drugs.seized_kg} of synthetic "
        "drugs seized.",
    ),
    Sentence(
        code="corruption.initiated",
        area=Area.CORRUPTION,
        order=10,
        kk="Прокуратура бастаған сыбайлас жемқорлық және экономикалық істердің {corruption.initiated_convicted|іс} "
        "бойынша кінәлілер сотталды, {corruption.initiated_under_investigation|іс} тергелуде.",
        ru="Из начатых прокуратурой коррупционных и экономических дел {corruption.initiated_convicted|дело} "
        "завершено осуждением виновных, {corruption.initiated_under_investigation|дело} расследуется.",
        en="Of the corruption and economic cases initiated by the prosecutor's office, "
        "{corruption.initiated_convicted|case/cases} ended in conviction and "
        "{corruption.initiated_under_investigation|case/cases} remain under investigation.",
    ),
)
