"""Claims on work without a row of its own (lib.once): one run gets it, a done one is never claimed
again, a released or expired one is claimed by the next run, and a held one says when it expires;
mails sent one by one, each marked right after it went out (lib.mail)."""

import time
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection

from lib import once
from lib.mail import send_each
from lib.tests.race import race

pytestmark = pytest.mark.django_db


def test_it_lets_one_run_claim_the_work_and_none_once_it_is_done():
    assert once.claim("mail:1") is True
    assert once.claim("mail:1") is False  # held by the first run
    once.done("mail:1")
    assert once.claim("mail:1") is False
    assert once.held_until(["mail:1"]) is None


def test_it_lets_the_next_run_claim_released_or_expired_work(settings):
    once.claim("mail:1")
    once.release(["mail:1"])
    assert once.claim("mail:1") is True
    settings.TASK_LEASE_SECONDS = 1
    assert once.claim("mail:2") is True
    time.sleep(1.1)  # the run holding it died: its lease runs out
    assert once.claim("mail:2") is True


def test_a_done_claim_is_kept_then_forgotten(settings):
    once.claim("mail:1")
    once.done("mail:1", keep_seconds=0)
    assert once.forget_old() == 1
    assert once.claim("mail:1") is True


def test_it_says_when_the_claims_held_expire(settings):
    settings.TASK_LEASE_SECONDS = 600
    before = time.time()
    once.claim("mail:1")
    once.claim("mail:2")
    once.done("mail:2")
    until = once.held_until(["mail:1", "mail:2"])
    assert datetime.fromtimestamp(before + 601, tz=UTC) <= until <= datetime.fromtimestamp(time.time() + 601, tz=UTC)
    assert once.held_until(["mail:3"]) is not None  # gone (just expired): claimable now
    assert once.held_until([]) is None


def test_it_sends_each_mail_and_marks_it_right_after(monkeypatch):
    marked, released = [], []
    mails = [(n, EmailMessage(subject=f"mail {n}", body="", to=[f"{n}@example.org"])) for n in (1, 2, 3)]
    assert send_each(mails, sent=marked.append, release=released.extend) == 3
    assert (marked, released, [m.subject for m in mail.outbox]) == ([1, 2, 3], [], ["mail 1", "mail 2", "mail 3"])

    backend = type(mail.get_connection())
    real = backend.send_messages

    def failing_second(self, messages):
        if messages[0].subject == "mail 2":
            raise OSError("SMTP down")
        return real(self, messages)

    monkeypatch.setattr(backend, "send_messages", failing_second)
    marked.clear()
    with pytest.raises(OSError):
        send_each(mails, sent=marked.append, release=released.extend)
    assert (marked, released) == ([1], [2, 3])  # the first is sent and marked, the rest released


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs one writer at a time: no race to lose")
def test_two_runs_at_once_claim_the_work_once():
    """The second run's INSERT waits on the first's uncommitted row of the same key, then is refused."""
    assert race(lambda: int(once.claim("mail:race"))) == {"first": 1, "second": 0}
