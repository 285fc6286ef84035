"""Writes of acts of prosecutorial response: record, correct, number the letter, record the outcome.

Every function is keyword-only, runs in one transaction, takes `actor=` and appends a
SupervisoryActEvent; views and the demo call them. A report named by an act gets a ReportEvent of
kind "act" through signals.services.report_note_act (supervision never writes signals' models).
"""

from collections.abc import Iterable
from datetime import date as Date
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.zones import local_date, local_today, region_id_zone
from lib.metrics import Area
from signals.policy import may_decide
from signals.services import report_note_act

from ..districts import district_id_for_act
from ..models import (
    ASSESSED_HEADINGS,
    BENEFICIARY_FIELDS,
    ActAmount,
    BusinessMatter,
    SupervisoryAct,
    SupervisoryActEvent,
)
from ..numbering import next_outgoing_number
from ..scoping import ACT_AUTHORS, may_manage

Kind = SupervisoryActEvent.Kind
Outcome = SupervisoryAct.Outcome

ADDRESSEE_TITLE_MAX = SupervisoryAct._meta.get_field("addressee_title").max_length
LEGAL_BASIS_MAX = 2000
SUMMARY_MAX = 8000
NOTE_MAX = 4000
REPORTS_MAX = 100
OFFICIALS_MAX = 1000
# The fields act_change may correct (before the letter is numbered).
CHANGEABLE = ("type", "date", "addressee", "addressee_title", "legal_basis", "summary", "language")


# --- checks ------------------------------------------------------------------------------------


def _require_author(actor, issuing_office: Organisation | None) -> None:
    """Only a prosecutor of the issuing office records its acts: the office is the actor's own."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Only a prosecutor may record an act of response."))
    if not (actor.is_superuser or actor.role in ACT_AUTHORS):
        raise PermissionDenied(_("Only a prosecutor may record an act of response."))
    if issuing_office is None or issuing_office.pk != actor.organisation_id:
        raise PermissionDenied(_("An act is issued by your own prosecutor's office."))
    if issuing_office.kind != Organisation.Kind.PROSECUTOR_OFFICE or issuing_office.region_id is None:
        raise PermissionDenied(_("Acts are issued by a prosecutor's office of a region."))


def _require_manager(actor, act: SupervisoryAct) -> None:
    if not may_manage(actor, act):
        raise PermissionDenied(_("Only a prosecutor of the office that issued the act may do this."))


def _text(value, field: str, limit: int, errors: dict, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def _clean_details(values: dict, *, region_id: int, errors: dict) -> dict:
    """The act's own fields, checked; problems are collected in `errors` by field."""
    cleaned = {}
    if "type" in values:
        if values["type"] not in SupervisoryAct.Type.values:
            errors.setdefault("type", []).append(_("Choose a type of act."))
        cleaned["type"] = values["type"]
    if "date" in values:
        day = values["date"]
        if not isinstance(day, Date):
            errors.setdefault("date", []).append(_("Enter a date."))
        elif day > local_today(region_id_zone(region_id)):
            errors.setdefault("date", []).append(_("The date of an act cannot be in the future."))
        cleaned["date"] = day
    if "addressee" in values:
        body = values["addressee"]
        if body is not None and (
            body.kind != Organisation.Kind.BODY or (body.region_id is not None and body.region_id != region_id)
        ):
            errors.setdefault("addressee", []).append(_("Choose a body of the region."))
        cleaned["addressee"] = body
    if "addressee_title" in values:
        cleaned["addressee_title"] = _text(values["addressee_title"], "addressee_title", ADDRESSEE_TITLE_MAX, errors)
    if "legal_basis" in values:
        cleaned["legal_basis"] = _text(values["legal_basis"], "legal_basis", LEGAL_BASIS_MAX, errors)
    if "summary" in values:
        cleaned["summary"] = _text(values["summary"], "summary", SUMMARY_MAX, errors)
    if "language" in values:
        if values["language"] not in SupervisoryAct.Language.values:
            errors.setdefault("language", []).append(_("The letter is written in Kazakh or Russian."))
        cleaned["language"] = values["language"]
    return cleaned


def letter_problems(act: SupervisoryAct) -> list[str]:
    """Why the act's letter cannot be produced yet (empty: it can)."""
    problems = []
    if act.addressee_id is None and not act.addressee_title.strip():
        problems.append(_("The act has no addressee: name the body or its head first."))
    if not act.legal_basis.strip():
        problems.append(_("The act has no legal basis."))
    if not act.summary.strip():
        problems.append(_("The act does not say what was found and what is demanded."))
    return [str(problem) for problem in problems]


def _whole(value, field: str, limit: int, errors: dict) -> int:
    """A count from 0 to `limit`, or an error on `field`."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        errors.setdefault(field, []).append(_("Enter a number from 0 to %(limit)d.") % {"limit": limit})
        return 0
    return value


def _event(act: SupervisoryAct, kind: str, actor, now, **data) -> SupervisoryActEvent:
    return SupervisoryActEvent.objects.create(act=act, at=now, kind=kind, actor=actor, data=data)


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def act_record(
    *,
    actor,
    type: str,  # the model's field name
    date: Date,
    issuing_office: Organisation,
    addressee: Organisation | None,
    addressee_title: str,
    legal_basis: str,
    summary: str,
    reports: Iterable = (),
    language: str,
    now: datetime | None = None,
) -> SupervisoryAct:
    """Record an act of prosecutorial response issued by the actor's office, naming the reports
    it responds to (each must be one the actor oversees). The letter is numbered later (act_letter).
    The act's district is the one its reports or its office concern (supervision.districts); the
    reports are named here only, so it never needs setting again."""
    _require_author(actor, issuing_office)
    errors: dict = {}
    cleaned = _clean_details(
        {
            "type": type,
            "date": date,
            "addressee": addressee,
            "addressee_title": addressee_title,
            "legal_basis": legal_basis,
            "summary": summary,
            "language": language,
        },
        region_id=issuing_office.region_id,
        errors=errors,
    )
    linked = list({report.pk: report for report in reports}.values())
    if len(linked) > REPORTS_MAX:
        errors.setdefault("reports", []).append(_("At most %(limit)d reports.") % {"limit": REPORTS_MAX})
    for report in linked:
        if not may_decide(actor, report):
            raise PermissionDenied(_("Report %(reference)s is not overseen by you.") % {"reference": report.reference})
        if report.region_id != issuing_office.region_id:
            errors.setdefault("reports", []).append(
                _("Report %(reference)s is of another region.") % {"reference": report.reference}
            )
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    act = SupervisoryAct.objects.create(
        region_id=issuing_office.region_id,
        district_id=district_id_for_act(issuing_office=issuing_office, reports=linked),
        issuing_office=issuing_office,
        created_by=actor,
        created_at=now,
        **cleaned,
    )
    act.reports.set(linked)
    _event(act, Kind.RECORDED, actor, now, type=act.type, reports=sorted(report.reference for report in linked))
    for report in linked:
        report_note_act(report=report, act_id=act.pk, act_type=act.type, actor=actor)
    return act


def _locked(act: SupervisoryAct) -> SupervisoryAct:
    return SupervisoryAct.objects.select_for_update().get(pk=act.pk)


def _copy_back(source: SupervisoryAct, target: SupervisoryAct, fields) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def act_change(*, act: SupervisoryAct, actor, **changes) -> SupervisoryAct:
    """Correct the act's details (CHANGEABLE fields) while its letter has no number yet."""
    _require_manager(actor, act)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"act_change cannot change {sorted(unknown)}")
    locked = _locked(act)
    if locked.outgoing_number:
        raise ValidationError(_("The letter is numbered: the act can no longer be corrected."))
    errors: dict = {}
    cleaned = _clean_details(changes, region_id=locked.region_id, errors=errors)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
    if not changed:
        return act
    for name in changed:
        setattr(locked, name, cleaned[name])
    locked.save(update_fields=changed)
    _event(locked, Kind.CHANGED, actor, timezone.now(), fields=changed)
    _copy_back(locked, act, changed)
    return act


@transaction.atomic
def act_letter(*, act: SupervisoryAct, actor) -> SupervisoryAct:
    """Number the act's letter: the next outgoing number of the issuing office for the year.

    Refused, before any number is taken, when the act has no addressee, no legal basis or no
    summary. A second call keeps the number the first one took."""
    _require_manager(actor, act)
    locked = SupervisoryAct.objects.select_for_update().select_related("issuing_office").get(pk=act.pk)
    if locked.outgoing_number:
        _copy_back(locked, act, ["outgoing_number", "letter_at"])
        return act
    problems = letter_problems(locked)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    locked.outgoing_number = next_outgoing_number(
        locked.issuing_office, local_date(now, region_id_zone(locked.region_id)).year
    )
    locked.letter_at = now
    locked.save(update_fields=["outgoing_number", "letter_at"])
    _event(locked, Kind.LETTER, actor, now, number=locked.outgoing_number, language=locked.language)
    _copy_back(locked, act, ["outgoing_number", "letter_at"])
    return act


@transaction.atomic
def act_outcome(
    *,
    act: SupervisoryAct,
    outcome: str,
    outcome_at: Date,
    note: str = "",
    officials_disciplined: int = 0,
    officials_administrative: int = 0,
    officials_criminal: int = 0,
    actor,
    now: datetime | None = None,
) -> SupervisoryAct:
    """Record how the addressee (or, for a claim, the court) dealt with the act: satisfied, partly
    satisfied or rejected, on a date not before the act's, with the officials held accountable by
    the kind of liability."""
    _require_manager(actor, act)
    locked = _locked(act)
    if locked.outcome != Outcome.PENDING:
        raise ValidationError(_("The outcome of this act is already recorded."))
    errors: dict = {}
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        errors.setdefault("outcome", []).append(_("Choose: satisfied, partly satisfied or rejected."))
    if not isinstance(outcome_at, Date):
        errors.setdefault("outcome_at", []).append(_("Enter a date."))
    elif outcome_at < locked.date:
        errors.setdefault("outcome_at", []).append(_("The outcome cannot come before the act."))
    elif outcome_at > local_today(region_id_zone(locked.region_id)):
        errors.setdefault("outcome_at", []).append(_("The outcome date cannot be in the future."))
    officials = {
        "officials_disciplined": officials_disciplined,
        "officials_administrative": officials_administrative,
        "officials_criminal": officials_criminal,
    }
    for field, count in officials.items():
        _whole(count, field, OFFICIALS_MAX, errors)
    note = _text(note, "outcome_note", NOTE_MAX, errors)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    locked.outcome, locked.outcome_at, locked.outcome_note = outcome, outcome_at, note
    for field, count in officials.items():
        setattr(locked, field, count)
    fields = ["outcome", "outcome_at", "outcome_note", *officials]
    locked.save(update_fields=fields)
    _event(locked, Kind.OUTCOME, actor, now, outcome=outcome, outcome_at=outcome_at.isoformat(), note=note, **officials)
    _copy_back(locked, act, fields)
    return act


# --- what an act achieved: its area, violations, beneficiaries and amounts ------------------------

BENEFICIARIES_MAX = 1_000_000
VIOLATIONS_MAX = 100_000
AMOUNT_MAX = Decimal("1e14")


@transaction.atomic
def act_results(
    *,
    act: SupervisoryAct,
    actor,
    area: str = "",
    business_matter: str = "",
    violations: int = 0,
    beneficiaries: dict | None = None,
    counted_by: SupervisoryAct | None = None,
    now: datetime | None = None,
) -> SupervisoryAct:
    """What the act is about and what it achieved: its area, its business matter, the violations it
    identified and its beneficiaries by group (counts, never identities). An act about people another
    act already counted names that act (`counted_by`, of the same region, itself counting them) and
    counts none itself, so nobody is counted twice."""
    _require_manager(actor, act)
    locked = _locked(act)
    errors: dict = {}
    if area and area not in Area.values:
        errors.setdefault("area", []).append(_("Choose an area."))
    if business_matter not in BusinessMatter.values:
        errors.setdefault("business_matter", []).append(_("Choose a business matter, or none."))
    violations = _whole(violations, "violations", VIOLATIONS_MAX, errors)
    counts = {
        field: _whole((beneficiaries or {}).get(field, 0), field, BENEFICIARIES_MAX, errors)
        for field in BENEFICIARY_FIELDS
    }
    if counted_by is not None:
        if counted_by.pk == locked.pk or counted_by.region_id != locked.region_id:
            errors.setdefault("beneficiaries_counted_by", []).append(_("Choose another act of the region."))
        elif counted_by.beneficiaries_counted_by_id is not None:
            errors.setdefault("beneficiaries_counted_by", []).append(
                _("That act did not count them itself: name the act that did.")
            )
        elif any(counts.values()):
            errors.setdefault("beneficiaries_counted_by", []).append(
                _("The beneficiaries are already counted by that act: this one adds none.")
            )
    if errors:
        raise ValidationError(errors)
    values = {
        "area": area,
        "business_matter": business_matter,
        "violations": violations,
        "beneficiaries_counted_by": counted_by,
        **counts,
    }
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return act
    for name in changed:
        setattr(locked, name, values[name])
    locked.save(update_fields=changed)
    _event(locked, Kind.CHANGED, actor, now or timezone.now(), fields=changed)
    for name in changed:
        setattr(act, name, values[name])
    return act


def _totals(act: SupervisoryAct) -> dict:
    totals = dict.fromkeys(ActAmount.Heading.values, Decimal(0))
    for heading, amount in act.amounts.values_list("heading", "amount"):
        totals[heading] += amount
    return totals


@transaction.atomic
def act_amount(
    *,
    act: SupervisoryAct,
    actor,
    heading: str,
    amount,
    on: Date,
    preliminary: bool = False,
    recovery: str = "",
    now: datetime | None = None,
) -> ActAmount:
    """An amount of the act on a date: assessed (damage, fines), recovered (voluntarily or through
    the courts), budget misuse prevented, reimbursed, of which to the state budget. Refused when the
    act's recovered would exceed its assessed, or its state budget share the reimbursed."""
    _require_manager(actor, act)
    locked = _locked(act)
    errors: dict = {}
    if heading not in ActAmount.Heading.values:
        errors.setdefault("heading", []).append(_("Choose what the amount is."))
    try:
        amount = Decimal(amount)
    except (TypeError, ValueError, InvalidOperation):
        amount = None
    if amount is None or not amount.is_finite() or not 0 < amount < AMOUNT_MAX:
        errors.setdefault("amount", []).append(_("Enter an amount above 0."))
    if not isinstance(on, Date):
        errors.setdefault("on", []).append(_("Enter a date."))
    elif on < locked.date:
        errors.setdefault("on", []).append(_("An amount cannot be dated before its act."))
    elif on > local_today(region_id_zone(locked.region_id)):
        errors.setdefault("on", []).append(_("The date cannot be in the future."))
    if recovery not in ActAmount.Recovery.values or (recovery and heading != ActAmount.Heading.RECOVERED):
        errors.setdefault("recovery", []).append(_("Say how it was recovered only for an amount recovered."))
    if not errors:
        totals = _totals(locked)
        totals[heading] += amount
        assessed = sum(totals[name] for name in ASSESSED_HEADINGS)
        if totals[ActAmount.Heading.RECOVERED] > assessed:
            errors.setdefault("amount", []).append(
                _("Recovered (%(recovered)s tenge) would exceed the assessed (%(assessed)s tenge).")
                % {"recovered": totals[ActAmount.Heading.RECOVERED], "assessed": assessed}
            )
        if totals[ActAmount.Heading.TO_STATE_BUDGET] > totals[ActAmount.Heading.REIMBURSED]:
            errors.setdefault("amount", []).append(
                _("To the state budget (%(share)s tenge) would exceed the reimbursed (%(reimbursed)s tenge).")
                % {
                    "share": totals[ActAmount.Heading.TO_STATE_BUDGET],
                    "reimbursed": totals[ActAmount.Heading.REIMBURSED],
                }
            )
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    entry = ActAmount.objects.create(
        act=locked,
        heading=heading,
        amount=amount,
        on=on,
        preliminary=bool(preliminary),
        recovery=recovery,
        at=now,
        actor=actor,
    )
    _event(
        locked,
        Kind.AMOUNT,
        actor,
        now,
        heading=heading,
        amount=str(amount),
        on=on.isoformat(),
        preliminary=bool(preliminary),
    )
    return entry
