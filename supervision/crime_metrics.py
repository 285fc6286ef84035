"""Crime statistics' figures for the results summary (lib.metrics; docs/supervision.md).

An offence counts by its registration date (a local day) among the rows imported by the "as of"
moment (`recorded_at`: the end of the import that gave it) and not yet replaced then by a later
import of its period (`replaced_at`): a summary computed again later, as of the same day, gives
the same numbers even after the statistics were corrected.

"Registered crimes" are the four categories of crimes (minor, medium gravity, grave, particularly
grave: Criminal Code Art. 10-11); criminal misdemeanours are counted apart, and so are the rows
whose gravity neither the file nor the gravity table gives. This is how the board's documents read
("a reduction in registered crimes by 3.8 %, particularly serious crimes by 61 % ..."): their
categories add up to their crimes, and misdemeanours are reported on their own.
"""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.metrics import Area, Kind, Metric, MetricGroup, Sentence

from .models import CRIME_CATEGORIES, CrimeRecord, Gravity

CRIMES = Q(gravity__in=CRIME_CATEGORIES)


def _labels(dimension: str, keys: list) -> dict:
    if dimension == "gravity":
        return {key: Gravity(key).label for key in keys if key in Gravity.values}
    return {}


def _rows_described(records: QuerySet) -> list[dict]:
    """The offences behind a figure: registration date, district, article and part, gravity,
    solved; the import that gave each is its link (no offence has a page of its own)."""
    return [
        {
            "link": reverse("supervision:crime_import", args=[record.crime_import_id]),
            "date": record.registered_on.isoformat(),
            "district": record.district.name,
            "article": f"{record.article}{f' ч.{record.part}' if record.part else ''}",
            "gravity": str(Gravity(record.gravity).label) if record.gravity else str(_("unknown")),
            "solved": str(_("yes") if record.solved else _("no")),
        }
        for record in records.select_related("district")
    ]


def _crimes(code: str, gravity: str, name, definition, order: int) -> Metric:
    return Metric(
        code=code,
        name=name,
        definition=definition,
        area=Area.CRIME,
        where=Q(gravity=gravity),
        rise_is_good=False,
        parent="crime.registered",
        order=order,
    )


CRIME = MetricGroup(
    name="supervision-crime",
    kind=Kind.FLOW,
    queryset=lambda: CrimeRecord.objects.all(),
    region="region_id",
    district="district_id",
    effective="registered_on",
    effective_is_day=True,
    recorded="recorded_at",
    withdrawn="replaced_at",
    dimensions={"gravity": "gravity"},
    labels=_labels,
    describe_rows=_rows_described,
    columns={
        "date": _("registered"),
        "district": _("district"),
        "article": _("article"),
        "gravity": _("gravity"),
        "solved": _("solved"),
    },
    metrics=(
        Metric(
            code="crime.registered",
            name=_("Registered crimes"),
            definition=_(
                "Crimes registered in the period (by their registration date), of the four categories: minor, "
                "medium gravity, grave and particularly grave. Criminal misdemeanours are not counted here, nor "
                "offences whose gravity is unknown. From the crime statistics imported by the “as of” day."
            ),
            area=Area.CRIME,
            where=CRIMES,
            rise_is_good=False,
            dimensions=("gravity",),
            order=10,
        ),
        _crimes(
            "crime.registered.particularly_grave",
            Gravity.PARTICULARLY_GRAVE,
            _("Particularly grave crimes"),
            _("Particularly grave crimes registered in the period, by their registration date."),
            11,
        ),
        _crimes(
            "crime.registered.grave",
            Gravity.GRAVE,
            _("Grave crimes"),
            _("Grave crimes registered in the period, by their registration date."),
            12,
        ),
        _crimes(
            "crime.registered.medium",
            Gravity.MEDIUM,
            _("Crimes of medium gravity"),
            _("Crimes of medium gravity registered in the period, by their registration date."),
            13,
        ),
        _crimes(
            "crime.registered.minor",
            Gravity.MINOR,
            _("Crimes of minor gravity"),
            _("Crimes of minor gravity registered in the period, by their registration date."),
            14,
        ),
        Metric(
            code="crime.misdemeanours",
            name=_("Criminal misdemeanours"),
            definition=_(
                "Criminal misdemeanours registered in the period, by their registration date: counted apart from "
                "the crimes."
            ),
            area=Area.CRIME,
            where=Q(gravity=Gravity.MISDEMEANOUR),
            rise_is_good=False,
            order=15,
        ),
        Metric(
            code="crime.gravity_unknown",
            name=_("Offences of unknown gravity"),
            definition=_(
                "Offences registered in the period whose gravity neither the imported file nor the gravity table "
                "of the Criminal Code's articles gives: counted neither as crimes nor as misdemeanours until the "
                "table is filled and the period imported again."
            ),
            area=Area.CRIME,
            where=Q(gravity__isnull=True),
            order=16,
        ),
        Metric(
            code="crime.solved",
            name=_("Crimes solved"),
            definition=_(
                "Of the crimes registered in the period (the four categories), those the statistics mark solved."
            ),
            area=Area.CRIME,
            where=CRIMES & Q(solved=True),
            rise_is_good=True,
            parent="crime.registered",
            dimensions=("gravity",),
            order=17,
        ),
        Metric(
            code="crime.by_minors",
            name=_("Crimes committed by minors"),
            definition=_("Crimes registered in the period (the four categories) committed by a minor."),
            area=Area.CHILDREN,
            where=CRIMES & Q(by_minor=True),
            rise_is_good=False,
            order=10,
        ),
        Metric(
            code="crime.against_minors",
            name=_("Crimes against minors"),
            definition=_("Crimes registered in the period (the four categories) committed against a minor."),
            area=Area.CHILDREN,
            where=CRIMES & Q(against_minor=True),
            rise_is_good=False,
            order=11,
        ),
    ),
)


SENTENCES = (
    Sentence(
        code="crime.registered",
        area=Area.CRIME,
        order=10,
        kk="Тіркелген қылмыстар саны {crime.registered.change} {crime.registered.trend|өсті|төмендеді}, оның ішінде "
        "аса ауыр қылмыстар — {crime.registered.particularly_grave.change} "
        "{crime.registered.particularly_grave.trend|өсті|төмендеді}, ауыр қылмыстар — {crime.registered.grave.change} "
        "{crime.registered.grave.trend|өсті|төмендеді}, ауырлығы орташа қылмыстар — {crime.registered.medium.change} "
        "{crime.registered.medium.trend|өсті|төмендеді}, онша ауыр емес қылмыстар — {crime.registered.minor.change} "
        "{crime.registered.minor.trend|өсті|төмендеді}.",
        ru="Число зарегистрированных преступлений {crime.registered.trend|выросло|снизилось} "
        "на {crime.registered.change}, в том числе особо тяжких — "
        "{crime.registered.particularly_grave.trend|рост|снижение} "
        "на {crime.registered.particularly_grave.change}, тяжких — "
        "{crime.registered.grave.trend|рост|снижение} на {crime.registered.grave.change}, "
        "средней тяжести — {crime.registered.medium.trend|рост|снижение} "
        "на {crime.registered.medium.change}, небольшой тяжести — "
        "{crime.registered.minor.trend|рост|снижение} на {crime.registered.minor.change}.",
        en="Registered crimes {crime.registered.trend|rose|fell} by {crime.registered.change}: particularly grave "
        "crimes {crime.registered.particularly_grave.trend|rose|fell} by {crime.registered.particularly_grave.change}, "
        "grave crimes {crime.registered.grave.trend|rose|fell} by {crime.registered.grave.change}, crimes of medium "
        "gravity {crime.registered.medium.trend|rose|fell} by {crime.registered.medium.change}, and minor crimes "
        "{crime.registered.minor.trend|rose|fell} by {crime.registered.minor.change}.",
    ),
    Sentence(
        code="crime.misdemeanours",
        area=Area.CRIME,
        order=11,
        kk="Қылмыстық теріс қылықтар саны {crime.misdemeanours.change} {crime.misdemeanours.trend|өсті|төмендеді}.",
        ru="Число уголовных проступков {crime.misdemeanours.trend|выросло|снизилось} на {crime.misdemeanours.change}.",
        en="Criminal misdemeanours {crime.misdemeanours.trend|rose|fell} by {crime.misdemeanours.change}.",
    ),
)
