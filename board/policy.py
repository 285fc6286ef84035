"""The board's rules in one place: the directive's workflow, who may do what, lateness.

The workflow of one addressee's execution (DirectiveAddressee):

    issued --progress--> in_progress --progress--> in_progress
    issued / in_progress / returned --report (executed)--> reported
    reported --accept--> executed            (final)
    reported --return (with a comment)--> returned --progress--> in_progress

Lateness is lib.deadlines': an execution is overdue while it is not executed and its deadline (the
end of the directive's deadline day in the region's zone) has passed; it was executed on time when
the report that was accepted came at or before the deadline.

Who:
- the regional prosecutor, the board's secretary and the administrator plan and hold meetings,
  issue directives and issue the resolution (BOARD_KEEPERS);
- an addressee's own staff (a prosecutor of the addressed office, an officer of the addressed
  body) report progress and execution, for their own organisation only;
- the directive's controller and the board's keepers accept an execution or return it.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from accounts.roles import BOARD_READERS, PROSECUTOR_ROLES, SUMMARY_READERS, Role
from accounts.scoping import is_region_wide, role_of
from lib.deadlines import is_late, late_at, on_time

from .models import Directive, DirectiveAddressee, Meeting

Status = DirectiveAddressee.Status

# Roles that keep the board: plan meetings, issue directives and resolutions, accept executions.
BOARD_KEEPERS = frozenset({Role.REGIONAL_PROSECUTOR, Role.BOARD_SECRETARY, Role.ADMIN})
# Roles whose staff answer directives addressed to their organisation.
ADDRESSEE_ROLES = PROSECUTOR_ROLES | {Role.BODY_OFFICER}

OPEN = frozenset({Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED, Status.RETURNED})
# The addressee still has work to do (not waiting on the controller's decision).
AWAITING_ADDRESSEE = frozenset({Status.ISSUED, Status.IN_PROGRESS, Status.RETURNED})
MAY_PROGRESS_FROM = AWAITING_ADDRESSEE
MAY_REPORT_FROM = AWAITING_ADDRESSEE
MAY_DECIDE_FROM = frozenset({Status.REPORTED})


def is_overdue(addressee: DirectiveAddressee, now: datetime) -> bool:
    return addressee.status in OPEN and is_late(addressee.deadline_at, now)


def overdue_at(now: datetime) -> Q:
    """is_overdue as a filter on DirectiveAddressee."""
    return Q(status__in=OPEN) & late_at(now)


def executed_on_time(addressee: DirectiveAddressee) -> bool:
    return addressee.status == Status.EXECUTED and on_time(addressee.deadline_at, addressee.executed_at)


def reminder_day(deadline: date, calendar) -> date:
    """The working day a reminder goes out: settings.BOARD_REMINDER_WORKING_DAYS working days
    before the deadline's day (the working calendar's), or the deadline's day itself at 0."""
    day, left = deadline, settings.BOARD_REMINDER_WORKING_DAYS
    while left > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


# --- who may do what --------------------------------------------------------------------------


def _in_region(user, region_id: int) -> bool:
    return user.is_superuser or (user.organisation_id is not None and user.organisation.region_id == region_id)


def keeps_board(user) -> bool:
    return user.is_authenticated and role_of(user) in BOARD_KEEPERS


def reads_board(user) -> bool:
    return user.is_authenticated and role_of(user) in BOARD_READERS


def may_keep_meeting(user, meeting: Meeting) -> bool:
    """Plan, change, hold a meeting, add its reports, issue its directives and resolution."""
    return keeps_board(user) and _in_region(user, meeting.region_id)


def may_keep_projects(user, region_id: int) -> bool:
    """Record and change the region's projects and working groups: the board's keepers."""
    return keeps_board(user) and _in_region(user, region_id)


def may_answer(user, addressee: DirectiveAddressee) -> bool:
    """Report progress or execution: the addressed organisation's own staff."""
    return (
        user.is_authenticated
        and role_of(user) in ADDRESSEE_ROLES
        and user.organisation_id is not None
        and user.organisation_id == addressee.organisation_id
    )


def may_decide(user, directive: Directive) -> bool:
    """Accept an execution or return it: the directive's controller, or the board's keepers."""
    if not user.is_authenticated:
        return False
    if user.pk == directive.controller_id:
        return True
    return keeps_board(user) and _in_region(user, directive.region_id)


def reads_region_summary(user) -> bool:
    """The meeting's pack prints the whole region's results summary: for the roles that read
    summaries with a region-wide view (a district prosecutor reads their districts' summaries only,
    a body's officer none), as reporting's own pages allow."""
    return is_region_wide(user) and role_of(user) in SUMMARY_READERS


def may_control(user) -> bool:
    """Who may be named a directive's controller: a prosecutor or a keeper of the board."""
    return user.is_active and role_of(user) in PROSECUTOR_ROLES | BOARD_KEEPERS
