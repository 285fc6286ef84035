"""The deadline sweep: which reports it marks, one set-based update, idempotence, the digests it
sends (one per body and per prosecutor), escalation after N working days, the dry run, the
command and the scheduled task."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Notification, Organisation, Role, User
from lib.scheduling import run_job
from signals.deadlines import working_days_ago
from signals.models import Report, ReportEvent
from signals.services import report_submit
from signals.sweep import DIGEST_LIST_LIMIT, sweep_deadlines
from signals.tasks import sweep_deadlines_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Notifications are written in each recipient's language, else the deployment's: English here."""
    settings.LANGUAGE_CODE = "en"


Status = Report.Status
Kind = ReportEvent.Kind
ALGA = "153200000"
NOW = timezone.make_aware(timezone.datetime(2025, 4, 16, 10, 0))  # a Wednesday, a working day


def new_report(category="public-order", district=ALGA, **overrides) -> Report:
    values = {
        "actor": None,
        "category": category,
        "description": "Fights near the shop every night.",
        "channel": Report.Channel.WEB,
        "district": District.objects.get(kato=district),
        "address": "Alga, Main street 1",
    }
    values.update(overrides)
    return report_submit(**values).report


def due(report: Report, deadline, status=Status.ROUTED, **fields) -> Report:
    Report.objects.filter(pk=report.pk).update(deadline_at=deadline, status=status, **fields)
    report.refresh_from_db()
    return report


def copies(report: Report, count: int, deadline) -> list[Report]:
    """`count` more reports like `report` (same body and district), due at `deadline`."""
    made = []
    for number in range(count):
        clone = Report.objects.get(pk=report.pk)
        clone.pk = None
        clone.reference = f"{report.reference}-{number:03d}"
        clone.tracking_token_hash = f"{report.tracking_token_hash[:50]}{number:014d}"
        clone.deadline_at = deadline
        clone.status = Status.ROUTED
        made.append(clone)
    return Report.objects.bulk_create(made)


def officer(username: str, code: str = "akt-police-alga", **fields) -> User:
    return User.objects.create(
        username=username, role=Role.BODY_OFFICER, organisation=Organisation.objects.get(code=code), **fields
    )


def notifications_of(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


# --- what is marked ----------------------------------------------------------------------------


def test_it_marks_exactly_the_reports_awaiting_an_answer_past_their_deadline():
    past = NOW - timedelta(hours=1)
    marked = [due(new_report(), past, status) for status in (Status.ROUTED, Status.ACCEPTED, Status.RETURNED)]
    answered = due(new_report(), past, Status.ANSWERED)
    resolved = due(new_report(), past, Status.RESOLVED)
    reopened = due(new_report(), past, Status.REOPENED)
    triage = due(new_report(), past, Status.NEW)
    not_yet = due(new_report(), NOW + timedelta(minutes=1))
    exactly_now = due(new_report(), NOW)
    earlier_sweep = NOW - timedelta(days=1)
    already = due(new_report(), past - timedelta(days=2), overdue=True, overdue_at=earlier_sweep)

    result = sweep_deadlines(now=NOW)

    assert result.marked == 3
    marked_ids = set(Report.objects.filter(overdue_at=NOW).values_list("id", flat=True))
    assert marked_ids == {report.pk for report in marked}
    assert set(Report.objects.filter(pk__in=marked_ids, overdue=True).values_list("id", flat=True)) == marked_ids
    for report in (answered, resolved, reopened, triage, not_yet, exactly_now):
        report.refresh_from_db()
        assert (report.overdue, report.overdue_at) == (False, None), report.status
    already.refresh_from_db()
    assert already.overdue_at == earlier_sweep
    events = ReportEvent.objects.filter(kind=Kind.OVERDUE)
    assert sorted(events.values_list("report_id", flat=True)) == sorted(marked_ids)
    for event in events:
        report = Report.objects.get(pk=event.report_id)
        assert (event.at, event.from_status, event.to_status, event.body_id, event.actor) == (
            NOW,
            report.status,
            report.status,
            report.body_id,
            None,
        )
        assert event.data == {"deadline": report.deadline_at.isoformat()}


def test_it_runs_the_same_number_of_queries_for_3_and_for_30_reports(persona):
    officer("duty-1")
    officer("duty-2")
    persona("alga_prosecutor")
    counts = []
    from accounts.zones import zones_by_region

    zones_by_region()  # the per-process zone cache, warm on a running server (accounts.zones)
    for size, now in ((3, NOW), (30, NOW + timedelta(hours=1))):  # nothing to escalate in either
        first = due(new_report(), now - timedelta(hours=2))
        copies(first, size - 1, now - timedelta(hours=1))
        with CaptureQueriesContext(connection) as queries:
            result = sweep_deadlines(now=now)
        assert result.marked == size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    reports = [sql for sql in updates if sql.startswith('UPDATE "signals_report" ')]
    assert len(reports) == 2  # one marks, one escalates: set-based, whatever the number of reports
    # One closes the marked reports' open events (each new event is its report's state from now).
    events = [sql for sql in updates if sql.startswith('UPDATE "signals_reportevent" ')]
    assert len(events) == 1 and len(reports) + len(events) == len(updates)


def test_it_notifies_once_when_run_twice(persona):
    duty = officer("duty-1")
    prosecutor = persona("alga_prosecutor")
    due(new_report(), NOW - timedelta(hours=1))
    due(new_report(), NOW - timedelta(hours=3))

    first = sweep_deadlines(now=NOW)
    again = sweep_deadlines(now=NOW)  # the same moment (a repeated --at)
    later = sweep_deadlines(now=NOW + timedelta(minutes=5))

    assert (first.marked, again.marked, later.marked) == (2, 0, 0)
    assert (again.notifications, later.notifications) == (0, 0)
    assert first.notifications == 2
    assert len(notifications_of(duty)) == 1
    assert len(notifications_of(prosecutor)) == 1
    assert ReportEvent.objects.filter(kind=Kind.OVERDUE).count() == 2
    assert DBTaskResult.objects.filter(task_path="accounts.tasks.mail_notifications").count() == 2


def test_it_marks_a_report_again_once_its_new_deadline_passes():
    report = due(new_report(), NOW - timedelta(hours=1))
    sweep_deadlines(now=NOW)
    # Returned for re-work with a fresh deadline (the service resets `overdue`).
    due(report, NOW + timedelta(days=2), Status.RETURNED, overdue=False)
    later = NOW + timedelta(days=3)
    assert sweep_deadlines(now=later).marked == 1
    report.refresh_from_db()
    assert report.overdue_at == later
    assert ReportEvent.objects.filter(report=report, kind=Kind.OVERDUE).count() == 2


# --- the digests -------------------------------------------------------------------------------


def test_it_sends_each_body_one_notification_listing_its_reports(persona):
    duty, night = officer("duty-1"), officer("duty-2")
    officer("retired", is_active=False)
    akimat_officer = officer("akimat-1", code="akt-akimat-alga")
    prosecutor, other_prosecutor = persona("alga_prosecutor"), persona("temir_prosecutor")
    reports = [due(new_report(), NOW - timedelta(hours=hours)) for hours in (5, 1, 3)]

    result = sweep_deadlines(now=NOW)

    assert result.notifications == 3  # two officers and the district prosecutor
    for user in (duty, night):
        (notification,) = notifications_of(user)
        assert "3 reports are overdue" in notification.subject
        assert "3 reports of your body" in notification.text
        listed = [line for line in notification.text.splitlines() if line.startswith("- ")]
        # Oldest deadline first; no body named to the body itself.
        assert [line.split(",")[0] for line in listed] == [
            f"- {report.reference}" for report in sorted(reports, key=lambda r: r.deadline_at)
        ]
        assert all("deadline" in line and "Police" not in line for line in listed)
        assert notification.url
    (notification,) = notifications_of(prosecutor)
    assert "3 reports in your districts" in notification.text
    assert all(report.reference in notification.text for report in reports)
    assert notifications_of(akimat_officer) == [] and notifications_of(other_prosecutor) == []


def test_it_gives_only_the_reference_of_a_sensitive_report(persona):
    duty = officer("duty-1")
    prosecutor = persona("alga_prosecutor")
    secret = due(
        new_report("domestic-violence", description="Neighbour beats his wife", address="Flat 12, Oak street"),
        NOW - timedelta(hours=1),
    )
    plain = due(new_report(), NOW - timedelta(hours=2))

    sweep_deadlines(now=NOW)

    for user in (duty, prosecutor):
        (notification,) = notifications_of(user)
        lines = notification.text.splitlines()
        assert f"- {secret.reference}" in lines  # the reference alone on its line
        assert any(line.startswith(f"- {plain.reference}, ") and "deadline" in line for line in lines)
        for leak in ("Neighbour", "Oak street", "Domestic", "violence"):
            assert leak not in notification.subject + notification.text


def test_it_lists_the_first_references_and_counts_the_rest(persona):
    duty = officer("duty-1")
    first = due(new_report(), NOW - timedelta(days=1))
    copies(first, DIGEST_LIST_LIMIT + 9, NOW - timedelta(hours=1))

    result = sweep_deadlines(now=NOW)

    assert result.marked == DIGEST_LIST_LIMIT + 10
    (notification,) = notifications_of(duty)
    assert f"{DIGEST_LIST_LIMIT + 10} reports are overdue" in notification.subject
    listed = [line for line in notification.text.splitlines() if line.startswith("- ")]
    assert len(listed) == DIGEST_LIST_LIMIT
    assert listed[0].startswith(f"- {first.reference},")  # the oldest deadline first
    assert "and 10 more" in notification.text


def test_it_tells_the_prosecutor_of_a_city_about_its_city_districts():
    city = District.objects.filter(kind=District.Kind.CITY_DISTRICT).select_related("parent").first()
    office = Organisation.objects.filter(districts=city.parent, kind=Organisation.Kind.PROSECUTOR_OFFICE).first()
    prosecutor = User.objects.create(username="city-prosecutor", role=Role.DISTRICT_PROSECUTOR, organisation=office)
    report = due(new_report(district=city.kato, address="Aktobe, Abay 1"), NOW - timedelta(hours=1))

    sweep_deadlines(now=NOW)

    (notification,) = notifications_of(prosecutor)
    assert report.reference in notification.text


# --- escalation --------------------------------------------------------------------------------


def test_it_escalates_to_the_regional_office_after_the_configured_working_days(persona, settings):
    settings.OVERDUE_ESCALATION_WORKING_DAYS = 3
    regional, department = persona("regional_prosecutor"), persona("department_prosecutor")
    prosecutor = persona("alga_prosecutor")
    threshold = working_days_ago(NOW, 3)
    long_overdue = due(new_report(), threshold - timedelta(minutes=1))
    recent = due(new_report(), threshold + timedelta(minutes=1))
    answered_late = due(new_report(), threshold - timedelta(days=1), Status.ANSWERED)

    result = sweep_deadlines(now=NOW)

    assert (result.marked, result.escalated) == (2, 1)
    long_overdue.refresh_from_db()
    recent.refresh_from_db()
    answered_late.refresh_from_db()
    assert long_overdue.escalated_at == NOW
    assert recent.escalated_at is None and answered_late.escalated_at is None
    event = ReportEvent.objects.get(kind=Kind.ESCALATED)
    assert event.report_id == long_overdue.pk and event.data["working_days"] == 3
    for user in (regional, department):
        (notification,) = notifications_of(user)
        assert "1 report escalated" in notification.subject
        assert long_overdue.reference in notification.text and recent.reference not in notification.text
    assert len(notifications_of(prosecutor)) == 1  # the overdue digest, not the escalation

    # Two working days later the recent one is overdue long enough; the first is not escalated again.
    later = NOW + timedelta(days=2)
    assert working_days_ago(later, 3) > recent.deadline_at
    again = sweep_deadlines(now=later)
    assert (again.marked, again.escalated) == (0, 1)
    recent.refresh_from_db()
    assert recent.escalated_at == later
    assert ReportEvent.objects.filter(kind=Kind.ESCALATED, report=long_overdue).count() == 1
    assert sweep_deadlines(now=later + timedelta(minutes=5)).escalated == 0
    assert len(notifications_of(regional)) == 2


def test_it_escalates_a_report_again_only_after_a_new_overdue_period(persona, settings):
    settings.OVERDUE_ESCALATION_WORKING_DAYS = 1
    persona("regional_prosecutor")
    report = due(new_report(), working_days_ago(NOW, 1) - timedelta(hours=1))
    assert sweep_deadlines(now=NOW).escalated == 1
    # Forwarded to another body: a fresh deadline, not overdue any more (report_forward).
    later = NOW + timedelta(days=7)
    due(report, later - timedelta(hours=1), overdue=False)
    second = sweep_deadlines(now=later)
    assert (second.marked, second.escalated) == (1, 0)  # overdue again, but only just
    much_later = later + timedelta(days=14)
    assert sweep_deadlines(now=much_later).escalated == 1
    report.refresh_from_db()
    assert report.escalated_at == much_later


# --- dry run -----------------------------------------------------------------------------------


def test_it_changes_nothing_in_a_dry_run(persona, settings):
    settings.OVERDUE_ESCALATION_WORKING_DAYS = 2
    officer("duty-1")
    persona("regional_prosecutor")
    due(new_report(), NOW - timedelta(hours=1))
    due(new_report(), working_days_ago(NOW, 2) - timedelta(hours=1))  # marked and escalated in one run
    due(new_report(), NOW + timedelta(hours=1))
    before = list(Report.objects.order_by("id").values("id", "overdue", "overdue_at", "escalated_at"))

    dry = sweep_deadlines(now=NOW, dry_run=True)

    assert (dry.marked, dry.escalated, dry.notifications, dry.dry_run) == (2, 1, 0, True)
    assert list(Report.objects.order_by("id").values("id", "overdue", "overdue_at", "escalated_at")) == before
    assert not ReportEvent.objects.filter(kind__in=[Kind.OVERDUE, Kind.ESCALATED]).exists()
    assert not Notification.objects.exists()
    real = sweep_deadlines(now=NOW)
    assert (real.marked, real.escalated) == (dry.marked, dry.escalated)


# --- the command and the task ----------------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command("sweep_deadlines", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_how_many_reports_it_marks():
    due(new_report(), NOW - timedelta(hours=1))
    due(new_report(), NOW - timedelta(hours=2))
    output = run_command("--at", "2025-04-16T10:00:00+05:00")
    assert "marked 2 report(s) overdue" in output and "escalated 0" in output
    assert run_command("--at", "2025-04-16T10:00:00+05:00").count("marked 0 report(s)") == 1


def test_the_command_reads_a_time_without_offset_in_local_time():
    report = due(new_report(), NOW - timedelta(minutes=1))
    assert "would mark 0" in run_command("--dry-run", "--at", "2025-04-16T09:58")
    output = run_command("--dry-run", "--at", "2025-04-16T10:00")
    assert "Dry run as of 2025-04-16T10:00:00+05:00: would mark 1 report(s) overdue" in output
    assert "nothing was changed" in output
    report.refresh_from_db()
    assert report.overdue is False


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01T10:00", "2025-04-16T25:00", ""])
def test_the_command_refuses_a_bad_at(value):
    due(new_report(), NOW - timedelta(hours=1))
    with pytest.raises(CommandError, match="not an ISO 8601 date and time"):
        run_command("--at", value)
    assert not Report.objects.filter(overdue=True).exists()


def test_the_scheduler_enqueues_the_sweep_and_the_task_sweeps():
    from django.core.cache import cache

    cache.clear()
    assert run_job("sweep-deadlines") is True
    assert run_job("sweep-deadlines") is False  # the same slot: claimed once
    assert DBTaskResult.objects.filter(task_path="signals.tasks.sweep_deadlines_task").count() == 1
    due(new_report(), timezone.now() - timedelta(minutes=1))
    assert sweep_deadlines_task.call() == {"marked": 1, "escalated": 0, "notifications": 0}
    assert sweep_deadlines_task.call()["marked"] == 0
