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
from django.db.models.fields import CharField, PositiveSmallIntegerField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Hedging, Kind, Metric, MetricGroup, Sentence, Unit, Window

from .models import SupervisoryAct, SupervisoryActEvent

Outcome = SupervisoryAct.Outcome

# The annotations of each window (_as_of_outcome): the act's outcome and officials held accountable as they
# stood at the window's "as of" moment (pending and 0 before its outcome was dated and entered).
OUTCOME_AS_OF = "outcome_as_of"
OFFICIALS_AS_OF = "officials_as_of"
SATISFIED = (Outcome.SATISFIED, Outcome.PARTLY)


def _decided_by(window: Window) -> Q:
    """Acts whose outcome was dated by the "as of" day and entered in Tartip by the moment."""
    entered = SupervisoryActEvent.objects.filter(
        act=OuterRef("pk"), kind=SupervisoryActEvent.Kind.OUTCOME, at__lte=window.as_of
    )
    return Q(outcome_at__lte=window.as_of_day) & ~Q(outcome=Outcome.PENDING) & Exists(entered)


def _as_of_outcome(window: Window) -> dict:
    """Each act's outcome and officials held accountable as they stood at the window's "as of"
    moment (pending and 0 before its outcome was dated and entered), which the metrics read."""
    decided = _decided_by(window)
    return {
        OUTCOME_AS_OF: Case(When(decided, then=F("outcome")), default=Value(Outcome.PENDING), output_field=CharField()),
        OFFICIALS_AS_OF: Case(
            When(decided, then=F("officials_disciplined")), default=Value(0), output_field=PositiveSmallIntegerField()
        ),
    }


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "type":
        return {key: SupervisoryAct.Type(key).label for key in keys if key in SupervisoryAct.Type.values}
    if dimension == "outcome":
        return {key: Outcome(key).label for key in keys if key in Outcome.values}
    return {}


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
    dimensions={"type": "type", "outcome": OUTCOME_AS_OF},
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
                "Acts of prosecutorial response (submissions, protests, warnings, instructions...) dated in the "
                "period and entered in Tartip by the end of the “as of” day, counted by the act's own date; by "
                "outcome, the outcome dated and entered by that day (pending until then)."
            ),
            area=Area.FSM_SOCIAL,
            hedging=Hedging.EXACT,
            dimensions=("type", "outcome"),
            version=1,
            order=80,
        ),
        Metric(
            code="fsm.acts.satisfied",
            name=_("Acts of response satisfied"),
            definition=_(
                "Of the acts of prosecutorial response dated in the period, those the addressee satisfied in full "
                "or in part, by an outcome dated and entered in Tartip by the end of the “as of” day."
            ),
            area=Area.FSM_SOCIAL,
            where=Q(**{f"{OUTCOME_AS_OF}__in": SATISFIED}),
            rise_is_good=True,
            hedging=Hedging.EXACT,
            parent="fsm.acts.recorded",
            dimensions=("type",),
            version=1,
            order=81,
        ),
        Metric(
            code="fsm.acts.officials_held_accountable",
            name=_("Officials held accountable through acts of response"),
            definition=_(
                "Officials the addressees held accountable on the acts of prosecutorial response dated in the "
                "period, as given with each act's outcome dated and entered in Tartip by the end of the “as of” day."
            ),
            unit=Unit.PERSONS,
            area=Area.FSM_SOCIAL,
            sums=OFFICIALS_AS_OF,
            rise_is_good=True,
            hedging=Hedging.EXACT,
            dimensions=("type",),
            version=1,
            order=82,
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
)
