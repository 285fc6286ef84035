"""The report's status workflow: one table of allowed transitions and who may trigger each.

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

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import PROSECUTOR_ROLES, Role
from accounts.scoping import role_of, work_district_ids

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

# Statuses in which the body still owes an answer (the deadline runs, the sweep looks at them).
AWAITING_ANSWER = frozenset({Status.ROUTED, Status.ACCEPTED, Status.RETURNED})
# Statuses with a body's answer given (the reporter may rate it or say it did not resolve things).
ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.RESOLVED, Status.CLOSED, Status.REOPENED})
# Statuses in which a report may still be re-categorised or re-routed (before the body answers).
OPEN_STATUSES = frozenset({Status.NEW, Status.ROUTED, Status.ACCEPTED, Status.RETURNED})
# Prosecutors' roles that decide on reports of their whole region.
REGIONAL_DECIDERS = frozenset({Role.DEPARTMENT_PROSECUTOR, Role.REGIONAL_PROSECUTOR, Role.ADMIN})


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


def is_prosecutor_for(user, report: Report) -> bool:
    """A district prosecutor covering the report's district, or a regional prosecutor's role."""
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


def is_body_staff_for(user, report: Report) -> bool:
    """A member of the organisation the report is routed to (any staff role)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        report.body_id is not None
        and user.organisation_id == report.body_id
        and user.role not in (Role.CITIZEN, Role.PARTNER)
    )


def may_trigger(user, report: Report, transition: Transition) -> bool:
    if transition.who == BODY:
        return is_body_staff_for(user, report)
    if transition.who == REPORTER:
        return False  # only through the reporter's own tracking link, never a staff action
    return is_prosecutor_for(user, report)


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


def may_see_reporter(user) -> bool:
    """Reporters' contacts are for prosecutors only, never for the body that must act."""
    return user.is_authenticated and role_of(user) in PROSECUTOR_ROLES
