"""Drug graffiti: a citizen's report of the graffiti category becomes a graffiti record with its place;
the body's answer that shows it painted over, with a photo, marks it destroyed; a return of that
answer withdraws the destruction, and a new answer with a photo marks it again.

One service keeps a record in step with its report (`graffiti_sync`), whatever changed: the report
taken in, put in another category, an answer given, accepted or returned (the tasks of
lib.plugins' report_tasks, recategorise_tasks and answer_tasks call it). It reads the report as it
stands and appends the events that bring the record there, so running it twice changes nothing.

What the record should be is `standing_destruction`: the demo (registry.demo.graffiti) replays the
same rule over the demo reports' answers in bulk.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from signals.models import Answer, Report, ReportPhoto

from .. import policy
from ..models import Graffiti, GraffitiEvent

Status = Graffiti.Status
Event = GraffitiEvent.Kind


@dataclass(frozen=True)
class AnswerFacts:
    """What the rule reads of an answer: when, its measures, the prosecutor's decision (and when),
    and whether the body attached a photo to it."""

    id: int
    at: datetime
    measures: tuple
    decision: str
    decided_at: datetime | None
    has_photo: bool


def shows_painted_over(answer: AnswerFacts) -> bool:
    """The issue's "an answer with a 'painted over' photo": the measure and at least one photo;
    the measure without a photo is not counted."""
    return Answer.Measure.GRAFFITI_REMOVED in answer.measures and answer.has_photo


def standing_destruction(answers: list[AnswerFacts], report_status: str) -> AnswerFacts | None:
    """The answer by which the graffiti stands destroyed, or None: the report's last answer, if it
    shows it painted over and stands (neither returned, nor the report returned for re-work after
    its reporter reopened it)."""
    if not answers or report_status == Report.Status.RETURNED:
        return None
    last = answers[-1]
    if last.decision == Answer.Decision.RETURNED or not shows_painted_over(last):
        return None
    return last


def answers_of(report_id: int) -> list[AnswerFacts]:
    with_photo = set(
        ReportPhoto.objects.filter(report_id=report_id, source=ReportPhoto.Source.ANSWER, answer__isnull=False)
        .values_list("answer_id", flat=True)
        .distinct()
    )
    rows = Answer.objects.filter(report_id=report_id).order_by("at", "id")
    return [
        AnswerFacts(pk, at, tuple(measures or ()), decision, decided_at, pk in with_photo)
        for pk, at, measures, decision, decided_at in rows.values_list("pk", "at", "measures", "decision", "decided_at")
    ]


def _event(graffiti: Graffiti, kind: str, at: datetime, now: datetime, answer_id: int | None = None) -> GraffitiEvent:
    return GraffitiEvent.objects.create(
        graffiti=graffiti, kind=kind, status=graffiti.status, at=at, recorded_at=now, answer_id=answer_id
    )


def _close(graffiti: Graffiti, kind: str, now: datetime) -> None:
    """The open "recorded" or "destroyed" event stops holding now."""
    graffiti.events.filter(kind=kind, until__isnull=True).update(until=now)


def _record(report: Report, now: datetime) -> Graffiti | None:
    try:
        with transaction.atomic():  # a savepoint: the same task running at once makes the same row
            graffiti = Graffiti.objects.create(
                region_id=report.region_id,
                district_id=report.district_id,
                report=report,
                latitude=report.latitude,
                longitude=report.longitude,
                address=report.address,
                reported_at=report.submitted_at,
                recorded_at=now,
            )
    except IntegrityError:
        return None
    _event(graffiti, Event.RECORDED, report.submitted_at, now)
    return graffiti


def graffiti_sync(*, report_id: int, now: datetime | None = None) -> Graffiti | None:
    """The report's graffiti record as the report now stands: made when the report is of the
    graffiti category, dropped when it no longer is (recorded again if it comes back), destroyed
    by the answer that shows it painted over, withdrawn when that answer no longer stands. Each
    change an event; none when nothing changed. The record, or None for a report of no graffiti."""
    now = now or timezone.now()
    with transaction.atomic():
        report = Report.objects.select_related("category").filter(pk=report_id).first()
        if report is None:
            return None
        is_graffiti = report.category.code in policy.GRAFFITI_CATEGORIES
        graffiti = Graffiti.objects.select_for_update().filter(report_id=report_id).first()
        if graffiti is None:
            if not is_graffiti:
                return None
            graffiti = _record(report, now) or Graffiti.objects.select_for_update().get(report_id=report_id)
        if not is_graffiti:
            if graffiti.status != Status.DROPPED:
                _close(graffiti, Event.RECORDED, now)
                _close(graffiti, Event.DESTROYED, now)
                graffiti.status, graffiti.destroyed_at, graffiti.destroyed_by_answer = Status.DROPPED, None, None
                graffiti.save(update_fields=["status", "destroyed_at", "destroyed_by_answer"])
                _event(graffiti, Event.DROPPED, now, now)
            return graffiti
        if graffiti.status == Status.DROPPED:  # put back in the graffiti category
            graffiti.status = Status.REPORTED
            graffiti.save(update_fields=["status"])
            _event(graffiti, Event.RECORDED, report.submitted_at, now)
        _follow_answers(graffiti, report, now)
        return graffiti


def _follow_answers(graffiti: Graffiti, report: Report, now: datetime) -> None:
    answers = answers_of(report.pk)
    standing = standing_destruction(answers, report.status)
    if standing is not None and graffiti.destroyed_by_answer_id == standing.id:
        return
    if graffiti.status == Status.DESTROYED:
        # The answer that showed it painted over no longer stands: withdrawn when it was returned.
        previous = next((a for a in answers if a.id == graffiti.destroyed_by_answer_id), None)
        returned = previous is not None and previous.decision == Answer.Decision.RETURNED and previous.decided_at
        withdrawn_at = previous.decided_at if returned else now
        _close(graffiti, Event.DESTROYED, now)
        graffiti.status, graffiti.destroyed_at, graffiti.destroyed_by_answer = Status.REPORTED, None, None
        graffiti.save(update_fields=["status", "destroyed_at", "destroyed_by_answer"])
        _event(graffiti, Event.WITHDRAWN, min(withdrawn_at, now), now, previous.id if previous else None)
    if standing is not None:
        graffiti.status, graffiti.destroyed_at, graffiti.destroyed_by_answer_id = (
            Status.DESTROYED,
            standing.at,
            standing.id,
        )
        graffiti.save(update_fields=["status", "destroyed_at", "destroyed_by_answer"])
        _event(graffiti, Event.DESTROYED, standing.at, now, standing.id)


def answer_graffiti_sync(*, answer_id: int) -> Graffiti | None:
    """An answer given, accepted or returned (lib.plugins' answer_tasks): its report's record."""
    report_id = Answer.objects.filter(pk=answer_id).values_list("report_id", flat=True).first()
    return graffiti_sync(report_id=report_id) if report_id is not None else None
