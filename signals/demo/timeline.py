"""One demo report's life, step by step: the times of its steps (_Clock), its deadlines as the
services compute them (Deadlines), and the fields and rows each step writes (_Timeline).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Protocol

from django.utils import timezone

from accounts.calendar import working_calendar
from accounts.zones import region_zone
from signals.deadlines import compute_deadline, extend_deadline
from signals.models import Answer, Category, ExtensionRequest, Forward, Report, ReportEvent
from signals.policy import transition_for

from .places import Place
from .texts import (
    ANSWERS_KK,
    ANSWERS_RU,
    EXTENSION_REASONS_KK,
    EXTENSION_REASONS_RU,
    FORWARD_REASONS_KK,
    FORWARD_REASONS_RU,
    REJECTION_REASONS,
    REOPEN_REASONS,
    RETURN_REASONS,
    _pick,
)

# Marks the "submitted" event of every demo report, so a second run can tell they exist.
DEMO_MARK = "demo"

Status = Report.Status
Kind = ReportEvent.Kind

ANSWER_RESULTS = (
    Answer.Result.CONFIRMED_CRIMINAL,
    Answer.Result.CONFIRMED_ADMINISTRATIVE,
    Answer.Result.CONFIRMED_OTHER,
    Answer.Result.NOT_CONFIRMED,
)
ANSWER_RESULT_WEIGHTS = (12, 33, 25, 30)
MEASURES_BY_RESULT = {
    Answer.Result.CONFIRMED_CRIMINAL: (Answer.Measure.PRETRIAL, Answer.Measure.LINK_BLOCKING),
    Answer.Result.CONFIRMED_ADMINISTRATIVE: (Answer.Measure.ADMIN_PROTOCOL, Answer.Measure.WARNING),
    Answer.Result.CONFIRMED_OTHER: (Answer.Measure.GRAFFITI_REMOVED, Answer.Measure.PREVENTIVE_TALK),
    Answer.Result.NOT_CONFIRMED: (Answer.Measure.PREVENTIVE_TALK,),
}


# Drug graffiti (the theme "drug_graffiti"): most answers say it was painted over, most of those with
# the photo of the painted-over wall (the registry counts those as destroyed), some without one.
# Drawn from the builder's own `photo_rng`, so the other reports' draws stay what they were.
GRAFFITI_THEME = "drug_graffiti"
GRAFFITI_PAINTED_OVER = 0.80
GRAFFITI_PHOTO = 0.93


class Deadlines:
    """Deadlines by signals.deadlines.compute_deadline, memoised per category and local day for
    business-day deadlines (the only inputs they depend on), so 100,000 reports cost a few
    thousand calendar computations."""

    def __init__(self, zone=None):
        self.zone = region_zone(zone)  # the region's (a ZoneInfo), else settings.TIME_ZONE
        self.calendar = working_calendar()
        self._days: dict = {}

    def deadline(self, category: Category, start: datetime) -> datetime:
        if category.deadline_hours:
            return compute_deadline(category, start, self.calendar, zone=self.zone)
        key = (category.deadline_days, timezone.localdate(start, self.zone))
        if key not in self._days:
            self._days[key] = compute_deadline(category, start, self.calendar, zone=self.zone)
        return self._days[key]


class Plan(Protocol):
    """What a timeline asks of the builder of its report (signals.demo.builder._Builder)."""

    rng: random.Random
    now: datetime
    mark_demo: bool
    actors: dict[int, int]
    deadlines: Deadlines
    references: list[str]
    escalation_line: datetime
    photo_rng: random.Random
    themes: dict

    def fallback_body(self, report: Report) -> int | None: ...

    def other_body(self, report: Report, body_id: int) -> int | None: ...


class OutOfTime(Exception):
    """The next step would fall after the end of the period: the report stays where it is."""


class _Clock:
    """Times of a report's successive steps, each strictly after the last, none after `limit`."""

    def __init__(self, rng: random.Random, start: datetime, limit: datetime):
        self.rng, self.now, self.limit = rng, start, limit

    def after(self, low_hours: float, high_hours: float) -> datetime:
        moment = self.now + max(timedelta(hours=self.rng.uniform(low_hours, high_hours)), timedelta(seconds=1))
        if moment > self.limit:
            raise OutOfTime
        self.now = moment
        return moment

    def tick(self) -> datetime:
        """One second later, whatever the limit: what the service does within the submission."""
        self.now += timedelta(seconds=1)
        return self.now


class _Timeline:
    """One report's life up to its final status: sets the report's fields and lists its events as
    the services would have written them (signals/services.py), each step allowed by the workflow."""

    def __init__(self, builder: Plan, report: Report, place: Place, clock: _Clock):
        self.builder, self.report, self.clock, self.rng = builder, report, clock, builder.rng
        self.prosecutor = builder.actors.get(place.prosecutor_id)
        mark = {DEMO_MARK: True} if builder.mark_demo else {}
        self.answers: list[dict] = []
        # Parallel to `answers`: whether the body attached a "painted over" photo (graffiti only).
        self.answer_photos: list[bool] = []
        self.graffiti = builder.themes[report.category_id].name == GRAFFITI_THEME
        self.forwards: list[dict] = []
        self.extensions: list[dict] = []
        self.supporters = 0
        self.events = [
            {
                "kind": Kind.SUBMITTED,
                "at": report.submitted_at,
                "actor_id": report.entered_by_id,
                "to_status": Status.NEW,
                "deadline_at": report.deadline_at,
                "data": mark | {"channel": report.channel},
            }
        ]

    def _add(self, event: dict) -> None:
        """The next event: as record_event writes it, the report's state after the step (its
        status and body unless the event names them, the deadline in force: set the report's
        fields before)."""
        report = self.report
        state = {"from_status": report.status, "to_status": report.status, "body_id": report.body_id}
        self.events.append(state | event | {"deadline_at": report.deadline_at})

    def play(self, status: str, body_id: int | None, answers: tuple, kazakh: bool, original: int | None) -> None:
        try:
            self._play(status, body_id, answers, kazakh, original)
        except OutOfTime:
            self._finish()  # a late report has not gone further by the end of the period

    def _play(self, status: str, body_id: int | None, answers: tuple, kazakh: bool, original: int | None) -> None:
        report, rng = self.report, self.rng
        if body_id is not None:
            self._route(body_id, self.clock.tick(), actor_id=None)
        else:
            self._add({"kind": Kind.TRIAGE, "at": self.clock.tick(), "to_status": Status.NEW})
            if status == Status.NEW:
                return
            if status in (Status.REJECTED, Status.DUPLICATE) and rng.random() < 0.5:
                return self._close(status, original)  # decided in triage
            body_id = self.builder.fallback_body(report)
            if body_id is None:  # no body to send it to: it stays in triage unless closed there
                return self._close(status, original) if status in (Status.REJECTED, Status.DUPLICATE) else None
            self._route(body_id, self.clock.after(2, 30), actor_id=self.prosecutor, from_triage=True)
        if status in (Status.NEW, Status.ROUTED):
            return self._finish()
        if status in (Status.REJECTED, Status.DUPLICATE):
            return self._close(status, original)
        if rng.random() < 0.05:
            body_id = self._forward(body_id, kazakh)
        body_actor = self.builder.actors.get(body_id)
        self._step(Status.ACCEPTED, self.clock.after(0.5, 30), body_actor)
        if rng.random() < 0.05:
            self._ask_extension(body_id, body_actor, kazakh)
        if status == Status.ACCEPTED:
            return self._finish()
        answers = answers or (ANSWERS_KK if kazakh else ANSWERS_RU)
        self._answer(body_actor, answers)
        if status == Status.ANSWERED:
            return self._finish()
        if status == Status.RETURNED or rng.random() < 0.08:
            reason = _pick(rng, RETURN_REASONS)
            at = self.clock.after(4, 72)
            self._decide(Answer.Decision.RETURNED, at, reason)
            report.answer_result = ""
            report.deadline_at = self.builder.deadlines.deadline(report.category, at)
            self._step(Status.RETURNED, at, self.prosecutor, reason=reason)
            if status == Status.RETURNED:
                return self._finish()
            self._answer(body_actor, answers)
        at = self.clock.after(2, 96)
        self._decide(Answer.Decision.ACCEPTED, at)
        self._step(Status.RESOLVED, at, self.prosecutor)
        if status == Status.CLOSED:
            report.closed_at = self.clock.after(1, 72)
            self._step(Status.CLOSED, report.closed_at, self.prosecutor)
        elif status == Status.REOPENED:
            # The reporter said "not resolved" through the tracking link: the prosecutor decides.
            self._step(Status.REOPENED, self.clock.after(4, 96), None, reason=_pick(rng, REOPEN_REASONS))
        return self._finish()

    def _forward(self, body_id: int, kazakh: bool) -> int:
        """The body passes the report on (to the local akimat, or to the police): the prosecutor
        upholds most forwards; recent ones still wait for review."""
        report, rng = self.report, self.rng
        to_body = self.builder.other_body(report, body_id)
        if to_body is None:
            return body_id
        at = self.clock.after(2, 48)
        reason = _pick(rng, FORWARD_REASONS_KK if kazakh else FORWARD_REASONS_RU)
        decided = self.clock.limit - at > timedelta(days=12)  # the last days' forwards wait for review
        self.forwards.append(
            {
                "from_body_id": body_id,
                "to_body_id": to_body,
                "reason": reason,
                "previous_deadline": report.deadline_at,
                "by_id": self.builder.actors.get(body_id),
                "at": at,
                "decision": Forward.Decision.UPHELD if decided else Forward.Decision.PENDING,
                "decided_by_id": self.prosecutor if decided else None,
                "decided_at": at + timedelta(days=1) if decided else None,
            }
        )
        report.body_id, report.routed_at = to_body, at
        report.deadline_at = self.builder.deadlines.deadline(report.category, at)
        self._add(
            {
                "kind": Kind.FORWARDED,
                "at": at,
                "actor_id": self.builder.actors.get(body_id),
                "from_status": report.status,
                "to_status": Status.ROUTED,
                "body_id": to_body,
                "data": {"from_body": body_id, "to_body": to_body, "reason": reason},
            }
        )
        return to_body

    def _ask_extension(self, body_id: int, actor_id: int | None, kazakh: bool) -> None:
        report, rng = self.report, self.rng
        at = self.clock.after(1, 24)
        if at >= report.deadline_at:
            return
        days = rng.choice((3, 5, 10))
        granted = rng.random() < 0.7
        decided = self.clock.limit - at > timedelta(days=10)
        decided_at = self.clock.after(2, 20) if decided else None
        new_deadline = extend_deadline(
            report.deadline_at, days, self.builder.deadlines.calendar, zone=self.builder.deadlines.zone
        )
        self.extensions.append(
            {
                "body_id": body_id,
                "days": days,
                "reason": _pick(rng, EXTENSION_REASONS_KK if kazakh else EXTENSION_REASONS_RU),
                "by_id": actor_id,
                "at": at,
                "deadline_before": report.deadline_at,
                "decision": (
                    ExtensionRequest.Decision.PENDING
                    if not decided
                    else ExtensionRequest.Decision.GRANTED
                    if granted
                    else ExtensionRequest.Decision.REFUSED
                ),
                "decided_by_id": self.prosecutor if decided else None,
                "decided_at": decided_at,
                "deadline_after": new_deadline if decided and granted else None,
            }
        )
        self._add({"kind": Kind.EXTENSION_REQUESTED, "at": at, "actor_id": actor_id, "body_id": body_id})
        if decided:
            if granted:
                report.deadline_at = new_deadline
            self._add({"kind": Kind.EXTENSION_DECIDED, "at": decided_at, "actor_id": self.prosecutor})

    def _route(self, body_id: int, at: datetime, actor_id: int | None, from_triage: bool = False) -> None:
        report = self.report
        report.body_id, report.routed_at = body_id, at
        report.deadline_at = self.builder.deadlines.deadline(report.category, at)
        event = {
            "kind": Kind.ROUTED,
            "at": at,
            "actor_id": actor_id,
            "from_status": report.status,
            "to_status": Status.ROUTED,
            "body_id": body_id,
        }
        if from_triage:
            event["data"] = {"from_body": None, "to_body": body_id, "deadline": report.deadline_at.isoformat()}
        self._add(event)
        report.status = Status.ROUTED

    def _step(self, to_status: str, at: datetime, actor_id: int | None, **data) -> None:
        transition = transition_for(self.report.status, to_status)  # refuses what the workflow forbids
        self._add(
            {
                "kind": Kind.STATUS,
                "at": at,
                "actor_id": actor_id,
                "from_status": self.report.status,
                "to_status": to_status,
                "body_id": self.report.body_id,
                "data": {"action": transition.action, **data},
            }
        )
        self.report.status = to_status

    def _answer(self, actor_id: int | None, answers: tuple) -> None:
        report, clock, rng = self.report, self.clock, self.rng
        # Most answers come in time; some late (they make the overdue figures).
        span = max((report.deadline_at - clock.now).total_seconds() / 3600, 2)
        at = clock.after(1, span * 0.9) if rng.random() < 0.86 else clock.after(span, span * 1.8)
        report.public_answer = _pick(rng, answers)
        report.answered_at = at
        report.overdue = at > report.deadline_at
        result = rng.choices(ANSWER_RESULTS, ANSWER_RESULT_WEIGHTS)[0]
        measures = list(MEASURES_BY_RESULT[result][: rng.randint(0, len(MEASURES_BY_RESULT[result]))])
        if result == Answer.Result.CONFIRMED_CRIMINAL and not report.registration_number and rng.random() < 0.9:
            # One in ten confirmed crimes is left unregistered: the oversight page's "concealment" list.
            report.registration = rng.choice((Report.Registration.KUI, Report.Registration.ERDR))
            report.registration_number = f"{timezone.localtime(at):%y}{rng.randint(1, 999_999_999):09d}"
            report.registered_at = at
            self._add({"kind": Kind.REGISTERED, "at": at, "actor_id": actor_id})
            at += timedelta(minutes=1)  # the answer follows the registration
            report.answered_at = at
        photo = False
        if self.graffiti:
            result, measures, photo = self._painted_over(result, measures)
        report.answer_result = result
        self.answer_photos.append(photo)
        self.answers.append(
            {
                "body_id": report.body_id,
                "author_id": actor_id,
                "at": at,
                "result": result,
                "measures": measures,
                "text": report.public_answer,
                "public_text": report.public_answer,
                "on_time": at <= report.deadline_at,
            }
        )
        self._step(Status.ANSWERED, at, actor_id)

    def _painted_over(self, result: str, measures: list) -> tuple[str, list, bool]:
        """A graffiti answer: painted over (a confirmed criminal case keeps its result), with or
        without the photo; otherwise as drawn."""
        rng = self.builder.photo_rng
        if rng.random() >= GRAFFITI_PAINTED_OVER:
            return result, measures, Answer.Measure.GRAFFITI_REMOVED in measures and rng.random() < GRAFFITI_PHOTO
        if result != Answer.Result.CONFIRMED_CRIMINAL:
            result = Answer.Result.CONFIRMED_OTHER
        measures = [Answer.Measure.GRAFFITI_REMOVED, *(m for m in measures if m != Answer.Measure.GRAFFITI_REMOVED)]
        return result, measures, rng.random() < GRAFFITI_PHOTO

    def _decide(self, decision: str, at: datetime, reason: str = "") -> None:
        answer = self.answers[-1]
        answer.update(decision=decision, decided_by_id=self.prosecutor, decided_at=at, return_reason=reason)

    def _close(self, status: str, original: int | None) -> None:
        """Rejected or marked a duplicate by the prosecutor."""
        report = self.report
        report.closed_at = self.clock.after(1, 72)
        if status == Status.REJECTED:
            report.rejection_reason = _pick(self.rng, REJECTION_REASONS)
            self._step(status, report.closed_at, self.prosecutor, reason=report.rejection_reason)
        else:
            self._step(status, report.closed_at, self.prosecutor, duplicate_of=self.builder.references[original])

    def _finish(self) -> None:
        """An open report past its deadline is overdue (as the deadline sweep would mark it)."""
        report = self.report
        if report.deadline_at is not None and report.status in (Status.ROUTED, Status.ACCEPTED, Status.RETURNED):
            report.overdue = self.builder.now > report.deadline_at
            if report.overdue:
                # As the deadline sweep would have marked it (and escalated the long overdue).
                report.overdue_at = report.deadline_at + timedelta(minutes=5)
                if report.deadline_at < self.builder.escalation_line:
                    report.escalated_at = report.overdue_at
