"""The status workflow: every allowed transition by the right person, the forbidden ones refused
with nothing changed; re-categorising and re-routing recompute the deadline and notify the body."""

import itertools
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Notification, Organisation, User
from accounts.tasks import mail_notifications
from signals.models import Answer, Report, ReportEvent
from signals.policy import REPORTER, TRANSITIONS, TransitionNotAllowed, actions_for
from signals.services import (
    answer_give,
    report_recategorise,
    report_reroute,
    report_submit,
    report_transition,
)
from signals.tasks import notify_body

pytestmark = pytest.mark.django_db

Status = Report.Status
ALGA = "153200000"
BODY_ACTIONS = {"accept", "answer"}


def new_report(category="public-order", **overrides) -> Report:
    values = {
        "actor": None,
        "category": category,
        "description": "Fights near the shop every night.",
        "channel": Report.Channel.WEB,
        "district": District.objects.get(kato=ALGA),
        "address": "Alga, Main street 1",
        "contact": {"name": "Aigerim Reporter", "phone": "+7 701 000 0000", "email": "aigerim@example.org"},
    }
    values.update(overrides)
    return report_submit(**values).report


def in_status(status: str) -> Report:
    report = new_report()
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def give_answer(report: Report, officer, **overrides) -> Answer:
    values = {"result": Answer.Result.CONFIRMED_OTHER, "text": "Patrol sent; the fight was stopped.", "actor": officer}
    values.update(overrides)
    return answer_give(report=report, **values)


STAFF_TRANSITIONS = [pair for pair, transition in TRANSITIONS.items() if transition.who != REPORTER]


@pytest.mark.parametrize(("from_status", "to_status"), STAFF_TRANSITIONS)
def test_it_allows_each_transition_of_the_table_to_the_right_person(persona, from_status, to_status):
    transition = TRANSITIONS[(from_status, to_status)]
    actor = persona("alga_officer" if transition.action in BODY_ACTIONS else "alga_prosecutor")
    report = in_status(from_status)
    other = new_report()
    before = report.events.count()
    if to_status == Status.ANSWERED:
        give_answer(report, actor)
    else:
        report_transition(report=report, to_status=to_status, actor=actor, reason="Not an offence", duplicate_of=other)
    report.refresh_from_db()
    assert report.status == to_status
    event = report.events.last()
    assert report.events.count() == before + 1
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        ReportEvent.Kind.STATUS,
        from_status,
        to_status,
        actor,
    )
    if to_status == Status.ROUTED:
        assert report.routed_at == event.at
    if to_status == Status.ANSWERED:
        assert report.answered_at == event.at
        assert report.overdue is False
    if to_status in (Status.REJECTED, Status.DUPLICATE, Status.CLOSED):
        assert report.closed_at == event.at
    if to_status == Status.REJECTED:
        assert report.rejection_reason == "Not an offence"
    if to_status == Status.DUPLICATE:
        assert report.duplicate_of == other


FORBIDDEN = [pair for pair in itertools.product(Status.values, Status.values) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_it_refuses_a_forbidden_transition_and_changes_nothing(persona, from_status, to_status):
    report = in_status(from_status)
    before = report.events.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        report_transition(report=report, to_status=to_status, actor=persona("administrator"), reason="x")
    message = refused.value.messages[0]
    assert str(Status(from_status).label) in message and str(Status(to_status).label) in message
    report.refresh_from_db()
    assert report.status == from_status
    assert report.events.count() == before


def test_it_keeps_final_statuses_final(persona):
    for final in (Status.REJECTED, Status.DUPLICATE, Status.CLOSED):
        report = in_status(final)
        for target in Status.values:
            # Only the reporter reopens a closed report, through the tracking link.
            refusal = PermissionDenied if (final, target) == (Status.CLOSED, Status.REOPENED) else TransitionNotAllowed
            with pytest.raises(refusal):
                report_transition(report=report, to_status=target, actor=persona("administrator"), reason="x")


def test_it_answers_only_through_the_answer_service(persona):
    report = in_status(Status.ACCEPTED)
    with pytest.raises(ValidationError):
        report_transition(report=report, to_status=Status.ANSWERED, actor=persona("alga_officer"))
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED and not report.answers.exists()


def test_it_decides_the_answer_when_the_prosecutor_returns_or_resolves(persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    report = new_report()
    first = give_answer(report, officer, public_text="The fight was stopped.")
    report.refresh_from_db()
    assert report.public_answer == "The fight was stopped."
    with pytest.raises(ValidationError):
        report_transition(report=report, to_status=Status.RETURNED, actor=prosecutor, reason=" ")
    report_transition(report=report, to_status=Status.RETURNED, actor=prosecutor, reason="Check the shop too")
    first.refresh_from_db()
    assert (first.decision, first.return_reason, first.decided_by) == ("returned", "Check the shop too", prosecutor)
    second = give_answer(report, officer)
    report_transition(report=report, to_status=Status.RESOLVED, actor=prosecutor)
    second.refresh_from_db()
    assert second.decision == "accepted" and second.on_time


@pytest.mark.parametrize(
    ("username", "to_status"),
    [
        ("temir_prosecutor", Status.REJECTED),  # another district
        ("alga_officer", Status.REJECTED),  # the body may not reject
        ("analyst", Status.REJECTED),  # region-wide, but no prosecutor's decisions
        ("board_secretary", Status.REJECTED),
        ("citizen", Status.REJECTED),
        ("bank_partner", Status.REJECTED),
        ("alga_prosecutor", Status.ACCEPTED),  # accepting is the body's
        ("temir_prosecutor", Status.ACCEPTED),
        ("citizen", Status.ACCEPTED),
    ],
)
def test_it_refuses_a_transition_to_a_person_who_may_not_make_it(persona, username, to_status):
    report = new_report()
    with pytest.raises(PermissionDenied):
        report_transition(report=report, to_status=to_status, actor=persona(username), reason="x")
    report.refresh_from_db()
    assert report.status == Status.ROUTED


def test_it_lets_regional_prosecutors_decide_anywhere_in_the_region(persona):
    for username in ("regional_prosecutor", "department_prosecutor", "administrator"):
        report = new_report()
        report_transition(report=report, to_status=Status.REJECTED, actor=persona(username), reason="Outside")
        assert report.status == Status.REJECTED


def test_it_asks_for_a_reason_to_reject_and_for_the_original_of_a_duplicate(persona):
    report = new_report()
    prosecutor = persona("alga_prosecutor")
    with pytest.raises(ValidationError) as missing:
        report_transition(report=report, to_status=Status.REJECTED, actor=prosecutor, reason="  ")
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError) as missing:
        report_transition(report=report, to_status=Status.DUPLICATE, actor=prosecutor)
    assert "duplicate_of" in missing.value.message_dict
    with pytest.raises(ValidationError):
        report_transition(report=report, to_status=Status.DUPLICATE, actor=prosecutor, duplicate_of=report)
    report.refresh_from_db()
    assert report.status == Status.ROUTED
    assert report.events.count() == 2


def test_it_walks_a_report_to_closed_through_a_return(persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    report = new_report()
    assert actions_for(officer, report) == [Status.ACCEPTED]
    assert set(actions_for(prosecutor, report)) == {Status.REJECTED, Status.DUPLICATE}
    for status, actor in [
        (Status.ACCEPTED, officer),
        (Status.ANSWERED, officer),
        (Status.RETURNED, prosecutor),
        (Status.ANSWERED, officer),
        (Status.RESOLVED, prosecutor),
        (Status.CLOSED, prosecutor),
    ]:
        if status == Status.ANSWERED:
            give_answer(report, actor)
        else:
            report_transition(report=report, to_status=status, actor=actor, reason="Ask the neighbours")
    statuses = list(report.events.filter(kind=ReportEvent.Kind.STATUS).values_list("to_status", flat=True))
    assert statuses == ["accepted", "answered", "returned", "answered", "resolved", "closed"]
    assert actions_for(prosecutor, report) == []


def test_it_marks_a_late_answer_overdue(persona):
    report = in_status(Status.ACCEPTED)
    Report.objects.filter(pk=report.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    answer = give_answer(report, persona("alga_officer"))
    report.refresh_from_db()
    assert report.overdue is True and answer.on_time is False


def test_it_routes_a_triaged_report_only_once_it_has_a_body(persona):
    prosecutor = persona("alga_prosecutor")
    report = new_report("other")
    with pytest.raises(ValidationError):
        report_transition(report=report, to_status=Status.ROUTED, actor=prosecutor)
    body = Organisation.objects.get(code="akt-akimat-alga")
    report_reroute(report=report, body=body, actor=prosecutor, reason="Roads")
    report.refresh_from_db()
    assert (report.status, report.body) == (Status.ROUTED, body)
    event = report.events.last()
    assert (event.kind, event.from_status, event.to_status, event.body) == ("routed", "new", "routed", body)


# --- re-categorise and re-route ------------------------------------------------------------------


def test_it_recategorises_routes_again_and_restarts_the_deadline(persona, django_capture_on_commit_callbacks):
    report = new_report()
    Report.objects.filter(pk=report.pk).update(deadline_at=timezone.now() - timedelta(days=3), overdue=True)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        report_recategorise(report=report, category="environment", actor=persona("alga_prosecutor"), reason="Dump")
    report.refresh_from_db()
    assert report.category.code == "environment"
    assert report.body.code == "akt-ecology-region"
    assert report.status == Status.ROUTED
    assert report.deadline_at > before + timedelta(days=14) and not report.overdue
    event = report.events.last()
    assert event.kind == ReportEvent.Kind.RECATEGORISED
    assert event.data["from_category"] == "public-order" and event.data["to_category"] == "environment"
    task = DBTaskResult.objects.filter(task_path="signals.tasks.notify_body").latest("enqueued_at")
    assert task.args_kwargs["args"] == [report.pk, report.body_id, "recategorised"]


def test_it_sends_a_recategorised_report_back_to_triage_when_no_body_matches(persona):
    report = new_report()
    report_recategorise(report=report, category="other", actor=persona("alga_prosecutor"))
    report.refresh_from_db()
    assert (report.status, report.body) == (Status.NEW, None)


def test_it_lets_sensitivity_follow_the_category(persona):
    report = new_report()
    report_recategorise(report=report, category="domestic-violence", actor=persona("alga_prosecutor"))
    report.refresh_from_db()
    assert report.sensitive is True


def test_it_reroutes_to_another_body_and_notifies_it(persona, django_capture_on_commit_callbacks):
    report = new_report()
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    with django_capture_on_commit_callbacks(execute=True):
        report_reroute(report=report, body=akimat, actor=persona("regional_prosecutor"), reason="Not police")
    report.refresh_from_db()
    assert (report.status, report.body) == (Status.ROUTED, akimat)
    event = report.events.last()
    assert event.kind == ReportEvent.Kind.REROUTED
    assert event.data["from_body"] == Organisation.objects.get(code="akt-police-alga").pk
    assert DBTaskResult.objects.filter(task_path="signals.tasks.notify_body").exists()


@pytest.mark.parametrize("username", ["temir_prosecutor", "alga_officer", "analyst", "citizen", "bank_partner"])
def test_it_lets_only_the_overseeing_prosecutors_reroute_or_recategorise(persona, username):
    report = new_report()
    with pytest.raises(PermissionDenied):
        report_reroute(report=report, body=Organisation.objects.get(code="akt-akimat-alga"), actor=persona(username))
    with pytest.raises(PermissionDenied):
        report_recategorise(report=report, category="environment", actor=persona(username))
    report.refresh_from_db()
    assert report.body.code == "akt-police-alga" and report.category.code == "public-order"


def test_it_refuses_to_reroute_an_answered_or_closed_report(persona):
    for status in (Status.ANSWERED, Status.CLOSED):
        report = in_status(status)
        with pytest.raises(ValidationError):
            report_reroute(
                report=report, body=Organisation.objects.get(code="akt-akimat-alga"), actor=persona("alga_prosecutor")
            )


def test_it_refuses_a_partner_or_the_same_body(persona):
    report = new_report()
    prosecutor = persona("alga_prosecutor")
    with pytest.raises(ValidationError):
        report_reroute(report=report, body=Organisation.objects.get(code="bank-halyk"), actor=prosecutor)
    with pytest.raises(ValidationError):
        report_reroute(report=report, body=report.body, actor=prosecutor)


# --- notifications ----------------------------------------------------------------------------


def body_member(email: str, language: str = "en") -> User:
    officer = User.objects.create(
        username=email,
        email=email,
        role="body_officer",
        organisation=Organisation.objects.get(code="akt-police-alga"),
        language=language,
    )
    return officer


def deliver_mail() -> None:
    """Run the notification mails the body's notice enqueued, as the worker would."""
    for row in DBTaskResult.objects.filter(task_path="accounts.tasks.mail_notifications"):
        mail_notifications.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()


def test_it_mails_the_body_without_the_reporters_identity(persona):
    officer = body_member("duty@example.org")
    report = new_report()
    sent = notify_body.call(report.pk, report.body_id, "routed")
    assert sent == 1
    # The same road as every notice: in the officer's list, and by mail.
    assert list(Notification.objects.filter(user=officer).values_list("url", flat=True)) == [
        f"/signals/{report.reference}/"
    ]
    deliver_mail()
    message = mail.outbox[-1]
    assert message.to == ["duty@example.org"]
    assert report.reference in message.subject
    text = message.subject + message.body
    assert "Aigerim" not in text and "701" not in text and "aigerim@" not in text
    assert "Main street" in text


def test_it_mails_nothing_but_the_reference_for_a_sensitive_report(persona):
    body_member("duty@example.org")
    report = new_report("domestic-violence", description="Neighbour beats his wife", address="Flat 12, Oak street")
    assert report.body.code == "akt-police-alga"
    notify_body.call(report.pk, report.body_id, "routed")
    deliver_mail()
    text = mail.outbox[-1].subject + mail.outbox[-1].body
    assert report.reference in text
    for secret in ("Neighbour", "Oak street", "Domestic", "violence", "Aigerim"):
        assert secret not in text
    assert timezone.localtime(report.deadline_at).strftime("%Y-%m-%d %H:%M") in text  # the deadline, still


def test_it_skips_the_mail_when_the_report_moved_on(persona):
    body_member("duty@example.org")
    report = new_report()
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    report_reroute(report=report, body=akimat, actor=persona("alga_prosecutor"))
    assert notify_body.call(report.pk, Organisation.objects.get(code="akt-police-alga").pk, "routed") == 0
    assert mail.outbox == []


def test_it_puts_every_status_in_exactly_one_of_open_and_closed():
    from signals import policy

    assert set(Status.values) == policy.OPEN_STATUSES | policy.CLOSED_STATUSES
    assert not policy.OPEN_STATUSES & policy.CLOSED_STATUSES
    assert {Status.NEW, Status.ROUTED, Status.ACCEPTED, Status.RETURNED} == policy.MERGEABLE


def test_it_has_one_definition_of_late_at_the_deadline_boundary(persona):
    from signals import policy

    report = new_report()
    deadline = report.deadline_at
    assert not policy.is_late(deadline, deadline)  # at the deadline: still on time
    assert policy.answered_on_time(deadline, deadline)
    assert policy.is_late(deadline, deadline + timedelta(microseconds=1))
    assert not policy.is_late(None, deadline)  # no deadline: never late
    assert not policy.is_overdue(report, deadline)
    assert policy.is_overdue(report, deadline + timedelta(seconds=1))
    # The filters count exactly the reports the functions call overdue.
    overdue = Report.objects.filter(policy.overdue_at(deadline + timedelta(seconds=1)))
    assert list(overdue.values_list("pk", flat=True)) == [report.pk]
    assert not Report.objects.filter(policy.overdue_at(deadline)).exists()


def test_it_shows_reporters_contacts_to_prosecutors_only_by_their_role(persona):
    from signals import policy

    assert policy.may_see_reporter(persona("alga_prosecutor"))
    assert not policy.may_see_reporter(persona("alga_officer"))
    # A superuser keeps the role they were given: `createsuperuser` makes a citizen, with no
    # second factor, who must not read reporters' contacts.
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-0123456789")
    assert not policy.may_see_reporter(superuser)
