"""Writes of criminal cases under the office's control: a case taken under control, and each later
change (stage, persons, amounts, verdict, appellate petition) as a dated CaseEvent carrying the case
as it stood after it (supervision.models.cases). The case's own columns are kept equal to its latest
event's, so lists read them; the summary reads the events.

Every function is keyword-only, runs in one transaction and takes `actor=`: a prosecutor of the
controlling office (supervision.scoping.may_keep). `now=` is the moment the change is entered: the
demo writes its history with it; views never pass it.
"""

import re
from datetime import date as Date
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation
from accounts.scoping import office_district_ids
from accounts.zones import local_today, region_id_zone

from ..models import CaseEvent, CriminalCase, DropperArticle, Gravity, InvestigatingBody, Stage
from ..scoping import ACT_AUTHORS, may_keep

Kind = CaseEvent.Kind

# The unified register of pre-trial investigations (ERDR) opened with the Criminal Procedure Code
# on 1 January 2015. Its numbers are 15 digits, the first two the year of registration; no public
# description of the other digits was found, so nothing else is checked (docs/supervision.md).
ERDR_DIGITS = 15
ERDR_FIRST_YEAR = 2015
ERDR_FORMAT = re.compile(r"^\d{15}$")
ARTICLE = re.compile(r"^\d{1,3}(-\d{1,2})?$")
PART = re.compile(r"^\d{1,2}$")
SUMMARY_MAX = 2000
NOTE_MAX = 500
PERSONS_MAX = 1000
KG_MAX = Decimal("100000")
TENGE_MAX = Decimal("1e14")
FLAGS = (
    "high_profile",
    "special_control",
    "corruption",
    "economic",
    "drugs",
    "drug_lab",
    "drug_shop",
    "by_minor",
    "against_minor",
)
# Where each stage may go next: a case sent to court may come back for further investigation; a
# verdict may be appealed, and an appeal ends in a verdict again (case_appeal).
NEXT_STAGES = {
    Stage.PRETRIAL: {Stage.COURT, Stage.CLOSED},
    Stage.COURT: {Stage.VERDICT, Stage.PRETRIAL, Stage.CLOSED},
    Stage.VERDICT: {Stage.APPEAL},
    Stage.APPEAL: set(),
    Stage.CLOSED: {Stage.PRETRIAL},
}
SNAPSHOT = ("stage", "charged", "in_custody", "damage", "recovered", "seized_kg", "convicted", "imprisoned")


def erdr_number_clean(raw: str, registered_on: Date | None = None) -> str:
    """The number as 15 digits (spaces and dashes dropped), or a ValidationError naming the format."""
    number = re.sub(r"[\s\-]", "", raw or "")
    if not ERDR_FORMAT.match(number):
        raise ValidationError(
            _(
                "An ERDR number is %(digits)d digits, the first two the year of registration "
                "(for 2025: 25 followed by 13 digits)."
            )
            % {"digits": ERDR_DIGITS}
        )
    year = 2000 + int(number[:2])
    if registered_on is not None and year != registered_on.year:
        raise ValidationError(
            _("The ERDR number starts with %(prefix)s: the year of registration %(year)d starts it with %(expected)s.")
            % {"prefix": number[:2], "year": registered_on.year, "expected": f"{registered_on.year % 100:02d}"}
        )
    if year < ERDR_FIRST_YEAR:
        raise ValidationError(_("The ERDR opened in 2015: a number starts with 15 or a later year."))
    return number


def _require_recorder(actor, office: Organisation) -> None:
    if actor is None or not actor.is_authenticated or not (actor.is_superuser or actor.role in ACT_AUTHORS):
        raise PermissionDenied(_("Only a prosecutor may take a case under control."))
    if not actor.is_superuser and office.pk != actor.organisation_id:
        raise PermissionDenied(_("A case is controlled by your own prosecutor's office."))
    if office.kind != Organisation.Kind.PROSECUTOR_OFFICE or office.region_id is None:
        raise PermissionDenied(_("Cases are controlled by a prosecutor's office of a region."))


def _require_keeper(actor, case: CriminalCase) -> None:
    if not may_keep(actor, case):
        raise PermissionDenied(_("Only a prosecutor of the office controlling the case may change it."))


def _count(value, field: str, errors: dict, limit: int = PERSONS_MAX) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        errors.setdefault(field, []).append(_("Enter a whole number from 0 to %(limit)d.") % {"limit": limit})
        return 0
    return value


def _amount(value, field: str, errors: dict, limit: Decimal = TENGE_MAX) -> Decimal:
    try:
        amount = Decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= limit:
        errors.setdefault(field, []).append(_("Enter an amount of 0 or more."))
        return Decimal(0)
    return amount


def _day(value, field: str, errors: dict, *, region_id: int, not_before: Date | None, before_message) -> Date | None:
    if not isinstance(value, Date):
        errors.setdefault(field, []).append(_("Enter a date."))
        return None
    if value > local_today(region_id_zone(region_id)):
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    elif not_before is not None and value < not_before:
        errors.setdefault(field, []).append(before_message)
    return value


def _snapshot(case: CriminalCase) -> dict:
    return {name: getattr(case, name) for name in SNAPSHOT}


def _append(case: CriminalCase, kind: str, on: Date, actor, now: datetime, note: str = "", **added) -> CaseEvent:
    """The event of a change already applied to `case` (locked), and the case's columns saved."""
    case.stage_on = on if kind in (Kind.RECORDED, Kind.STAGE, Kind.VERDICT, Kind.APPEAL) else case.stage_on
    case.save()
    return CaseEvent.objects.create(
        case=case, kind=kind, on=on, at=now, actor=actor, note=note, **_snapshot(case), **added
    )


@transaction.atomic
def case_record(
    *,
    actor,
    office: Organisation,
    district: District,
    erdr_number: str,
    registered_on: Date,
    article: str,
    article_part: str = "",
    gravity: str = "",
    investigating_body: str,
    initiated_by_prosecutor: bool = False,
    summary: str,
    dropper_article: str = "",
    charged: int = 0,
    in_custody: int = 0,
    damage=0,
    flags: dict | None = None,
    now: datetime | None = None,
) -> CriminalCase:
    """Take a case under the actor's office's control, as it stands on its registration day."""
    _require_recorder(actor, office)
    errors: dict = {}
    if district is None or district.region_id != office.region_id:
        errors.setdefault("district", []).append(_("Choose a district of the region."))
    elif not actor.is_superuser and district.pk not in office_district_ids(office) and office.districts.exists():
        # A district office controls its districts' cases; the regional office serves none by
        # itself (no districts) and controls any of the region's.
        errors.setdefault("district", []).append(_("Choose a district your office serves."))
    registered_on = _day(
        registered_on, "registered_on", errors, region_id=office.region_id, not_before=None, before_message=""
    )
    try:
        number = erdr_number_clean(erdr_number, registered_on)
    except ValidationError as error:
        errors.setdefault("erdr_number", []).extend(error.messages)
        number = ""
    if number and CriminalCase.objects.filter(erdr_number=number).exists():
        errors.setdefault("erdr_number", []).append(_("A case with this ERDR number is already under control."))
    article, article_part = (article or "").strip(), (article_part or "").strip()
    if not ARTICLE.match(article):
        errors.setdefault("article", []).append(_("Write the article's number, such as 190 or 232-1."))
    if article_part and not PART.match(article_part):
        errors.setdefault("article_part", []).append(_("Write the part's number, such as 4."))
    if gravity and gravity not in Gravity.values:
        errors.setdefault("gravity", []).append(_("Choose a gravity, or leave it blank if the data gives none."))
    if investigating_body not in InvestigatingBody.values:
        errors.setdefault("investigating_body", []).append(_("Choose the investigating body."))
    if dropper_article not in DropperArticle.values:
        errors.setdefault("dropper_article", []).append(_("Choose Art. 190, Art. 232-1 or none."))
    summary = (summary or "").strip()
    if not summary:
        errors.setdefault("summary", []).append(_("This field is required."))
    elif len(summary) > SUMMARY_MAX:
        errors.setdefault("summary", []).append(_("At most %(limit)d characters.") % {"limit": SUMMARY_MAX})
    charged = _count(charged, "charged", errors)
    in_custody = _count(in_custody, "in_custody", errors)
    if in_custody > charged:
        errors.setdefault("in_custody", []).append(_("More persons in custody than charged."))
    damage = _amount(damage, "damage", errors)
    flags = {name: bool(value) for name, value in (flags or {}).items() if name in FLAGS}
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    case = CriminalCase(
        region_id=office.region_id,
        office=office,
        district=district,
        erdr_number=number,
        registered_on=registered_on,
        article=article,
        article_part=article_part,
        gravity=gravity,
        investigating_body=investigating_body,
        initiated_by_prosecutor=bool(initiated_by_prosecutor),
        summary=summary,
        dropper_article=dropper_article,
        stage=Stage.PRETRIAL,
        stage_on=registered_on,
        charged=charged,
        in_custody=in_custody,
        damage=damage,
        created_by=actor,
        recorded_at=now,
        **flags,
    )
    _append(case, Kind.RECORDED, registered_on, actor, now)
    return case


def _locked(case: CriminalCase) -> CriminalCase:
    return CriminalCase.objects.select_for_update().get(pk=case.pk)


def _latest_day(case: CriminalCase) -> Date:
    return case.events.order_by("-on", "-at", "-id").values_list("on", flat=True).first() or case.registered_on


def _change_day(case: CriminalCase, on, errors: dict) -> Date | None:
    """A change's date: not in the future, not before the case's latest change (a case's events are
    dated in the order they are entered, so any day's state is its latest event's)."""
    latest = _latest_day(case)
    return _day(
        on,
        "on",
        errors,
        region_id=case.region_id,
        not_before=latest,
        before_message=_("The case's latest change is dated %(day)s: a change cannot be dated before it.")
        % {"day": latest.isoformat()},
    )


def _copy_back(source: CriminalCase, target: CriminalCase) -> None:
    for name in (*SNAPSHOT, "stage_on"):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def case_stage(
    *, case: CriminalCase, actor, stage: str, on: Date, convicted: int = 0, imprisoned: int = 0, note: str = "",
    now: datetime | None = None,
) -> CriminalCase:  # fmt: skip
    """Move the case to its next stage on a date: sent to court, returned for investigation, closed,
    or the verdict (with the persons convicted and sentenced to imprisonment)."""
    _require_keeper(actor, case)
    locked = _locked(case)
    errors: dict = {}
    on = _change_day(locked, on, errors)
    if stage not in NEXT_STAGES.get(locked.stage, set()):
        choices = ", ".join(str(Stage(choice).label) for choice in sorted(NEXT_STAGES.get(locked.stage, ())))
        errors.setdefault("stage", []).append(
            _("From “%(stage)s” the case may go to: %(choices)s.")
            % {"stage": locked.get_stage_display(), "choices": choices or "—"}
        )
    if stage == Stage.VERDICT:
        convicted = _count(convicted, "convicted", errors)
        imprisoned = _count(imprisoned, "imprisoned", errors)
        if imprisoned > convicted:
            errors.setdefault("imprisoned", []).append(_("More persons sentenced to imprisonment than convicted."))
    if len(note or "") > NOTE_MAX:
        errors.setdefault("note", []).append(_("At most %(limit)d characters.") % {"limit": NOTE_MAX})
    if errors:
        raise ValidationError(errors)
    locked.stage = stage
    kind = Kind.STAGE
    if stage == Stage.VERDICT:
        locked.convicted, locked.imprisoned, kind = convicted, imprisoned, Kind.VERDICT
    if stage in (Stage.VERDICT, Stage.CLOSED):
        locked.in_custody = 0 if stage == Stage.CLOSED else locked.in_custody
    _append(locked, kind, on, actor, now or timezone.now(), note=(note or "").strip())
    _copy_back(locked, case)
    return case


@transaction.atomic
def case_appeal(
    *, case: CriminalCase, actor, on: Date, satisfied: bool, convicted: int | None = None,
    imprisoned: int | None = None, note: str = "", now: datetime | None = None,
) -> CriminalCase:  # fmt: skip
    """An appellate petition on the verdict decided on a date: satisfied or not; a satisfied one may
    change the persons convicted and sentenced to imprisonment. The case is back at its verdict."""
    _require_keeper(actor, case)
    locked = _locked(case)
    errors: dict = {}
    on = _change_day(locked, on, errors)
    if locked.stage not in (Stage.VERDICT, Stage.APPEAL):
        errors.setdefault("stage", []).append(_("Only a verdict is appealed."))
    convicted = locked.convicted if convicted is None else _count(convicted, "convicted", errors)
    imprisoned = locked.imprisoned if imprisoned is None else _count(imprisoned, "imprisoned", errors)
    if imprisoned > convicted:
        errors.setdefault("imprisoned", []).append(_("More persons sentenced to imprisonment than convicted."))
    if errors:
        raise ValidationError(errors)
    locked.stage, locked.convicted, locked.imprisoned = Stage.VERDICT, convicted, imprisoned
    _append(
        locked,
        Kind.APPEAL,
        on,
        actor,
        now or timezone.now(),
        note=(note or "").strip(),
        appeal_satisfied=bool(satisfied),
    )
    _copy_back(locked, case)
    return case


@transaction.atomic
def case_persons(
    *, case: CriminalCase, actor, on: Date, charged: int, in_custody: int, now: datetime | None = None
) -> CriminalCase:
    """The persons charged and in custody as of a date."""
    _require_keeper(actor, case)
    locked = _locked(case)
    errors: dict = {}
    on = _change_day(locked, on, errors)
    charged = _count(charged, "charged", errors)
    in_custody = _count(in_custody, "in_custody", errors)
    if in_custody > charged:
        errors.setdefault("in_custody", []).append(_("More persons in custody than charged."))
    if errors:
        raise ValidationError(errors)
    locked.charged, locked.in_custody = charged, in_custody
    _append(locked, Kind.PERSONS, on, actor, now or timezone.now())
    _copy_back(locked, case)
    return case


@transaction.atomic
def case_amounts(
    *, case: CriminalCase, actor, on: Date, damage=None, recovered_added=0, kg_added=0, now: datetime | None = None
) -> CriminalCase:
    """On a date: the damage as now established (None: unchanged), an amount recovered, drugs seized
    (kg). Recovered in all may not exceed the damage."""
    _require_keeper(actor, case)
    locked = _locked(case)
    errors: dict = {}
    on = _change_day(locked, on, errors)
    damage = locked.damage if damage is None else _amount(damage, "damage", errors)
    recovered_added = _amount(recovered_added, "recovered_added", errors)
    kg_added = _amount(kg_added, "kg_added", errors, limit=KG_MAX)
    if damage and locked.recovered + recovered_added > damage:
        errors.setdefault("recovered_added", []).append(
            _("Recovered in all (%(recovered)s) would exceed the damage (%(damage)s).")
            % {"recovered": locked.recovered + recovered_added, "damage": damage}
        )
    if not errors and damage == locked.damage and not recovered_added and not kg_added:
        errors.setdefault("damage", []).append(_("Nothing to record: give the damage, a recovery or a seizure."))
    if errors:
        raise ValidationError(errors)
    locked.damage, locked.recovered = damage, locked.recovered + recovered_added
    locked.seized_kg += kg_added
    _append(locked, Kind.AMOUNTS, on, actor, now or timezone.now(), recovered_added=recovered_added, kg_added=kg_added)
    _copy_back(locked, case)
    return case
