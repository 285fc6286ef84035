"""Notifications written and mailed once though their task runs twice: notify() with a key leaves
out whom it notified already (even when a concurrent run committed first), and each mail is
claimed by one run, sent once, and sent later when a run died holding it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import mail as notification_mail
from accounts import notifications
from accounts.models import Notification, Organisation, User
from accounts.notifications import notify
from accounts.tasks import mail_notifications
from lib.tests.race import race

MAIL_TASK = "accounts.tasks.mail_notifications"


def staff(*emails: str) -> list[User]:
    body = Organisation.objects.get(code="akt-police-alga")
    return [
        User.objects.create(username=email or "no-address", email=email, role="body_officer", organisation=body)
        for email in emails
    ]


def notified(users: list[User], **extra) -> list[Notification]:
    return notify(users=users, subject="Report AKT-1 needs your answer", url="/signals/AKT-1/", **extra)


def ids(rows) -> list[int]:
    return [row.pk for row in rows]


@pytest.mark.django_db
def test_it_notifies_each_user_once_under_a_key():
    first, second = staff("a@example.org", "b@example.org")
    assert len(notified([first], key="routed:1")) == 1
    assert ids(notified([first, second], key="routed:1")) == ids(Notification.objects.filter(user=second))
    assert notified([first, second], key="routed:1") == []
    assert Notification.objects.filter(key="routed:1").count() == 2
    assert len(notified([first, second])) == 2  # no key: every call notifies
    assert DBTaskResult.objects.filter(task_path=MAIL_TASK).count() == 3  # nothing to mail, no task


@pytest.mark.django_db
def test_it_leaves_out_whom_a_concurrent_run_notified_first(monkeypatch):
    """The concurrent run committed between this run's check and its insert: the unique constraint
    refuses the insert, and the second try leaves that user out."""
    first, second = staff("a@example.org", "b@example.org")
    Notification.objects.create(user=first, at=timezone.now(), subject="theirs", key="routed:1")
    check = notifications._not_yet_notified
    calls = []

    def racing(rows, key):
        calls.append(key)
        return rows if len(calls) == 1 else check(rows, key)  # the first check came before their commit

    monkeypatch.setattr(notifications, "_not_yet_notified", racing)
    (mine,) = notified([first, second], key="routed:1")
    assert mine.user == second and len(calls) == 2
    assert Notification.objects.filter(key="routed:1").count() == 2


@pytest.mark.django_db
def test_it_mails_each_notification_once_when_the_task_runs_twice():
    rows = notified(staff("a@example.org", "b@example.org", ""))
    assert mail_notifications.call(ids(rows)) == 2
    assert mail_notifications.call(ids(rows)) == 0
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    mailed = Notification.objects.filter(pk__in=ids(rows)).exclude(user__email="")
    assert all(row.mailed_at is not None and row.mail_claimed_at is not None for row in mailed)


@pytest.mark.django_db
def test_it_tries_a_mail_another_run_holds_again_once_its_claim_expires(settings):
    settings.TASK_LEASE_SECONDS = 600
    held, free = notified(staff("held@example.org", "free@example.org"))
    claimed_at = timezone.now() - timedelta(seconds=30)  # another run, alive or dead, took it
    Notification.objects.filter(pk=held.pk).update(mail_claimed_at=claimed_at)
    DBTaskResult.objects.all().delete()

    assert mail_notifications.call([held.pk, free.pk]) == 1
    assert [message.to for message in mail.outbox] == [["free@example.org"]]
    (again,) = DBTaskResult.objects.filter(task_path=MAIL_TASK)
    assert again.run_after == claimed_at + timedelta(seconds=601)
    assert again.args_kwargs["args"] == [[held.pk, free.pk]]

    # That run died: once its claim is older than the lease, the task enqueued again sends it.
    Notification.objects.filter(pk=held.pk).update(mail_claimed_at=timezone.now() - timedelta(seconds=601))
    assert mail_notifications.call(*again.args_kwargs["args"]) == 1
    assert [message.to for message in mail.outbox] == [["free@example.org"], ["held@example.org"]]


@pytest.mark.django_db
def test_it_releases_the_claims_of_the_mails_a_failed_send_left(monkeypatch):
    rows = notified(staff("a@example.org", "b@example.org"))
    backend = type(mail.get_connection())
    real = backend.send_messages

    def failing_second(self, messages):
        if messages[0].to == ["b@example.org"]:
            raise OSError("SMTP down")
        return real(self, messages)

    monkeypatch.setattr(backend, "send_messages", failing_second)
    with pytest.raises(OSError):
        mail_notifications.call(ids(rows))
    first, second = Notification.objects.filter(pk__in=ids(rows)).order_by("pk")
    assert first.mailed_at is not None
    assert (second.mailed_at, second.mail_claimed_at) == (None, None)  # the next run may take it


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs one writer at a time: no race to lose")
def test_two_runs_at_once_claim_each_mail_once():
    """The first run's claim holds its row locks until it commits; the second waits on them, and
    PostgreSQL re-checks its condition: it claims nothing."""
    pks = ids(notified(staff("a@example.org", "b@example.org")))
    assert race(lambda: notification_mail.claim(pks, timezone.now())) == {"first": 2, "second": 0}
