"""Meetings: planned, changed, their reports heard, held (the open directives of the meetings before
it carried to its agenda), and the resolution numbered."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..files import clean_file
from ..models import Directive, Meeting, MeetingEvent, MeetingReport, WorkingGroup
from ..policy import OPEN, may_keep_meeting
from . import Refused
from .directives import directives_carry

Kind = MeetingEvent.Kind
TEXT_FIELDS = ("title_kk", "title_ru", "title_en", "chair", "participants", "agenda")


def _event(meeting: Meeting, kind: str, actor, now: datetime, **data) -> MeetingEvent:
    return MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor, at=now, data=data)


def _require_keeper(actor, meeting: Meeting) -> None:
    if not may_keep_meeting(actor, meeting):
        raise PermissionDenied(_("Only the regional prosecutor or the board's secretary keeps the board's meetings."))


def _check(meeting: Meeting) -> None:
    problems = []
    if not meeting.chair.strip():
        problems.append(_("Name the meeting's chair."))
    if meeting.period_start > meeting.period_end:
        problems.append(_("The period reviewed ends before it starts."))
    if meeting.period_start > meeting.held_on:
        problems.append(_("A meeting reviews a period that has started by its date."))
    if meeting.kind == Meeting.Kind.WORKING_GROUP and meeting.working_group_id is None:
        problems.append(_("Choose the working group that meets."))
    if meeting.kind != Meeting.Kind.WORKING_GROUP:
        meeting.working_group = None
    if meeting.working_group_id and meeting.working_group.region_id != meeting.region_id:
        problems.append(_("The working group belongs to another region."))
    if problems:
        raise Refused(problems)


@transaction.atomic
def meeting_plan(
    *,
    actor,
    region,
    kind: str,
    held_on: date,
    period_start: date,
    period_end: date,
    chair: str,
    participants: str = "",
    agenda: str = "",
    title_kk: str = "",
    title_ru: str = "",
    title_en: str = "",
    working_group: WorkingGroup | None = None,
    now: datetime | None = None,
) -> Meeting:
    now = now or timezone.now()
    meeting = Meeting(
        region=region,
        kind=kind,
        working_group=working_group,
        held_on=held_on,
        period_start=period_start,
        period_end=period_end,
        chair=chair.strip(),
        participants=participants.strip(),
        agenda=agenda.strip(),
        title_kk=title_kk.strip(),
        title_ru=title_ru.strip(),
        title_en=title_en.strip(),
        created_by=actor,
        created_at=now,
    )
    _require_keeper(actor, meeting)
    _check(meeting)
    meeting.save()
    _event(meeting, Kind.PLANNED, actor, now)
    return meeting


@transaction.atomic
def meeting_change(*, actor, meeting: Meeting, now: datetime | None = None, **changes) -> Meeting:
    """Change the meeting's date, period, chair, participants, agenda or titles."""
    _require_keeper(actor, meeting)
    allowed = {"held_on", "period_start", "period_end", "kind", "working_group", *TEXT_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not a meeting's field: {sorted(unknown)}")
    before = {}
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(meeting, field) != value:
            before[field] = str(getattr(meeting, field))
            setattr(meeting, field, value)
    if not before:
        return meeting
    _check(meeting)
    if "held_on" in before and meeting.directives.filter(deadline__lt=meeting.held_on).exists():
        raise Refused(_("A directive of the meeting would be due before the meeting's date."))
    meeting.save()
    _event(meeting, Kind.CHANGED, actor, now or timezone.now(), before=before)
    return meeting


@transaction.atomic
def meeting_report_add(
    *, actor, meeting: Meeting, speaker: str, topic: str, position: str = "", office=None, upload=None, now=None
) -> MeetingReport:
    """A report heard at the meeting, with its file (checked and size-capped: board.files)."""
    _require_keeper(actor, meeting)
    problems = []
    if not speaker.strip():
        problems.append(_("Name the speaker."))
    if not topic.strip():
        problems.append(_("Say what the report is about."))
    if office is not None and office.region_id != meeting.region_id:
        problems.append(_("The office belongs to another region."))
    stored = shown = None
    if upload is not None:
        try:
            stored, shown = clean_file(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise Refused(problems)
    order = (meeting.reports.aggregate(last=Max("order"))["last"] or 0) + 1
    report = MeetingReport(
        meeting=meeting,
        order=order,
        speaker=speaker.strip(),
        position=position.strip(),
        office=office,
        topic=topic.strip(),
    )
    if stored is not None:
        report.file.save(stored.name, stored, save=False)
        report.file_name = shown
    report.save()
    _event(meeting, Kind.REPORT_ADDED, actor, now or timezone.now(), report=report.pk, speaker=report.speaker)
    return report


def open_directives_before(meeting: Meeting):
    """The directives of the meetings before `meeting` (of its kind, its working group's when it is
    one's) that some addressee has not executed: what its agenda takes up again."""
    earlier = Meeting.objects.filter(
        region_id=meeting.region_id, kind=meeting.kind, working_group_id=meeting.working_group_id
    ).filter(held_on__lt=meeting.held_on)
    return (
        Directive.objects.filter(meeting__in=earlier, addressees__status__in=OPEN)
        .distinct()
        .select_related("meeting")
        .order_by("meeting__held_on", "number")
    )


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """The meeting was held: the open directives of the meetings before it are carried to it."""
    _require_keeper(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise Refused(_("The meeting is already marked as held."))
    now = now or timezone.now()
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    _event(meeting, Kind.HELD, actor, now)
    carried = list(open_directives_before(meeting))
    if carried:
        directives_carry(actor=actor, directives=carried, meeting=meeting, now=now)
        _event(meeting, Kind.CARRIED, actor, now, directives=[directive.pk for directive in carried])
    return meeting


@transaction.atomic
def resolution_issue(*, actor, meeting: Meeting, on: date | None = None, now: datetime | None = None) -> Meeting:
    """Number and date the meeting's resolution (the next number of its region's year). Refused
    while the meeting has no directive: a resolution lists them."""
    _require_keeper(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.directives.exists():
        raise Refused(_("The meeting has no directives yet: a resolution lists the meeting's directives."))
    if meeting.resolution_number:
        return meeting
    on = on or meeting.held_on
    if on < meeting.held_on:
        raise Refused(_("A resolution is dated on or after its meeting."))
    # Two resolutions numbered at once: the unique constraint refuses the second, never a duplicate.
    last = Meeting.objects.filter(region_id=meeting.region_id, resolution_year=on.year).aggregate(
        last=Max("resolution_number")
    )["last"]
    meeting.resolution_number = (last or 0) + 1
    meeting.resolution_year = on.year
    meeting.resolution_on = on
    meeting.save(update_fields=["resolution_number", "resolution_year", "resolution_on"])
    _event(meeting, Kind.RESOLUTION, actor, now or timezone.now(), number=meeting.resolution_number)
    return meeting
