"""Writes of investment projects under the office's supervision: taken under supervision, their
status changed (commissioned, removed from supervision, back under supervision), problems solved.

Every function is keyword-only, runs in one transaction, takes `actor=` (a prosecutor of the
project's office, supervision.scoping.may_keep) and appends a dated ProjectEvent carrying the
project's status after the change, so the stock "projects under supervision" is counted as it
stood on any day (supervision.business_metrics). `now=` is the moment recorded (the demo writes
history with it; pages never pass it).
"""

from datetime import date as Date
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation

from ..models import InvestmentProject, ProjectEvent
from . import kept

Kind = ProjectEvent.Kind
Status = InvestmentProject.Status
PROBLEMS_MAX = 1000


def _event(project, kind, *, on, status, actor, now, problems_added=0, note="") -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        kind=kind,
        on=on,
        status=status,
        problems_added=problems_added,
        note=note,
        at=now,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def latest_event(project: InvestmentProject) -> ProjectEvent | None:
    """The project's latest change of status (its recording included), by date then entry."""
    return project.events.filter(kind__in=(Kind.RECORDED, Kind.STATUS)).order_by("-on", "-at", "-id").first()


@transaction.atomic
def project_record(
    *,
    actor,
    office: Organisation,
    name: str,
    investor: str,
    district: District,
    level: str,
    amount,
    on: Date,
    note: str = "",
    now: datetime | None = None,
) -> InvestmentProject:
    """Take an investment project under the office's supervision on `on` (its district one the
    office serves, its level regional or national, its amount in tenge not negative)."""
    kept.require_office_keeper(actor, office, _("Only a prosecutor of the office records its investment projects."))
    now = kept.moment(now)
    errors: dict = {}
    cleaned = {
        "name": kept.text(name, "name", errors, limit=kept.NAME_MAX, required=True),
        "investor": kept.text(investor, "investor", errors, limit=kept.NAME_MAX, required=True),
        "district": kept.district_of_office(district, office, "district", errors),
        "amount": kept.amount(amount, "amount", errors),
    }
    if level not in InvestmentProject.Level.values:
        kept.add(errors, "level", _("Choose the project's level: regional or national."))
    on = kept.day(on, "on", errors, latest=kept.today(office.region_id, now))
    note = kept.text(note, "note", errors, limit=kept.NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    project = InvestmentProject.objects.create(
        region_id=office.region_id,
        office=office,
        level=level,
        status=Status.SUPERVISED,
        created_by=actor,
        recorded_at=now,
        **cleaned,
    )
    _event(project, Kind.RECORDED, on=on, status=Status.SUPERVISED, actor=actor, now=now, note=note)
    return project


def _locked(project: InvestmentProject) -> InvestmentProject:
    return InvestmentProject.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def project_status(
    *, actor, project: InvestmentProject, status: str, on: Date, note: str = "", now: datetime | None = None
) -> ProjectEvent:
    """Change the project's status on `on`, a date not before its latest change and not in the
    future: commissioned, removed from supervision, or under supervision again."""
    kept.require_keeper(actor, project, _("Only a prosecutor of the project's office may change it."))
    now = kept.moment(now)
    locked = _locked(project)
    latest = latest_event(locked)
    errors: dict = {}
    if status not in Status.values:
        kept.add(errors, "status", _("Choose a status."))
    elif status == locked.status:
        kept.add(errors, "status", _("The project already has this status."))
    on = kept.day(
        on,
        "on",
        errors,
        latest=kept.today(locked.region_id, now),
        earliest=latest.on if latest else None,
        earliest_message=_("The date cannot be before the project's latest change (%(date)s).")
        % {"date": latest.on.strftime("%d.%m.%Y") if latest else ""},
    )
    note = kept.text(note, "note", errors, limit=kept.NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    locked.status = status
    locked.save(update_fields=["status"])
    project.status = status
    return _event(locked, Kind.STATUS, on=on, status=status, actor=actor, now=now, note=note)


@transaction.atomic
def project_problems(
    *, actor, project: InvestmentProject, count: int, on: Date, note: str = "", now: datetime | None = None
) -> ProjectEvent:
    """Record `count` problems of the project solved on `on` (by the prosecutor's intervention),
    while it is under supervision, on a date not before it was taken under supervision."""
    kept.require_keeper(actor, project, _("Only a prosecutor of the project's office may change it."))
    now = kept.moment(now)
    locked = _locked(project)
    recorded = locked.events.filter(kind=Kind.RECORDED).order_by("on").first()
    errors: dict = {}
    if locked.status != Status.SUPERVISED:
        raise ValidationError(_("The project is no longer under supervision: put it under supervision again first."))
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= PROBLEMS_MAX:
        kept.add(errors, "count", _("Enter a number from 1 to %(limit)d.") % {"limit": PROBLEMS_MAX})
    on = kept.day(
        on,
        "on",
        errors,
        latest=kept.today(locked.region_id, now),
        earliest=recorded.on if recorded else None,
        earliest_message=_("The date cannot be before the project was taken under supervision."),
    )
    note = kept.text(note, "note", errors, limit=kept.NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    locked.problems_solved += count
    locked.save(update_fields=["problems_solved"])
    project.problems_solved = locked.problems_solved
    return _event(
        locked, Kind.PROBLEMS, on=on, status=locked.status, actor=actor, now=now, problems_added=count, note=note
    )
