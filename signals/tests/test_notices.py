"""Notifications of a report's changes: reporters who left an address get a mail (each their own),
staff get an in-app row (and a mail), sensitive reports' notifications carry no content, and
each staff member reads the subject in their own language."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Notification, Organisation, User
from accounts.tasks import mail_notifications
from signals.models import Answer, Report
from signals.services import (
    answer_accept,
    answer_give,
    answer_return,
    followup_not_resolved,
    report_me_too,
    report_merge,
    report_submit,
)
from signals.tasks import mail_reporters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Notifications are written in each recipient's language, else the deployment's: English here."""
    settings.LANGUAGE_CODE = "en"


Status = Report.Status
ALGA = "153200000"
DESCRIPTION = "Fights near the shop every night."
ANSWER_TEXT = "Patrol sent; the organiser was fined under article 434."
PUBLIC_ANSWER = "A patrol was sent and the fights stopped."


def new_report(category="public-order", email="aigerim@example.org", **overrides) -> Report:
    values = {
        "actor": None,
        "category": category,
        "description": DESCRIPTION,
        "channel": Report.Channel.WEB,
        "district": District.objects.get(kato=ALGA),
        "address": "Alga, Main street 1",
        "contact": {"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": email} if email else None,
    }
    values.update(overrides)
    return report_submit(**values).report


def answer(report: Report, officer) -> Answer:
    return answer_give(
        report=report,
        result=Answer.Result.CONFIRMED_ADMINISTRATIVE,
        text=ANSWER_TEXT,
        public_text=PUBLIC_ANSWER,
        actor=officer,
    )


def run_enqueued(task_path: str) -> list:
    """Run every enqueued task of `task_path` in this process, as a worker would; their results."""
    task = import_string(task_path)
    results = []
    for row in DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at"):
        results.append(task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        row.delete()
    return results


def labels(status: str) -> list[str]:
    """The status's name in the languages of the reporters' mails."""
    result = []
    for language in ("kk", "ru"):
        with translation.override(language):
            result.append(str(Status(status).label))
    return result


def category_names(report: Report) -> list[str]:
    return [name for name in (report.category.name_kk, report.category.name_ru, report.category.name_en) if name]


def mail_text(message) -> str:
    return message.subject + "\n" + message.body


# --- reporters -----------------------------------------------------------------------------------


def test_it_mails_the_reporter_when_the_body_answers(persona):
    report = new_report()
    answer(report, persona("alga_officer"))

    assert run_enqueued("signals.tasks.mail_reporters") == [1]

    (message,) = mail.outbox
    assert message.to == ["aigerim@example.org"]
    assert report.reference in message.subject
    assert PUBLIC_ANSWER in message.body
    assert all(label in message.body for label in labels(Status.ANSWERED))  # in Kazakh and Russian
    assert ANSWER_TEXT not in message.body  # the body's internal text is not the reporter's answer


def test_it_mails_the_reporter_when_the_answer_is_accepted(persona):
    report = new_report()
    answer(report, persona("alga_officer"))
    run_enqueued("signals.tasks.mail_reporters")
    answer_accept(report=report, actor=persona("alga_prosecutor"))

    assert run_enqueued("signals.tasks.mail_reporters") == [1]

    message = mail.outbox[-1]
    assert message.to == ["aigerim@example.org"]
    assert PUBLIC_ANSWER in message.body
    assert all(label in message.body for label in labels(Status.RESOLVED))


def test_it_mails_each_follower_separately_and_nobody_without_consent(persona):
    report = new_report()
    report_me_too(report=report, contact={"name": "Berik", "email": "berik@example.org"})
    report_me_too(report=report)  # no contact left
    other = new_report(email="dana@example.org")
    report_merge(duplicate=other, into=report, actor=persona("alga_prosecutor"))
    answer(report, persona("alga_officer"))
    mail.outbox.clear()

    assert mail_reporters.call(report.pk, Status.ANSWERED) == 3

    assert sorted(message.to[0] for message in mail.outbox) == [
        "aigerim@example.org",
        "berik@example.org",
        "dana@example.org",
    ]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)


def test_it_mails_nothing_to_an_anonymous_reporter_or_after_the_report_moved_on(persona):
    anonymous = new_report(email="")
    answer(anonymous, persona("alga_officer"))
    assert mail_reporters.call(anonymous.pk, Status.ANSWERED) == 0
    report = new_report()
    answer(report, persona("alga_officer"))
    answer_accept(report=report, actor=persona("alga_prosecutor"))
    assert mail_reporters.call(report.pk, Status.ANSWERED) == 0  # the "resolved" mail says it
    assert mail.outbox == []


def test_it_mails_a_sensitive_reporter_nothing_but_the_reference(persona):
    report = new_report("domestic-violence", description="Neighbour beats his wife", address="Flat 12, Oak street")
    assert report.sensitive
    answer(report, persona("alga_officer"))
    answer_accept(report=report, actor=persona("alga_prosecutor"))

    assert run_enqueued("signals.tasks.mail_reporters") == [0, 1]  # the answered one had moved on

    (message,) = mail.outbox
    text = mail_text(message)
    assert report.reference in text
    for leak in ("Neighbour", "Oak street", "Domestic", "violence", PUBLIC_ANSWER, ANSWER_TEXT, "434"):
        assert leak not in text, leak
    for leak in labels(Status.RESOLVED) + labels(Status.ANSWERED) + category_names(report):
        assert leak not in text, leak


# --- staff ---------------------------------------------------------------------------------------


def test_it_tells_the_overseeing_prosecutor_in_app_when_the_body_answers(persona):
    alga, temir = persona("alga_prosecutor"), persona("temir_prosecutor")
    alga.email = "alga@prok.example.kz"
    alga.save(update_fields=["email"])
    report = new_report()
    answer(report, persona("alga_officer"))

    (notification,) = Notification.objects.filter(user=alga)
    assert report.reference in notification.subject and "answered" in notification.subject
    assert notification.url == f"/signals/{report.reference}/" and notification.read_at is None
    assert not Notification.objects.filter(user=temir).exists()
    assert run_enqueued("accounts.tasks.mail_notifications") == [1]
    assert mail.outbox[-1].to == [alga.email] and report.reference in mail.outbox[-1].subject


def test_it_tells_the_body_in_app_when_the_answer_is_returned_and_the_prosecutor_when_reopened(persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    report = new_report()
    answer(report, officer)
    answer_return(report=report, reason="Say which article was applied.", actor=prosecutor)
    (returned,) = Notification.objects.filter(user=officer)
    assert report.reference in returned.subject and "returned" in returned.subject

    answer(report, officer)
    answer_accept(report=report, actor=prosecutor)
    followup_not_resolved(report=report, text="They are fighting again.")
    latest = Notification.objects.filter(user=prosecutor).order_by("-id").first()
    assert report.reference in latest.subject and "not resolved" in latest.subject
    assert "fighting" not in latest.subject + latest.text  # the reporter's words stay on the page


def test_it_gives_staff_no_content_of_a_sensitive_report(persona):
    prosecutor = persona("alga_prosecutor")
    prosecutor.email = "alga@prok.example.kz"
    prosecutor.save(update_fields=["email"])
    report = new_report("domestic-violence", description="Neighbour beats his wife", address="Flat 12, Oak street")
    answer(report, persona("alga_officer"))

    (notification,) = Notification.objects.filter(user=prosecutor)
    assert report.reference in notification.subject and notification.text == ""
    mail_notifications.call([notification.pk])
    text = mail_text(mail.outbox[-1])
    assert report.reference in text and notification.url in text
    for leak in ("Neighbour", "Oak street", PUBLIC_ANSWER, ANSWER_TEXT, "Aigerim", *category_names(report)):
        assert leak not in text, leak


def test_it_writes_each_staff_subject_in_the_recipients_language(persona, monkeypatch, settings):
    """Marks each translated message with the language active when it is rendered."""
    settings.LANGUAGE_CODE = "kk"
    prosecutor = persona("alga_prosecutor")
    prosecutor.language = "ru"
    prosecutor.save(update_fields=["language"])
    colleague = User.objects.create(
        username="alga-2", role=prosecutor.role, organisation=Organisation.objects.get(code="akt-prok-alga")
    )  # no language chosen: the site's default (Kazakh)
    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"[{translation.get_language()}]{real(message)}")
    report = new_report()
    with translation.override("en"):  # the officer's request
        answer(report, persona("alga_officer"))

    assert Notification.objects.get(user=prosecutor).subject.startswith("[ru]")
    assert Notification.objects.get(user=colleague).subject.startswith("[kk]")
