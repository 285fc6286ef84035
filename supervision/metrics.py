"""FSM Social's figures of the acts of prosecutorial response, for the results summary (lib.metrics;
docs/metrics.md): the acts recorded (by type, and by their outcome as of the date), those the
addressee satisfied, and the officials held accountable through them.

An act is a flow by its own date (`date`, a local day) among the acts entered in Tartip
(`created_at`) by the "as of" moment. Its outcome is a later fact with its own date
(`outcome_at`, a local day) and its own entry (the act's "outcome" event): a figure read as of a
day knows the outcomes dated and entered by the end of that day, and no other, so a summary
computed again later gives the same numbers. The acts are counted in the district they concern
(SupervisoryAct.district, supervision.districts), or in the region's total only.
"""

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields import CharField, PositiveIntegerField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Hedging, Kind, Metric, MetricGroup, Sentence, Unit, Window

from .models import ASSESSED_HEADINGS, ActAmount, BusinessMatter, SupervisoryAct, SupervisoryActEvent

Outcome = SupervisoryAct.Outcome

# The annotations of each window (_as_of_outcome): the act's outcome and officials held accountable as they
# stood at the window's "as of" moment (pending and 0 before its outcome was dated and entered).
OUTCOME_AS_OF = "outcome_as_of"
OFFICIALS_AS_OF = "officials_as_of"
# FSM Social's acts: those of its area, or of none (the acts recorded before acts had areas, and
# those their author left without one).
FSM_ACTS = Q(area__in=("", Area.FSM_SOCIAL))
CONSTRUCTION_CLAIMS = Q(type=SupervisoryAct.Type.CLAIM, area=Area.CONSTRUCTION)
SATISFIED = (Outcome.SATISFIED, Outcome.PARTLY)


def _decided_by(window: Window) -> Q:
    """Acts whose outcome was dated by the "as of" day and entered in Tartip by the moment."""
    entered = SupervisoryActEvent.objects.filter(
        act=OuterRef("pk"), kind=SupervisoryActEvent.Kind.OUTCOME, at__lte=window.as_of
    )
    return Q(outcome_at__lte=window.as_of_day) & ~Q(outcome=Outcome.PENDING) & Exists(entered)


def _as_of_outcome(window: Window) -> dict:
    """Each act's outcome and officials held accountable (the three liabilities) as they stood at
    the window's "as of" moment (pending and 0 before its outcome was dated and entered), which the
    metrics read."""
    decided = _decided_by(window)
    officials = F("officials_disciplined") + F("officials_administrative") + F("officials_criminal")
    return {
        OUTCOME_AS_OF: Case(When(decided, then=F("outcome")), default=Value(Outcome.PENDING), output_field=CharField()),
        OFFICIALS_AS_OF: Case(When(decided, then=officials), default=Value(0), output_field=PositiveIntegerField()),
    }


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "type":
        return {key: SupervisoryAct.Type(key).label for key in keys if key in SupervisoryAct.Type.values}
    if dimension == "outcome":
        return {key: Outcome(key).label for key in keys if key in Outcome.values}
    choices = {"area": Area, "heading": ActAmount.Heading, "recovery": ActAmount.Recovery}.get(dimension)
    return {key: choices(key).label for key in keys if choices and key in choices.values}


def _acts_described(acts: QuerySet) -> list[dict]:
    """The acts behind a figure: outgoing number, type, date, issuing office and outcome (as of the
    figure's date when the rows carry it); nothing about the addressee's officials or the reporters."""
    described = []
    for act in acts.select_related("issuing_office"):
        outcome = getattr(act, OUTCOME_AS_OF, act.outcome)
        described.append(
            {
                "link": reverse("supervision:act_detail", args=[act.pk]),
                "number": act.outgoing_number,
                "type": str(act.get_type_display()),
                "date": act.date.isoformat(),
                "office": act.issuing_office.name,
                "outcome": str(Outcome(outcome).label),
            }
        )
    return described


def _sum_of(code, name, definition, field, area, order, hedging=Hedging.EXACT, where=None, unit=Unit.PERSONS, **more):
    return Metric(
        code=code, name=name, definition=definition, sums=field, area=area, order=order, hedging=hedging,
        where=where or Q(), unit=unit, rise_is_good=True, version=1, **more,
    )  # fmt: skip


# What the acts of every area achieved (the board's sections), by the act's date.
RESULTS = (
    _sum_of(
        "public_interests.violations",
        _("Violations of law identified"),
        _("Violations of law identified by the acts of prosecutorial response dated in the period."),
        "violations",
        Area.PUBLIC_INTERESTS,
        5,
        Hedging.MORE_THAN,
        unit=Unit.COUNT,
        dimensions=("area",),
    ),
    _sum_of(
        "public_interests.citizens_restored",
        _("Citizens whose rights were restored"),
        _(
            "Citizens whose rights the acts dated in the period restored, counted once: an act about citizens "
            "another act counted adds none."
        ),
        "citizens",
        Area.PUBLIC_INTERESTS,
        6,
        Hedging.OVER,
    ),
    _sum_of(
        "public_interests.officials_held_accountable",
        _("Officials held accountable"),
        _(
            "Officials held to disciplinary, administrative or criminal liability on the acts of supervision dated "
            "in the period (FSM Social's apart: its own figure), as given with each act's outcome dated and entered "
            "by the end of the “as of” day."
        ),
        OFFICIALS_AS_OF,
        Area.PUBLIC_INTERESTS,
        7,
        Hedging.ABOUT,
        where=~FSM_ACTS,
        dimensions=("type",),
    ),
    Metric(
        code="construction.claims_satisfied",
        name=_("Claims for shared-equity holders satisfied"),
        definition=_(
            "Claims to court for shared-equity holders filed in the period that the court satisfied, by a decision "
            "dated and entered by the end of the “as of” day."
        ),
        where=CONSTRUCTION_CLAIMS & Q(**{f"{OUTCOME_AS_OF}__in": SATISFIED}),
        area=Area.CONSTRUCTION,
        rise_is_good=True,
        order=10,
    ),
    _sum_of(
        "construction.holders_satisfied",
        _("Shared-equity holders whose claims were satisfied"),
        _("Shared-equity holders named by the claims satisfied (filed in the period, decided by the “as of” day)."),
        "equity_holders",
        Area.CONSTRUCTION,
        11,
        where=CONSTRUCTION_CLAIMS & Q(**{f"{OUTCOME_AS_OF}__in": SATISFIED}),
    ),
    Metric(
        code="construction.claims_in_court",
        name=_("Claims for shared-equity holders before the court"),
        definition=_(
            "Claims to court for shared-equity holders filed in the period and not decided by the “as of” day."
        ),
        where=CONSTRUCTION_CLAIMS & Q(**{OUTCOME_AS_OF: Outcome.PENDING}),
        area=Area.CONSTRUCTION,
        order=12,
    ),
    _sum_of(
        "construction.holders_in_court",
        _("Shared-equity holders whose claims are before the court"),
        _("Shared-equity holders named by the claims filed in the period and not decided by the “as of” day."),
        "equity_holders",
        Area.CONSTRUCTION,
        13,
        where=CONSTRUCTION_CLAIMS & Q(**{OUTCOME_AS_OF: Outcome.PENDING}),
    ),
    _sum_of(
        "children.orphans_housed",
        _("Orphans given housing"),
        _("Orphans given housing (an apartment each) on the acts dated in the period."),
        "orphans",
        Area.CHILDREN,
        10,
    ),
    _sum_of(
        "business.investors_protected",
        _("Investors protected"),
        _("Investors whose rights the acts dated in the period protected."),
        "investors",
        Area.BUSINESS,
        20,
    ),
    _sum_of(
        "business.inspection_officials",
        _("Officials held liable for illegal inspections"),
        _(
            "Officials held liable (Administrative Offences Code, Art. 173 and 175, or otherwise) on the acts about "
            "illegal inspections dated in the period, as given with their outcome by the “as of” day."
        ),
        OFFICIALS_AS_OF,
        Area.BUSINESS,
        21,
        where=Q(business_matter=BusinessMatter.ILLEGAL_INSPECTION),
    ),
    _sum_of(
        "business.entrepreneurs_freed",
        _("Entrepreneurs freed by annulled rulings"),
        _("Entrepreneurs freed from liability by the rulings annulled on the acts dated in the period."),
        "entrepreneurs",
        Area.BUSINESS,
        22,
        where=Q(business_matter=BusinessMatter.ANNULLED_RULING),
    ),
    _sum_of(
        "business.tariff_enterprises",
        _("Enterprises whose tariffs were reduced"),
        _("Enterprises whose tariffs the acts dated in the period had reduced."),
        "entrepreneurs",
        Area.BUSINESS,
        23,
        where=Q(business_matter=BusinessMatter.TARIFF),
        unit=Unit.COUNT,
    ),
)


ACTS = MetricGroup(
    name="supervision-acts",
    kind=Kind.FLOW,
    queryset=lambda: SupervisoryAct.objects.all(),
    region="region_id",
    district="district_id",
    effective="date",  # a local day, compared with the window's days
    effective_is_day=True,
    recorded="created_at",
    annotate=_as_of_outcome,
    dimensions={"type": "type", "outcome": OUTCOME_AS_OF, "area": "area"},
    labels=_labels,
    describe_rows=_acts_described,
    columns={
        "number": _("outgoing number"),
        "type": _("type"),
        "date": _("date"),
        "office": _("issuing office"),
        "outcome": _("outcome"),
    },
    metrics=(
        Metric(
            code="fsm.acts.recorded",
            name=_("Acts of prosecutorial response"),
            definition=_(
                "Acts of prosecutorial response of FSM Social (submissions, protests, warnings, instructions...: "
                "those of its area or of none), dated in the period and entered in Tartip by the end of the “as of” "
                "day, counted by the act's own date; by outcome, the outcome dated and entered by that day (pending "
                "until then)."
            ),
            area=Area.FSM_SOCIAL,
            where=FSM_ACTS,
            hedging=Hedging.EXACT,
            dimensions=("type", "outcome"),
            version=2,
            order=80,
        ),
        Metric(
            code="fsm.acts.satisfied",
            name=_("Acts of response satisfied"),
            definition=_(
                "Of FSM Social's acts of prosecutorial response dated in the period, those the addressee "
                "satisfied in full or in part, by an outcome dated and entered in Tartip by the end of the “as of” "
                "day."
            ),
            area=Area.FSM_SOCIAL,
            where=FSM_ACTS & Q(**{f"{OUTCOME_AS_OF}__in": SATISFIED}),
            rise_is_good=True,
            hedging=Hedging.EXACT,
            parent="fsm.acts.recorded",
            dimensions=("type",),
            version=2,
            order=81,
        ),
        Metric(
            code="fsm.acts.officials_held_accountable",
            name=_("Officials held accountable through acts of response"),
            definition=_(
                "Officials the addressees held accountable (disciplinary, administrative or criminal liability) on "
                "FSM Social's acts of prosecutorial response dated in the period, as given with each "
                "act's outcome dated and entered in Tartip by the end of the “as of” day."
            ),
            unit=Unit.PERSONS,
            area=Area.FSM_SOCIAL,
            where=FSM_ACTS,
            sums=OFFICIALS_AS_OF,
            rise_is_good=True,
            hedging=Hedging.EXACT,
            dimensions=("type",),
            version=2,
            order=82,
        ),
        *RESULTS,
    ),
)


def _amounts_described(entries: QuerySet) -> list[dict]:
    """The amounts behind a figure: each with its act (number, type, date, office)."""
    described = []
    for entry in entries.select_related("act__issuing_office"):
        act = entry.act
        described.append(
            {
                "link": reverse("supervision:act_detail", args=[act.pk]),
                "number": act.outgoing_number,
                "type": str(act.get_type_display()),
                "date": entry.on.isoformat(),
                "office": act.issuing_office.name,
                "heading": str(entry.get_heading_display()),
                "amount": str(entry.amount),
            }
        )
    return described


def _amount(code, name, definition, where, area, order, hedging, **more) -> Metric:
    return Metric(
        code=code, name=name, definition=definition, where=where, sums="amount", unit=Unit.TENGE, area=area,
        order=order, hedging=hedging, rise_is_good=True, version=1, **more,
    )  # fmt: skip


Heading = ActAmount.Heading

# The acts' amounts, each a dated entry (ActAmount): a flow by the entry's own date, entered by the
# "as of" moment.
AMOUNTS = MetricGroup(
    name="supervision-act-amounts",
    kind=Kind.FLOW,
    queryset=lambda: ActAmount.objects.all(),
    region="act__region_id",
    district="act__district_id",
    effective="on",
    effective_is_day=True,
    recorded="at",
    dimensions={"heading": "heading", "recovery": "recovery", "area": "act__area"},
    labels=_labels,
    describe_rows=_amounts_described,
    columns={
        "number": _("outgoing number"),
        "type": _("type"),
        "date": _("date"),
        "office": _("issuing office"),
        "heading": _("heading"),
        "amount": _("amount, tenge"),
    },
    metrics=(
        _amount(
            "public_interests.assessed",
            _("Fines and damages assessed"),
            _(
                "Damage and fines assessed on the acts of prosecutorial response, by entries dated in the period "
                "(preliminary ones included) and entered by the end of the “as of” day."
            ),
            Q(heading__in=ASSESSED_HEADINGS),
            Area.PUBLIC_INTERESTS,
            10,
            Hedging.ABOUT,
            dimensions=("heading",),
        ),
        _amount(
            "public_interests.recovered",
            _("Fines and damages recovered"),
            _("Amounts recovered on the acts, voluntarily or through the courts, by entries dated in the period."),
            Q(heading=Heading.RECOVERED),
            Area.PUBLIC_INTERESTS,
            11,
            Hedging.ABOUT,
            dimensions=("recovery",),
        ),
        _amount(
            "budget.misuse_prevented",
            _("Misuse of budget funds prevented"),
            _("Budget funds whose misuse the acts prevented, by entries dated in the period."),
            Q(heading=Heading.MISUSE_PREVENTED),
            Area.BUDGET,
            9,
            Hedging.MORE_THAN,
        ),
        _amount(
            "budget.reimbursed",
            _("Budget funds reimbursed"),
            _("Budget funds reimbursed on the acts, by entries dated in the period."),
            Q(heading=Heading.REIMBURSED),
            Area.BUDGET,
            10,
            Hedging.EXACT,
        ),
        _amount(
            "budget.to_state_budget",
            _("Of which to the state budget"),
            _("Of the budget funds reimbursed, those returned to the state budget, by entries dated in the period."),
            Q(heading=Heading.TO_STATE_BUDGET),
            Area.BUDGET,
            11,
            Hedging.EXACT,
            parent="budget.reimbursed",
        ),
    ),
)


# --- the summary's sentence about the acts of response (reporting.sentences) ------------------------

SENTENCES = (
    Sentence(
        code="fsm.acts",
        area=Area.FSM_SOCIAL,
        order=60,
        kk="{fsm.acts.recorded|прокурорлық ықпал ету актісі} енгізілді, олар бойынша "
        "{fsm.acts.officials_held_accountable|лауазымды адам} жауапкершілікке тартылды.",
        ru="Внесено {fsm.acts.recorded|акт} прокурорского реагирования, по ним к ответственности привлечено "
        "{fsm.acts.officials_held_accountable|лицо}.",
        en="{fsm.acts.recorded|act/acts} of prosecutorial response issued, "
        "{fsm.acts.officials_held_accountable|official/officials} held accountable through them.",
    ),
    Sentence(
        code="public_interests.results",
        area=Area.PUBLIC_INTERESTS,
        order=10,
        kk="Қоғамдық мүддені қорғау саласында {public_interests.violations|заң бұзушылық} анықталды, "
        "{public_interests.citizens_restored|азамат} құқығы қалпына келтірілді, "
        "{public_interests.officials_held_accountable|лауазымды адам} жауапкершілікке тартылды, "
        "{public_interests.assessed} айыппұл мен залал есептелді.",
        ru="В сфере защиты общественных интересов выявлено {public_interests.violations|нарушение} закона, "
        "восстановлены права граждан ({public_interests.citizens_restored}), к ответственности привлечено "
        "{public_interests.officials_held_accountable|лицо}, начислено {public_interests.assessed} штрафов и ущерба.",
        en="In the protection of public interests {public_interests.violations|violation/violations} of law were "
        "identified, the rights of {public_interests.citizens_restored|citizen/citizens} restored, "
        "{public_interests.officials_held_accountable|official/officials} held accountable and "
        "{public_interests.assessed} of fines and damages assessed.",
    ),
    Sentence(
        code="budget.results",
        area=Area.BUDGET,
        order=10,
        kk="{budget.misuse_prevented} бюджет қаражатын заңсыз игерудің алдын алынды, {budget.reimbursed} өтелді, "
        "оның ішінде мемлекеттік бюджетке {budget.to_state_budget}.",
        ru="Предотвращено нецелевое использование бюджетных средств на {budget.misuse_prevented}, возмещено "
        "{budget.reimbursed}, в том числе в государственный бюджет {budget.to_state_budget}.",
        en="Misuse of {budget.misuse_prevented} of budget funds was prevented, {budget.reimbursed} reimbursed, of "
        "which {budget.to_state_budget} to the state budget.",
    ),
    Sentence(
        code="construction.claims",
        area=Area.CONSTRUCTION,
        order=10,
        kk="Үлескерлердің мүддесі үшін {construction.claims_satisfied|талап} қанағаттандырылды "
        "({construction.holders_satisfied|адам}), {construction.claims_in_court|талап} сотта қаралуда "
        "({construction.holders_in_court|адам}).",
        ru="В интересах дольщиков удовлетворено {construction.claims_satisfied|иск} "
        "(дольщиков: {construction.holders_satisfied}), на рассмотрении суда {construction.claims_in_court|иск} "
        "(дольщиков: {construction.holders_in_court}).",
        en="For shared-equity holders {construction.claims_satisfied|claim/claims} were satisfied "
        "({construction.holders_satisfied|holder/holders}), {construction.claims_in_court|claim/claims} "
        "are before the court ({construction.holders_in_court|holder/holders}).",
    ),
    Sentence(
        code="children.orphans",
        area=Area.CHILDREN,
        order=20,
        kk="Жетім балаларға {children.orphans_housed|пәтер} берілді.",
        ru="Детям-сиротам предоставлено {children.orphans_housed|квартира}.",
        en="{children.orphans_housed|apartment/apartments} given to orphans.",
    ),
    Sentence(
        code="business.acts",
        area=Area.BUSINESS,
        order=20,
        kk="Инвесторлардың құқығы қорғалды ({business.investors_protected}), {business.tariff_enterprises|кәсіпорын} "
        "үшін тарифтер төмендетілді, заңсыз тексерістер үшін {business.inspection_officials|лауазымды адам} "
        "жауапкершілікке тартылды, {business.entrepreneurs_freed|кәсіпкер} жауапкершіліктен босатылды.",
        ru="Защищены права инвесторов ({business.investors_protected}), снижены тарифы для предприятий "
        "({business.tariff_enterprises}), за незаконные проверки к ответственности привлечено "
        "{business.inspection_officials|лицо}, от ответственности освобождено "
        "{business.entrepreneurs_freed|предприниматель}.",
        en="The rights of {business.investors_protected|investor/investors} were protected, tariffs reduced for "
        "{business.tariff_enterprises|enterprise/enterprises}, {business.inspection_officials|official/officials} "
        "held liable for illegal inspections and {business.entrepreneurs_freed|entrepreneur/entrepreneurs} freed "
        "from liability.",
    ),
)
