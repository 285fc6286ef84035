"""Every task of offence reports run twice does its work once (a worker killed mid-task, its task
put back in the queue): the body hears of a routing once, a reporter gets a status change's mail
once, a run that died holding a mail leaves it to a later run, and the digest and the sweep send
nothing twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Notification, Organisation, User
from accounts.tasks import mail_notifications
from lib import once
from signals.models import Answer, Report
from signals.services import answer_give, answer_return, report_reroute, report_submit
from signals.tasks import (
    mail_reporters,
    notify_body,
    send_oversight_digests_task,
    sweep_deadlines_task,
)

pytestmark = pytest.mark.django_db

Status = Report.Status
ALGA = "153200000"
MAIL_TASK = "accounts.tasks.mail_notifications"


def officer(email: str) -> User:
    return User.objects.create(
        username=email, email=email, role="body_officer", organisation=Organisation.objects.get(code="akt-police-alga")
    )


def new_report(email="aigerim@example.org") -> Report:
    return report_submit(
        actor=None,
        category="public-order",
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=ALGA),
        address="Alga, Main street 1",
        contact={"name": "Aigerim Reporter", "email": email},
    ).report


def answer(report: Report, actor) -> Answer:
    return answer_give(report=report, result=Answer.Result.CONFIRMED_OTHER, text="Patrol sent.", actor=actor)


def run_mail_tasks() -> list[int]:
    results = []
    for row in DBTaskResult.objects.filter(task_path=MAIL_TASK).order_by("enqueued_at"):
        results.append(mail_notifications.call(*row.args_kwargs["args"]))
        row.delete()
    return results


# --- the body's routing notice ------------------------------------------------------------------


def test_it_notifies_the_body_once_when_the_routing_notice_runs_twice():
    duty = officer("duty@example.org")
    report = new_report()
    assert notify_body.call(report.pk, report.body_id, "routed") == 1
    assert notify_body.call(report.pk, report.body_id, "routed") == 0
    assert Notification.objects.filter(user=duty).count() == 1
    assert run_mail_tasks() == [1]  # one mail task, one mail
    assert [message.to for message in mail.outbox] == [["duty@example.org"]]


def test_it_notifies_the_body_again_when_the_report_comes_back_to_it(persona):
    duty = officer("duty@example.org")
    report = new_report()
    police = report.body
    notify_body.call(report.pk, police.pk, "routed")
    prosecutor = persona("alga_prosecutor")
    report_reroute(report=report, body=Organisation.objects.get(code="akt-akimat-alga"), actor=prosecutor)
    report_reroute(report=report, body=police, actor=prosecutor)
    assert notify_body.call(report.pk, police.pk, "rerouted") == 1  # a routing of its own
    assert Notification.objects.filter(user=duty).count() == 2


# --- the reporters' mail ----------------------------------------------------------------------------


def test_it_mails_the_reporter_once_when_the_task_runs_twice(persona):
    report = new_report()
    answer(report, persona("alga_officer"))
    assert mail_reporters.call(report.pk, Status.ANSWERED) == 1
    assert mail_reporters.call(report.pk, Status.ANSWERED) == 0
    assert [message.to for message in mail.outbox] == [["aigerim@example.org"]]


def test_it_mails_the_reporter_again_for_a_new_change_to_the_same_status(persona):
    report = new_report()
    officer_, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    answer(report, officer_)
    mail_reporters.call(report.pk, Status.ANSWERED)
    answer_return(report=report, reason="Say which article was applied.", actor=prosecutor)
    answer(report, officer_)
    assert mail_reporters.call(report.pk, Status.ANSWERED) == 1
    assert len(mail.outbox) == 2


def test_it_keeps_no_reporters_address_in_a_claim(persona):
    report = new_report()
    answer(report, persona("alga_officer"))
    with mock.patch.object(once, "claim", wraps=once.claim) as claim:
        mail_reporters.call(report.pk, Status.ANSWERED)
    (key,) = [call.args[0] for call in claim.call_args_list]
    assert key.startswith(f"reporter-mail:{report.pk}:") and "aigerim" not in key.casefold()


def test_it_leaves_a_reporters_mail_another_run_holds_to_a_later_run(persona, settings):
    """The run holding the claim may have died after its task was put back: the task is enqueued
    again for when that claim expires, and then sends the mail."""
    settings.TASK_LEASE_SECONDS = 1
    report = new_report()
    answer(report, persona("alga_officer"))
    DBTaskResult.objects.all().delete()
    claim = once.claim

    def another_run_holds_it(key: str) -> bool:
        claim(key)
        return False

    with mock.patch.object(once, "claim", side_effect=another_run_holds_it) as claims:
        assert mail_reporters.call(report.pk, Status.ANSWERED) == 0
    (again,) = DBTaskResult.objects.filter(task_path="signals.tasks.mail_reporters")
    assert timezone.now() < again.run_after <= timezone.now() + timedelta(seconds=2)
    assert mail.outbox == []
    once.release([claims.call_args.args[0]])  # the claim expired: its run died
    assert mail_reporters.call(*again.args_kwargs["args"]) == 1
    assert [message.to for message in mail.outbox] == [["aigerim@example.org"]]


# --- the periodic tasks ----------------------------------------------------------------------------


def test_the_digest_sent_by_a_run_is_not_sent_again_and_a_failed_one_is(persona, settings):
    settings.DIGEST_HOUR = 0  # whatever the hour the test runs at
    alga = persona("alga_prosecutor")
    alga.email = "alga@prok.example.kz"
    alga.save(update_fields=["email"])
    colleague = User.objects.create(
        username="alga-2", email="alga-2@prok.example.kz", role=alga.role, organisation=alga.organisation
    )
    new_report()
    Report.objects.update(deadline_at=timezone.now() - timedelta(days=1))
    # The first mail goes out, the second fails: the first stays sent, the second is released.
    with mock.patch("lib.mail.get_connection") as connection:
        connection.return_value.send_messages.side_effect = [1, OSError("SMTP down")]
        with pytest.raises(OSError):
            send_oversight_digests_task.call()
    assert connection.return_value.send_messages.call_args_list[0].args[0][0].to == [alga.email]
    assert send_oversight_digests_task.call() == 1
    assert send_oversight_digests_task.call() == 0
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_the_sweep_run_twice_marks_and_notifies_once():
    duty = officer("duty@example.org")
    new_report()
    Report.objects.update(deadline_at=timezone.now() - timedelta(hours=1))
    first = sweep_deadlines_task.call()
    assert sweep_deadlines_task.call() == {"marked": 0, "escalated": 0, "notifications": 0}
    assert first["marked"] == 1
    assert Notification.objects.filter(user=duty).count() == 1
