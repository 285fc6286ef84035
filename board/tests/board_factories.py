"""Builders for the board's tests: a meeting of the region's board, a directive to some offices,
written through the board's services as users do."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from accounts.models import Organisation
from board.services.directives import directive_issue
from board.services.meetings import meeting_plan
from lib.metrics import Area


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Asia/Aqtobe"))


def organisations(*codes: str) -> list[Organisation]:
    found = {org.code: org for org in Organisation.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def a_meeting(keeper, *, held_on=date(2025, 10, 16), kind="board", **extra):
    return meeting_plan(
        actor=keeper,
        region=keeper.organisation.region,
        kind=kind,
        held_on=held_on,
        period_start=extra.pop("period_start", date(held_on.year, 1, 1)),
        period_end=extra.pop("period_end", date(held_on.year, 9, 30)),
        chair=extra.pop("chair", "The regional prosecutor"),
        **extra,
    )


def a_directive(keeper, meeting, *codes, deadline=date(2025, 12, 1), area=Area.FRAUD, **extra):
    return directive_issue(
        actor=keeper,
        meeting=meeting,
        area=area,
        deadline=deadline,
        addressees=organisations(*(codes or ("akt-prok-alga",))),
        controller=extra.pop("controller", keeper),
        text_en=extra.pop("text_en", "Strengthen the measures against fraud"),
        # Issued on the meeting's day, as a board's directives are.
        now=extra.pop("now", noon(meeting.held_on)),
        **extra,
    )
