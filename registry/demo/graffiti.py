"""Demo graffiti, a step of the `demo` command (after the demo reports, whose graffiti answers carry
their "painted over" photos: signals.demo): each demo report of the graffiti category made a
graffiti record, its answers replayed by the services' own rule (registry.services.graffiti), in
bulk. The rows and events are those the tasks would have written as each step happened: the record
when the report came in, destroyed at the answer that showed it painted over with a photo, withdrawn
when the prosecutor returned that answer, destroyed again by the next one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from accounts.models import Region
from signals.models import Answer, Report, ReportPhoto

from .. import policy
from ..models import Graffiti, GraffitiEvent
from ..services.graffiti import AnswerFacts, shows_painted_over, standing_destruction
from .indicators import CHUNK

Status = Graffiti.Status
Event = GraffitiEvent.Kind


def create_demo_graffiti(command) -> None:
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Graffiti.objects.filter(region=region).exists():
            command.stdout.write(f"Graffiti of {region.short_code} exist: skipped.")
            continue
        records, destroyed = build_demo_graffiti(region=region)
        command.stdout.write(f"Demo graffiti of {region.short_code}: {records} records, {destroyed} destroyed.")


def refresh_demo_graffiti(command) -> None:
    """The graffiti reports added since (the demo made on an earlier day, brought up to today); a
    region without graffiti records is left alone."""
    for region in Region.objects.filter(districts__isnull=False).distinct():
        if Graffiti.objects.filter(region=region).exists():
            build_demo_graffiti(region=region)


def _answers(report_ids: list[int]) -> dict[int, list[AnswerFacts]]:
    with_photo = set(
        ReportPhoto.objects.filter(
            report_id__in=report_ids, source=ReportPhoto.Source.ANSWER, answer__isnull=False
        ).values_list("answer_id", flat=True)
    )
    answers = defaultdict(list)
    rows = Answer.objects.filter(report_id__in=report_ids).order_by("report_id", "at", "id")
    for pk, report_id, at, measures, decision, decided_at in rows.values_list(
        "pk", "report_id", "at", "measures", "decision", "decided_at"
    ):
        answers[report_id].append(AnswerFacts(pk, at, tuple(measures or ()), decision, decided_at, pk in with_photo))
    return answers


def _replay(report: Report, answers: list[AnswerFacts], now: datetime) -> tuple[Graffiti, list[GraffitiEvent]]:
    """The record and its events as the task, run at each step of the report, would have left them."""
    graffiti = Graffiti(
        region_id=report.region_id,
        district_id=report.district_id,
        report_id=report.pk,
        latitude=report.latitude,
        longitude=report.longitude,
        address=report.address,
        reported_at=report.submitted_at,
        recorded_at=report.submitted_at,
    )
    at = report.submitted_at
    events = [GraffitiEvent(kind=Event.RECORDED, status=Status.REPORTED, at=at, recorded_at=at)]
    standing: tuple[AnswerFacts, GraffitiEvent] | None = None

    def withdraw(moment: datetime) -> None:
        nonlocal standing
        answer, destroyed = standing
        destroyed.until = moment
        events.append(
            GraffitiEvent(
                kind=Event.WITHDRAWN, status=Status.REPORTED, at=moment, recorded_at=moment, answer_id=answer.id
            )
        )
        standing = None

    for answer in answers:
        if standing is not None:  # a new answer replaces the one that stood
            withdraw(answer.at)
        if shows_painted_over(answer):
            destroyed = GraffitiEvent(
                kind=Event.DESTROYED, status=Status.DESTROYED, at=answer.at, recorded_at=answer.at, answer_id=answer.id
            )
            events.append(destroyed)
            standing = (answer, destroyed)
        if standing is not None and answer.decision == Answer.Decision.RETURNED and answer.decided_at:
            withdraw(answer.decided_at)
    if standing is not None and standing_destruction(answers, report.status) is None:
        withdraw(now)  # the report returned after its reporter reopened it
    if standing is not None:
        graffiti.status, graffiti.destroyed_at, graffiti.destroyed_by_answer_id = (
            Status.DESTROYED,
            standing[0].at,
            standing[0].id,
        )
    return graffiti, events


def build_demo_graffiti(*, region: Region, now: datetime | None = None) -> tuple[int, int]:
    """The region's graffiti records of the reports that have none yet: (records, destroyed now)."""
    now = now or timezone.now()
    reports = (
        Report.objects.filter(region=region, category__code__in=policy.GRAFFITI_CATEGORIES)
        .exclude(pk__in=Graffiti.objects.filter(region=region).values("report_id"))
        .only("pk", "region_id", "district_id", "latitude", "longitude", "address", "submitted_at", "status")
        .order_by("pk")
    )
    reports = list(reports)  # read whole before writing: the query names the table written
    destroyed = sum(_write(reports[start : start + CHUNK], now) for start in range(0, len(reports), CHUNK))
    return len(reports), destroyed


def _write(reports: list[Report], now: datetime) -> int:
    answers = _answers([report.pk for report in reports])
    replayed = [_replay(report, answers.get(report.pk, []), now) for report in reports]
    Graffiti.objects.bulk_create([graffiti for graffiti, _events in replayed])
    events = []
    for graffiti, its_events in replayed:
        for event in its_events:
            event.graffiti = graffiti
            events.append(event)
    GraffitiEvent.objects.bulk_create(events)
    return sum(graffiti.status == Status.DESTROYED for graffiti, _events in replayed)
