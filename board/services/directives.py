"""Directives: issued to one or more addressees, executed addressee by addressee (progress,
execution reported with its evidence, accepted or returned with a comment), carried to the next
meeting while unexecuted. The workflow and who may is board.policy's."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.zones import region_id_zone
from lib.deadlines import day_deadline
from lib.metrics import Area

from ..files import clean_file
from ..models import Directive, DirectiveAddressee, DirectiveEvent, Evidence, ExecutionReport, Meeting, Project
from ..policy import (
    MAY_DECIDE_FROM,
    MAY_PROGRESS_FROM,
    MAY_REPORT_FROM,
    may_answer,
    may_control,
    may_decide,
    may_keep_meeting,
)
from . import Refused
from .projects import known_metric_codes

Kind = DirectiveEvent.Kind
Status = DirectiveAddressee.Status
TEXT_MAX = 4000
# Evidence files one report may carry.
MAX_FILES = 10


def _event(directive: Directive, kind: str, actor, now: datetime, addressee=None, **data) -> DirectiveEvent:
    return DirectiveEvent.objects.create(
        directive=directive, addressee=addressee, kind=kind, actor=actor, at=now, data=data
    )


def _texts_check(texts: dict[str, str]) -> list[str]:
    if not any(texts.values()):
        return [_("Write the directive's text in at least one language.")]
    if any(len(text) > TEXT_MAX for text in texts.values()):
        return [_("A directive's text has at most %(limit)d characters.") % {"limit": TEXT_MAX}]
    return []


def _addressees_check(meeting: Meeting, addressees: Sequence[Organisation]) -> list[str]:
    if not addressees:
        return [_("Name at least one addressee: an office or a body that must execute the directive.")]
    if any(org.region_id != meeting.region_id for org in addressees):
        return [_("An addressee belongs to another region.")]
    if any(org.kind == Organisation.Kind.PARTNER for org in addressees):
        return [_("A directive is addressed to prosecutor's offices and state bodies, not to partners.")]
    return []


def _metric_codes(codes: Iterable[str]) -> list[str]:
    return sorted({code.strip() for code in codes if code and code.strip()})


def _metric_codes_check(codes: list[str]) -> list[str]:
    unknown = sorted(set(codes) - known_metric_codes())
    if unknown:
        return [_("No metric of the catalogue has the code %(codes)s.") % {"codes": ", ".join(unknown)}]
    return []


@transaction.atomic
def directive_issue(
    *,
    actor,
    meeting: Meeting,
    area: str,
    deadline: date,
    addressees: Sequence[Organisation],
    controller,
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
    project: Project | None = None,
    metric_codes: Iterable[str] = (),
    now: datetime | None = None,
) -> Directive:
    """A directive of `meeting`, followed per addressee. Refused: no addressee, a deadline before
    the meeting's date, no text, a controller who may not control, an area not of the summary."""
    if not may_keep_meeting(actor, meeting):
        raise PermissionDenied(_("Only the regional prosecutor or the board's secretary issues directives."))
    now = now or timezone.now()
    texts = {"kk": text_kk.strip(), "ru": text_ru.strip(), "en": text_en.strip()}
    addressees = list(dict.fromkeys(addressees))
    metric_codes = _metric_codes(metric_codes)
    problems = _texts_check(texts) + _addressees_check(meeting, addressees) + _metric_codes_check(metric_codes)
    if area not in Area.values:
        problems.append(_("Choose the directive's area."))
    if not isinstance(deadline, date):
        problems.append(_("Enter the directive's deadline."))
    elif deadline < meeting.held_on:
        problems.append(
            _("The deadline cannot be before the meeting's date (%(date)s).") % {"date": f"{meeting.held_on:%d.%m.%Y}"}
        )
    if controller is None or not may_control(controller):
        problems.append(_("Choose who controls the directive: a prosecutor or the board's secretary."))
    elif not controller.is_superuser and controller.organisation.region_id != meeting.region_id:
        problems.append(_("The controller works in another region."))
    if project is not None and project.region_id != meeting.region_id:
        problems.append(_("The project belongs to another region."))
    if problems:
        raise Refused(problems)
    number = (meeting.directives.aggregate(last=Max("number"))["last"] or 0) + 1
    directive = Directive.objects.create(
        region_id=meeting.region_id,
        meeting=meeting,
        number=number,
        text_kk=texts["kk"],
        text_ru=texts["ru"],
        text_en=texts["en"],
        area=area,
        deadline=deadline,
        controller=controller,
        project=project,
        metric_codes=metric_codes,
        issued_at=now,
        issued_by=actor,
    )
    deadline_at = day_deadline(deadline, region_id_zone(meeting.region_id))
    DirectiveAddressee.objects.bulk_create(
        DirectiveAddressee(
            directive=directive, organisation=org, region_id=meeting.region_id, deadline_at=deadline_at, changed_at=now
        )
        for org in addressees
    )
    _event(directive, Kind.ISSUED, actor, now, addressees=[org.pk for org in addressees], deadline=str(deadline))
    return directive


def _locked(addressee: DirectiveAddressee) -> DirectiveAddressee:
    return DirectiveAddressee.objects.select_for_update().select_related("directive").get(pk=addressee.pk)


def _files(uploads) -> list[tuple]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise Refused(_("At most %(count)d files to one report.") % {"count": MAX_FILES})
    cleaned, problems = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_file(upload))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise Refused(problems)
    return cleaned


@transaction.atomic
def execution_report(
    *, actor, addressee: DirectiveAddressee, text: str, final: bool = False, files=(), now: datetime | None = None
) -> ExecutionReport:
    """The addressee's report: progress (in progress), or the directive executed (reported, for the
    controller to accept or return), with evidence files. Only the addressed organisation's staff."""
    if not may_answer(actor, addressee):
        raise PermissionDenied(_("Only the addressed office or body reports on this directive."))
    addressee = _locked(addressee)
    allowed = MAY_REPORT_FROM if final else MAY_PROGRESS_FROM
    if addressee.status not in allowed:
        raise Refused(
            _("The directive is %(status)s here: it takes no report now.") % {"status": addressee.get_status_display()}
        )
    text = (text or "").strip()
    if not text:
        raise Refused(_("Say what was done."))
    if len(text) > TEXT_MAX:
        raise Refused(_("A report has at most %(limit)d characters.") % {"limit": TEXT_MAX})
    cleaned = _files(files)
    now = now or timezone.now()
    report = ExecutionReport.objects.create(addressee=addressee, text=text, final=final, at=now, actor=actor)
    for stored, shown in cleaned:
        evidence = Evidence(report=report, name=shown, size=stored.size)
        evidence.file.save(stored.name, stored, save=False)
        evidence.save()
    addressee.status = Status.REPORTED if final else Status.IN_PROGRESS
    addressee.changed_at = now
    if final:
        addressee.reported_at = now
    addressee.save(update_fields=["status", "changed_at", "reported_at"])
    kind = Kind.REPORTED if final else Kind.PROGRESS
    _event(addressee.directive, kind, actor, now, addressee=addressee, report=report.pk, files=len(cleaned))
    return report


def _decide(actor, addressee: DirectiveAddressee) -> DirectiveAddressee:
    addressee = _locked(addressee)
    if not may_decide(actor, addressee.directive):
        raise PermissionDenied(_("Only the directive's controller or the board's keepers accept or return it."))
    if addressee.status not in MAY_DECIDE_FROM:
        raise Refused(_("Only an execution reported as done is accepted or returned."))
    return addressee


@transaction.atomic
def execution_accept(*, actor, addressee: DirectiveAddressee, comment: str = "", now=None) -> DirectiveAddressee:
    """Accepted as executed: executed at the moment it was reported (what lateness judges)."""
    addressee = _decide(actor, addressee)
    now = now or timezone.now()
    addressee.status = Status.EXECUTED
    addressee.executed_at = addressee.reported_at
    addressee.changed_at = now
    addressee.comment = comment.strip()
    addressee.save(update_fields=["status", "executed_at", "changed_at", "comment"])
    _event(addressee.directive, Kind.ACCEPTED, actor, now, addressee=addressee, comment=addressee.comment)
    return addressee


@transaction.atomic
def execution_return(*, actor, addressee: DirectiveAddressee, comment: str, now=None) -> DirectiveAddressee:
    """Returned for more work, with the comment saying what is missing."""
    comment = (comment or "").strip()
    if not comment:
        raise Refused(_("Say why the execution is returned."))
    addressee = _decide(actor, addressee)
    now = now or timezone.now()
    addressee.status = Status.RETURNED
    addressee.changed_at = now
    addressee.comment = comment
    addressee.save(update_fields=["status", "changed_at", "comment"])
    _event(addressee.directive, Kind.RETURNED, actor, now, addressee=addressee, comment=comment)
    return addressee


def directives_carry(*, actor, directives: Iterable[Directive], meeting: Meeting, now: datetime) -> None:
    """Carry unexecuted directives to `meeting`'s agenda (board.services.meetings.meeting_hold)."""
    for directive in directives:
        directive.carried_to.add(meeting)
        _event(directive, Kind.CARRIED, actor, now, meeting=meeting.pk)


@dataclass(frozen=True)
class ProgressRow:
    """One row of a bulk report: which execution (an addressee id), what was done, and whether it
    reports the directive executed. `line` names the row in the uploaded table (0: the web table)."""

    addressee_id: int
    text: str
    final: bool = False
    line: int = 0


@transaction.atomic
def execution_report_many(*, actor, rows: Sequence[ProgressRow], now: datetime | None = None) -> int:
    """Report on many directives at once (an office answers dozens): all the rows or none. Refused
    with every row's problem named, so nothing half-saved is left to sort out."""
    now = now or timezone.now()
    found = DirectiveAddressee.objects.in_bulk([row.addressee_id for row in rows])
    problems, written = [], 0
    for row in rows:
        where = _("Row %(line)d: ") % {"line": row.line} if row.line else ""
        addressee = found.get(row.addressee_id)
        if addressee is None or not may_answer(actor, addressee):
            raise PermissionDenied(_("Only the addressed office or body reports on this directive."))
        if not row.text.strip():
            continue  # a row left empty reports nothing
        try:
            with transaction.atomic():
                execution_report(actor=actor, addressee=addressee, text=row.text, final=row.final, now=now)
            written += 1
        except ValidationError as error:
            problems.extend(where + message for message in error.messages)
    if problems:
        raise Refused(problems)  # the transaction is rolled back: the rows reported above too
    return written
