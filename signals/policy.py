"""The report policy: every rule about offence reports that more than one place must agree on.

Views, services, the REST API, Open311, the sweep, the digest and the oversight statistics ask
this module, and nobody keeps a copy of a role set or a status set:

- the workflow: one table of allowed transitions and who may trigger each;
- the status groups (awaiting an answer, answered, open and closed, mergeable...);
- the one definition of "late", "on time" and "overdue" (the oversight page and the results
  summary read the same figure);
- who may do what to a report, as named checks (may_decide, may_answer, may_register...), and
  which reports an integrated system's API key reads;
- who oversees a report and who hears of a change (signals.notices sends, through
  accounts.notifications, to the people named here).

The workflow:

    new --route--> routed --accept--> accepted --answer--> answered --resolve--> resolved --close--> closed
                                                           answered --return--> returned --answer--> answered
    routed --answer--> answered (a body may answer without accepting first)
    new / routed --reject (with a reason)--> rejected
    new / routed / accepted / returned --duplicate (of another report, or merged into it)--> duplicate
    answered / resolved / closed --the reporter says "not resolved"--> reopened
    reopened --return--> returned, reopened --close--> closed (the prosecutor decides)

rejected and duplicate are final; closed is final for staff (only the reporter reopens it).
Answering goes through signals.services.answer_give (it writes the Answer); returning and
resolving decide that answer.

Who: the body's own staff (the organisation the report is routed to) accept and answer; a
district prosecutor whose work covers the report's district, or a regional prosecutor's role,
routes, rejects, marks duplicates, resolves, returns and closes.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import PROSECUTOR_ROLES, District, Organisation, Role, User
from accounts.roles import ANONYMOUS, OVERSIGHT_ROLES
from accounts.scoping import office_district_ids, role_of, work_district_ids
from lib.deadlines import is_late, late_at, on_time
from lib.lookups import InConstants

from .models import Report

Status = Report.Status

BODY = "body"
PROSECUTOR = "prosecutor"
REPORTER = "reporter"  # through the private tracking link only (signals.services.followup_not_resolved)


@dataclass(frozen=True)
class Transition:
    action: str
    who: str  # BODY, PROSECUTOR or REPORTER


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.NEW, Status.ROUTED): Transition("route", PROSECUTOR),
    (Status.NEW, Status.REJECTED): Transition("reject", PROSECUTOR),
    (Status.NEW, Status.DUPLICATE): Transition("duplicate", PROSECUTOR),
    (Status.ROUTED, Status.ACCEPTED): Transition("accept", BODY),
    (Status.ROUTED, Status.ANSWERED): Transition("answer", BODY),
    (Status.ROUTED, Status.REJECTED): Transition("reject", PROSECUTOR),
    (Status.ROUTED, Status.DUPLICATE): Transition("duplicate", PROSECUTOR),
    (Status.ACCEPTED, Status.ANSWERED): Transition("answer", BODY),
    (Status.ACCEPTED, Status.DUPLICATE): Transition("duplicate", PROSECUTOR),
    (Status.ANSWERED, Status.RESOLVED): Transition("resolve", PROSECUTOR),
    (Status.ANSWERED, Status.RETURNED): Transition("return", PROSECUTOR),
    (Status.ANSWERED, Status.REOPENED): Transition("reopen", REPORTER),
    (Status.RETURNED, Status.ANSWERED): Transition("answer", BODY),
    (Status.RETURNED, Status.DUPLICATE): Transition("duplicate", PROSECUTOR),
    (Status.RESOLVED, Status.CLOSED): Transition("close", PROSECUTOR),
    (Status.RESOLVED, Status.REOPENED): Transition("reopen", REPORTER),
    (Status.CLOSED, Status.REOPENED): Transition("reopen", REPORTER),
    (Status.REOPENED, Status.RETURNED): Transition("return", PROSECUTOR),
    (Status.REOPENED, Status.CLOSED): Transition("close", PROSECUTOR),
}

# --- status groups ------------------------------------------------------------------------------

# The body still owes an answer: the deadline runs, the sweep looks at these, and they are
# overdue once the deadline has passed.
AWAITING_ANSWER = frozenset({Status.ROUTED, Status.ACCEPTED, Status.RETURNED})
# The same, in the order the partial indexes on them spell it (signals.models: the reports'
# `report_awaiting_answer`, the events' `report_event_awaiting`), so a filter matches them on SQLite.
AWAITING_ANSWER_IN_ORDER = (Status.ROUTED.value, Status.ACCEPTED.value, Status.RETURNED.value)
# A body's answer was given (the reporter may rate it or say it did not resolve things).
ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.RESOLVED, Status.CLOSED, Status.REOPENED})
# Dealt with: the prosecutor accepted the answer (resolved, closed), or the report was rejected or
# merged. Open311 says "closed", nobody may join it (me too), nearby searches leave it out.
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE})
OPEN_STATUSES = frozenset(Status.values) - CLOSED_STATUSES
# No way on: nothing more is recorded on such a report (a registration number, say).
FINAL_STATUSES = frozenset({Status.REJECTED, Status.DUPLICATE})
# The report leaves the staff's work (its closed_at is set): final, or closed by the prosecutor.
CLOSING_STATUSES = FINAL_STATUSES | {Status.CLOSED}
# The prosecutor's decisions on the body's answer: accept it (resolved) or send it back.
ANSWER_DECISIONS = frozenset({Status.RESOLVED, Status.RETURNED})
# The statuses a report takes when its answer is given, accepted or returned: the apps' tasks on
# an answer follow them (lib.plugins' answer_tasks).
ANSWER_CHANGES = frozenset({Status.ANSWERED, Status.RESOLVED, Status.RETURNED})
# Before the body's answer: the report may still be re-categorised or re-routed.
REROUTABLE = frozenset({Status.NEW, Status.ROUTED, Status.ACCEPTED, Status.RETURNED})
# The statuses with a "duplicate" transition: a report may be merged into another from these.
MERGEABLE = frozenset(start for (start, to) in TRANSITIONS if to == Status.DUPLICATE)
# The prosecutor may send the body's answer back from these (the "return" transitions).
RETURNABLE = frozenset(start for (start, to) in TRANSITIONS if to == Status.RETURNED)
# The reporter hears of these changes (by mail, when they left an address).
REPORTER_HEARS_OF = frozenset({Status.ANSWERED, Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.RETURNED})
# Prosecutors' roles that decide on reports of their whole region.
REGIONAL_DECIDERS = frozenset({Role.DEPARTMENT_PROSECUTOR, Role.REGIONAL_PROSECUTOR, Role.ADMIN})


# --- lateness: the one definition, for the pages, the sweep, the statistics and the summary ---------
#
# lib.deadlines holds it (is_late, late_at, on time), shared with the board's directives; a report
# with no deadline (not routed yet) is never late. A report is overdue while it awaits the body's
# answer and is late now.


def answered_on_time(deadline_at: datetime | None, answered_at: datetime) -> bool:
    return on_time(deadline_at, answered_at)


def is_overdue(report: Report, now: datetime) -> bool:
    return report.status in AWAITING_ANSWER and is_late(report.deadline_at, now)


def awaiting_answer(status: str = "status") -> Q:
    """The status held in the field `status` awaits the body's answer (AWAITING_ANSWER, as a
    filter). The statuses are written into the SQL in the indexes' order (lib.lookups)."""
    return Q(InConstants(F(status), AWAITING_ANSWER_IN_ORDER))


def overdue_at(now: datetime, *, status: str = "status", deadline: str = "deadline_at") -> Q:
    """The reports overdue at `now` (is_overdue, as a filter). `status` and `deadline` name the
    fields holding them: a report's own by default; a report event's snapshots (to_status,
    deadline_at) for a report as it stood at a past moment (signals.stocks)."""
    return awaiting_answer(status) & late_at(now, deadline)


# Answered at or before the deadline (answered_on_time, as a filter on the report's latest answer),
# and after it.
ANSWERED_ON_TIME = Q(answered_at__lte=F("deadline_at"))
ANSWERED_LATE = Q(answered_at__gt=F("deadline_at"))


class TransitionNotAllowed(ValidationError):
    """A status change the workflow forbids; the message names both statuses."""

    def __init__(self, from_status: str, to_status: str):
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(
            _("A report cannot go from “%(from)s” to “%(to)s”."),
            code="transition_not_allowed",
            params={"from": Status(from_status).label, "to": Status(to_status).label},
        )


def transition_for(from_status: str, to_status: str) -> Transition:
    try:
        return TRANSITIONS[(from_status, to_status)]
    except KeyError:
        raise TransitionNotAllowed(from_status, to_status) from None


def allowed_targets(from_status: str) -> list[str]:
    return [to for (start, to) in TRANSITIONS if start == from_status]


def may_decide(user, report: Report) -> bool:
    """The prosecutor's decisions (route, reject, merge, resolve, return, close, re-categorise,
    re-route, decide forwards and extensions): a district prosecutor covering the report's district,
    or a regional prosecutor's role of its region."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not user.organisation_id:
        return False
    if user.role in REGIONAL_DECIDERS:
        return user.organisation.region_id == report.region_id
    if user.role == Role.DISTRICT_PROSECUTOR:
        return report.district_id is not None and report.district_id in (work_district_ids(user) or set())
    return False


def may_answer(user, report: Report) -> bool:
    """The body's work (accept, answer, assign, forward, ask for more time): a member of the
    organisation the report is routed to (any staff role)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return report.body_id is not None and user.organisation_id == report.body_id and user.role not in NOT_STAFF


def may_trigger(user, report: Report, transition: Transition) -> bool:
    if transition.who == BODY:
        return may_answer(user, report)
    if transition.who == REPORTER:
        return False  # only through the reporter's own tracking link, never a staff action
    return may_decide(user, report)


def actions_for(user, report: Report) -> list[str]:
    """The statuses `user` may move `report` to now (for the pages' buttons)."""
    return [
        to
        for to in allowed_targets(report.status)
        if may_trigger(user, report, TRANSITIONS[(report.status, to)])
        and not (to == Status.ROUTED and report.body_id is None)
        and to not in SERVICE_ONLY_TARGETS
    ]


# Reached only through their own service and form (they need more than a reason): answering
# writes an Answer, marking a duplicate names the original (report_merge).
SERVICE_ONLY_TARGETS = frozenset({Status.ANSWERED})


# --- who may do what -------------------------------------------------------------------------------

# Staff who take reports from callers and visitors.
INTAKE_ROLES = PROSECUTOR_ROLES | {Role.ANALYST, Role.BOARD_SECRETARY}
# Roles that never work on reports: a citizen follows their own, a partner has none.
NOT_STAFF = frozenset({ANONYMOUS, Role.CITIZEN, Role.PARTNER})


def may_work_on_reports(user) -> bool:
    """Staff pages of reports (the list, a report's page): every staff role but partners."""
    return role_of(user) not in NOT_STAFF


def may_list_own_reports(user) -> bool:
    """A registered citizen's list of the reports they sent while logged in."""
    return role_of(user) == Role.CITIZEN


def may_take_reports(user) -> bool:
    """Enter a report for a caller or a visitor."""
    return role_of(user) in INTAKE_ROLES


def may_oversee(user) -> bool:
    """The oversight page of the user's scope."""
    return role_of(user) in OVERSIGHT_ROLES


def is_prosecutor(user) -> bool:
    """A prosecutor's role, whatever report: the panels and filters of prosecutors."""
    return role_of(user) in PROSECUTOR_ROLES


def has_queue(user) -> bool:
    """The body's queue: an officer of a body."""
    return role_of(user) == Role.BODY_OFFICER and bool(user.organisation_id)


def may_see_reporter(user) -> bool:
    """Reporters' contacts are for prosecutors only, never for the body that must act. The role
    itself decides, not role_of: a superuser whose role is not a prosecutor's (the default
    `createsuperuser` gives) has no second factor and must not see them."""
    return user.is_authenticated and user.role in PROSECUTOR_ROLES


def acts_as_body(user, report: Report) -> bool:
    """The body's panels on a report: its own staff (an administrator may act for a body, but is
    not shown the body's forms on every report)."""
    return may_answer(user, report) and (not user.is_superuser or user.organisation_id == report.body_id)


def may_join(report: Report) -> bool:
    """Someone else saw the same thing ("me too"): public and open reports only."""
    return not report.sensitive and report.status not in CLOSED_STATUSES


def may_reroute(user, report: Report) -> bool:
    """Re-categorise or re-route: the prosecutor, before the body's answer."""
    return report.status in REROUTABLE and may_decide(user, report)


def may_register(user, report: Report) -> bool:
    """Record the KUI or ERDR number: the body the report is with, or its prosecutor."""
    return may_answer(user, report) or may_decide(user, report)


REGION_WIDE_OFFICE_TYPES = frozenset({Organisation.Type.REGIONAL_OFFICE, Organisation.Type.REGIONAL_DEPARTMENT})


def api_key_reports(api_key) -> QuerySet:
    """What an integrated system's key reads: a body's key the reports routed to the body; a
    prosecutor's office's key those of the districts it serves (a regional office: the region);
    every key the reports it submitted."""
    organisation = api_key.organisation
    submitted = Q(api_key_id=api_key.pk)
    if organisation.kind == Organisation.Kind.BODY:
        return Report.objects.filter(Q(body_id=organisation.pk) | submitted)
    if organisation.kind == Organisation.Kind.PROSECUTOR_OFFICE:
        if organisation.type in REGION_WIDE_OFFICE_TYPES:
            return Report.objects.filter(Q(region_id=organisation.region_id) | submitted)
        return Report.objects.filter(Q(district_id__in=office_district_ids(organisation)) | submitted)
    return Report.objects.filter(submitted)


# --- who oversees a report, who hears of a change -----------------------------------------------------
#
# A district prosecutor's office oversees the reports of the districts it serves; an office serving
# a city also oversees the city's own districts. A report with no district is the region's.


def covering_district_ids(district: District) -> set[int]:
    """The district and the city it lies in: an office serving either oversees its reports."""
    return {district.pk} | ({district.parent_id} if district.parent_id else set())


def overseers(report: Report) -> QuerySet:
    """The district prosecutors overseeing the report (the region's prosecutors without a district)."""
    if report.district_id is None:
        return regional_overseers(report.region_id)
    covering = covering_district_ids(report.district)
    return User.objects.filter(
        role=Role.DISTRICT_PROSECUTOR, is_active=True, organisation__districts__in=covering
    ).distinct()


def overseer_ids_by_district(district_ids: Iterable[int]) -> dict[int, set[int]]:
    """overseers() for many districts at once (two queries): district id -> the prosecutors' ids."""
    district_ids = set(district_ids)
    parents = dict(District.objects.filter(pk__in=district_ids).values_list("id", "parent_id"))
    serving: dict[int, set[int]] = defaultdict(set)
    rows = User.objects.filter(
        role=Role.DISTRICT_PROSECUTOR, is_active=True, organisation__districts__in=district_ids | set(parents.values())
    ).values_list("id", "organisation__districts")
    for user_id, district_id in rows:
        serving[district_id].add(user_id)
    return {pk: serving[pk] | serving.get(parents.get(pk), set()) for pk in district_ids}


def regional_overseers(region_id: int) -> QuerySet:
    """The regional prosecutors: escalations, and the reports with no district."""
    return User.objects.filter(
        role__in=[Role.REGIONAL_PROSECUTOR, Role.DEPARTMENT_PROSECUTOR],
        organisation__region_id=region_id,
        is_active=True,
    )


def district_overseers() -> QuerySet:
    """Every district prosecutor who oversees a district (the daily digest's readers)."""
    return User.objects.filter(role=Role.DISTRICT_PROSECUTOR, is_active=True, organisation__isnull=False)


def body_staff(body_ids: int | Iterable[int]) -> QuerySet:
    """The active staff of a body (or of several), those may_answer lets act: they hear of what
    the body must do."""
    ids = [body_ids] if isinstance(body_ids, int) else list(body_ids)
    return User.objects.filter(organisation_id__in=ids, is_active=True).exclude(role__in=NOT_STAFF)


def reporter_hears_of(to_status: str) -> bool:
    return to_status in REPORTER_HEARS_OF
