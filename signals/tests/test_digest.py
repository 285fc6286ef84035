"""The district prosecutor's daily oversight digest: its contents (counts and first references of
each section, only references for sensitive reports, nothing of other districts), once a day from
DIGEST_HOUR, the claim released when the mail fails, the scheduled job."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import get_language
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Organisation
from lib.scheduling import run_job
from signals.digest import DIGEST_LIST_LIMIT, send_oversight_digests
from signals.models import ExtensionRequest, Forward, Report
from signals.services import report_submit
from signals.tasks import send_oversight_digests_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Notifications are written in each recipient's language, else the deployment's: English here."""
    settings.LANGUAGE_CODE = "en"


Status = Report.Status
ALGA = "153200000"
TEMIR = "155600000"
ZONE = timezone.get_default_timezone()
MORNING = timezone.make_aware(timezone.datetime(2025, 4, 16, 8, 30), ZONE)  # DIGEST_HOUR is 8


def new_report(category="public-order", district=ALGA, status=Status.ROUTED, **fields) -> Report:
    report = report_submit(
        actor=None,
        category=category,
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=district),
        address="Main street 1",
    ).report
    Report.objects.filter(pk=report.pk).update(status=status, **fields)
    report.refresh_from_db()
    return report


def prosecutor(persona, username="alga_prosecutor", email="alga@prok.example.kz"):
    user = persona(username)
    user.email = email
    user.save(update_fields=["email"])
    return user


def digest_data():
    """One report of each section in Alga, and an overdue one in Temir."""
    past, future = MORNING - timedelta(days=1), MORNING + timedelta(days=3)
    police = Organisation.objects.get(code="akt-police-alga")
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    reports = {
        "overdue": new_report(deadline_at=past),
        "returned": new_report(status=Status.RETURNED, deadline_at=future),
        "reopened": new_report(status=Status.REOPENED),
        "answered": new_report(status=Status.ANSWERED, answered_at=MORNING - timedelta(hours=2)),
        "forward": new_report(deadline_at=future, body=akimat),
        "extension": new_report(deadline_at=future),
        "quiet": new_report(deadline_at=future),
        "temir": new_report(district=TEMIR, deadline_at=past, address="Temir, Main street 1"),
    }
    Forward.objects.create(
        report=reports["forward"], from_body=police, to_body=akimat, reason="Not ours", at=MORNING - timedelta(hours=5)
    )
    ExtensionRequest.objects.create(
        report=reports["extension"],
        body=police,
        days=3,
        reason="Expert opinion awaited",
        at=MORNING - timedelta(hours=4),
        deadline_before=future,
    )
    return reports


def section(body: str, title: str) -> list[str]:
    """The lines of one section of a digest: its title with the count, then its items."""
    lines = body.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(title))
    end = next((index for index in range(start + 1, len(lines)) if not lines[index].startswith(("-", "…"))), None)
    return lines[start:end]


def test_it_summarises_the_prosecutors_districts(persona):
    alga = prosecutor(persona)
    reports = digest_data()

    assert send_oversight_digests(now=MORNING) == 1

    (message,) = mail.outbox
    assert message.to == [alga.email]
    assert "daily oversight digest" in message.subject
    expected = {
        "Overdue now": "overdue",
        "Answers returned for re-work": "returned",
        "Reopened by the reporter": "reopened",
        "Forwards to review": "forward",
        "Deadline extensions to decide": "extension",
        "Answers waiting for acceptance": "answered",
    }
    for title, key in expected.items():
        lines = section(message.body, title)
        assert lines[0].endswith(": 1"), lines
        assert len(lines) == 2 and lines[1].startswith(f"- {reports[key].reference}")
    assert "deadline" in section(message.body, "Overdue now")[1]
    assert reports["quiet"].reference not in message.body
    assert reports["temir"].reference not in message.body  # another district


def test_it_mails_each_prosecutor_once_a_day(persona):
    prosecutor(persona)
    digest_data()
    assert send_oversight_digests(now=MORNING) == 1
    assert send_oversight_digests(now=MORNING + timedelta(hours=1)) == 0
    assert send_oversight_digests(now=MORNING + timedelta(hours=14)) == 0  # 22:30 the same day
    assert len(mail.outbox) == 1
    assert send_oversight_digests(now=MORNING + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_it_sends_nothing_before_the_digest_hour(persona, settings):
    settings.DIGEST_HOUR = 9
    prosecutor(persona)
    digest_data()
    assert send_oversight_digests(now=MORNING) == 0  # 8:30
    assert mail.outbox == []
    assert send_oversight_digests(now=MORNING + timedelta(minutes=30)) == 1


def test_it_mails_only_prosecutors_with_an_address_and_something_to_read(persona):
    prosecutor(persona, email="")
    temir = prosecutor(persona, "temir_prosecutor", email="temir@prok.example.kz")
    for username in ("regional_prosecutor", "alga_officer"):
        prosecutor(persona, username, email=f"{username}@example.kz")
    new_report(deadline_at=MORNING - timedelta(days=1))  # in Alga only

    assert send_oversight_digests(now=MORNING) == 0
    assert mail.outbox == []
    new_report(district=TEMIR, deadline_at=MORNING - timedelta(days=1), address="Temir, Main street 1")
    assert send_oversight_digests(now=MORNING + timedelta(hours=1)) == 0  # Temir's day is claimed already
    assert send_oversight_digests(now=MORNING + timedelta(days=1)) == 1
    assert mail.outbox[0].to == [temir.email]


def test_it_carries_only_counts_and_references_of_sensitive_reports(persona):
    prosecutor(persona)
    secret = new_report(
        "domestic-violence",
        description="Neighbour beats his wife",
        address="Flat 12, Oak street",
        deadline_at=MORNING - timedelta(hours=3),
    )
    plain = new_report(deadline_at=MORNING - timedelta(hours=2))
    send_oversight_digests(now=MORNING)
    body = mail.outbox[0].body
    lines = section(body, "Overdue now")
    assert lines[0].endswith(": 2")
    assert f"- {secret.reference}" in lines
    assert any(line.startswith(f"- {plain.reference}, ") and "deadline" in line for line in lines)
    for leak in ("Neighbour", "Oak street", "Domestic", "violence"):
        assert leak not in mail.outbox[0].subject + body


def test_it_lists_the_first_references_and_counts_the_rest(persona):
    prosecutor(persona)
    made = [new_report(deadline_at=MORNING - timedelta(hours=hours)) for hours in range(DIGEST_LIST_LIMIT + 3, 0, -1)]
    send_oversight_digests(now=MORNING)
    lines = section(mail.outbox[0].body, "Overdue now")
    assert lines[0].endswith(f": {DIGEST_LIST_LIMIT + 3}")
    assert [line.split(",")[0] for line in lines[1:-1]] == [f"- {r.reference}" for r in made[:DIGEST_LIST_LIMIT]]
    assert lines[-1] == "…and 3 more"


def test_it_tries_again_next_time_when_the_mail_fails(persona):
    prosecutor(persona)
    digest_data()
    with mock.patch("lib.mail.get_connection") as connection:
        connection.return_value.send_messages.side_effect = OSError("SMTP down")
        with pytest.raises(OSError):
            send_oversight_digests(now=MORNING)
    assert send_oversight_digests(now=MORNING + timedelta(hours=1)) == 1


def test_it_writes_in_the_prosecutors_language(persona):
    user = prosecutor(persona)
    user.language = "ru"
    user.save(update_fields=["language"])
    digest_data()
    with mock.patch("signals.digest.render_digest", side_effect=lambda sections, day: (get_language(), "")):
        send_oversight_digests(now=MORNING)
    assert mail.outbox[0].subject == "ru"


def test_the_scheduler_enqueues_the_digest_hourly_and_the_task_sends_it(persona, settings):
    assert run_job("oversight-digest") is True
    assert run_job("oversight-digest") is False
    assert DBTaskResult.objects.filter(task_path="signals.tasks.send_oversight_digests_task").count() == 1
    settings.DIGEST_HOUR = 0  # whatever the hour the test runs at
    prosecutor(persona)
    new_report(deadline_at=timezone.now() - timedelta(days=1))
    assert send_oversight_digests_task.call() == 1
    assert send_oversight_digests_task.call() == 0
