"""The demo's drug graffiti: the demo reports' answers carry their "painted over" photos (signals'
demo), the registry's demo step makes their records, and the summary of 1 January - 30 September
2025 as of 16 October 2025 says "over 300" graffiti destroyed, as the reference document does; the
figure is checked against the records it counts and against the answers themselves."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.zones import day_start
from registry.demo.graffiti import create_demo_graffiti, refresh_demo_graffiti
from registry.models import Graffiti, GraffitiEvent
from reporting.figures import Request, compute
from reporting.sentences import narrative
from reporting.tests import facts
from signals.demo.builder import DEMO_END, DEMO_REPORTS_PER_REGION, DEMO_SEED, DEMO_START, bulk_build_reports
from signals.models import Answer, Report, ReportPhoto

pytestmark = pytest.mark.django_db


def run(step) -> str:
    command = BaseCommand(stdout=StringIO(), stderr=StringIO())
    step(command)
    return command.stdout.getvalue()


def painted_over_answers(region, start: date, end: date, as_of: date) -> int:
    """Straight from signals' rows: the graffiti reports' answers given in the period that said
    "painted over" with a photo and that, by the end of the "as of" day, had been neither returned
    nor followed by another answer."""
    first, after, known = (
        day_start(start, region),
        day_start(end + timedelta(days=1), region),
        day_start(as_of + timedelta(days=1), region),
    )
    with_photo = set(ReportPhoto.objects.filter(source="answer").values_list("answer_id", flat=True))
    answers = Answer.objects.filter(report__region=region, report__category__code="drug-graffiti").order_by("at", "id")
    by_report: dict = {}
    for answer in answers:
        by_report.setdefault(answer.report_id, []).append(answer)
    counted = 0
    for its_answers in by_report.values():
        for index, answer in enumerate(its_answers):
            later = its_answers[index + 1] if index + 1 < len(its_answers) else None
            counted += (
                first <= answer.at < after
                and Answer.Measure.GRAFFITI_REMOVED in answer.measures
                and answer.pk in with_photo
                and not (answer.decision == "returned" and answer.decided_at < known)
                and not (later is not None and later.at < known)
            )
    return counted


def test_the_demo_gives_over_300_graffiti_destroyed_in_the_nine_months_of_2025(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    region = facts.region()
    bulk_build_reports(
        region=region,
        count=DEMO_REPORTS_PER_REGION,
        seed=DEMO_SEED,
        start=DEMO_START,
        end=DEMO_END,
        now=timezone.now(),
        live_until_now=True,
    )
    assert "Demo graffiti of AKT" in run(create_demo_graffiti)
    graffiti_reports = Report.objects.filter(category__code="drug-graffiti")
    assert Graffiti.objects.count() == graffiti_reports.count() > 1000
    # Some answers said "painted over" without a photo: not counted.
    with_photo = set(ReportPhoto.objects.filter(source="answer").values_list("answer_id", flat=True))
    said_so = Answer.objects.filter(report__in=graffiti_reports).values_list("pk", "measures")
    assert any("graffiti_removed" in measures and pk not in with_photo for pk, measures in said_so)

    request = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16))
    summary = compute(request)
    figure = summary.figure("drugs.graffiti.destroyed")
    assert 300 < figure.value < 400, figure.value
    assert figure.value == painted_over_answers(region, date(2025, 1, 1), date(2025, 9, 30), date(2025, 10, 16))
    start, end = day_start(date(2025, 1, 1), region), day_start(date(2025, 10, 1), region)
    held = Q(until__isnull=True) | Q(until__gt=day_start(date(2025, 10, 17), region))
    events = GraffitiEvent.objects.filter(kind="destroyed", at__gte=start, at__lt=end).filter(held)
    assert figure.value == events.count()
    assert 0 < figure.base < 400  # 2024's nine months: plausible too
    reported = summary.figure("drugs.graffiti.reported")
    assert reported.value == graffiti_reports.filter(submitted_at__gte=start, submitted_at__lt=end).count()

    text = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "ru"))
    assert "Уничтожено свыше 300 граффити с рекламой наркотиков" in text
    kazakh = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "kk"))
    assert "Есірткі жарнамасы бар 300-ден артық граффити жойылды" in kazakh
    english = " ".join(" ".join(p.sentences) for p in narrative(summary.figures, "en"))
    assert "Over 300 drug advertisements (graffiti) destroyed" in english

    count = GraffitiEvent.objects.count()
    assert "skipped" in run(create_demo_graffiti) and GraffitiEvent.objects.count() == count
    run(refresh_demo_graffiti)  # no graffiti report since
    assert GraffitiEvent.objects.count() == count
