"""The offices' monthly submissions: each figure checked (numbers, whole counts, the catalogue's
consistency rules, a jump over three times the usual month), submit, return with comments,
approve (immutable, its figures the month's in the summary as of their day), correct as a next
version with its reason, lock the month; who may do what."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organisation
from lib.metrics import Source
from reporting.figures import Request, compute
from reporting.models import FIRST_DAY, Metric, MetricReading
from reporting.tests import facts
from supervision import services
from supervision.models import MonthlyFigure, Submission

MONTH = date(2025, 3, 1)
# The shipped catalogue's submitted metrics (reporting migration 0006), with their English names.
CASES, VERDICTS = "Cases in which the state prosecution was supported in court", "Verdicts delivered"


@pytest.fixture(autouse=True)
def catalogue(db):
    return make_catalogue()


def make_catalogue() -> dict:
    """The metrics the catalogue ships as submitted (four rules between them), by code, as a fresh
    `migrate` leaves them: written again by their migration's function where a transactional test
    (a browser's) emptied the tables, and those an app now computes read from submissions (the
    catalogue's adoption, reporting.catalogue) where the flush's sync made them computed afresh."""
    from django.apps import apps

    shipped = importlib.import_module("reporting.migrations.0006_submitted_metrics")
    shipped.add(apps, None)
    rows = Metric.objects.filter(code__in=[row[0] for row in shipped.METRICS])
    for row in rows.filter(source=Source.COMPUTED, readings__isnull=True):
        MetricReading.objects.create(metric=row, starts_on=FIRST_DAY, source=Source.SUBMITTED)
    return {row.code: row for row in rows}


def alga_office():
    return Organisation.objects.get(code="akt-prok-alga")


def figures(
    cases="10",
    verdicts="8",
    convicted="9",
    imprisoned="4",
    assessed="1000000,50",
    recovered="250000",
    reimbursed="500000",
    to_state_budget="400000",
):
    return {
        "prosecution.cases_in_court": cases,
        "prosecution.verdicts": verdicts,
        "prosecution.convicted": convicted,
        "prosecution.imprisoned": imprisoned,
        "public_interests.assessed": assessed,
        "public_interests.recovered": recovered,
        "budget.reimbursed": reimbursed,
        "budget.to_state_budget": to_state_budget,
    }


def submitted(persona, month=MONTH, **values) -> Submission:
    submission, _warnings = services.submission_save(
        actor=persona("alga_prosecutor"), organisation=alga_office(), month=month, raw=figures(**values)
    )
    return services.submission_submit(actor=persona("alga_prosecutor"), submission=submission)


def test_each_figure_is_checked_with_a_message_and_nothing_saved(persona):
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            actor=persona("alga_prosecutor"),
            organisation=alga_office(),
            month=MONTH,
            raw=figures(cases="-1", verdicts="2,5", assessed="много", recovered="2000000"),
        )
    errors = error.value.message_dict
    assert errors["prosecution.cases_in_court"] == ["A figure cannot be negative."]
    assert errors["prosecution.verdicts"] == ["This figure counts: write a whole number."]
    assert errors["public_interests.assessed"] == ["Write a number (as 1234 or 1234,5)."]
    assert not Submission.objects.exists()


def test_the_catalogues_consistency_rules_hold(persona):
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(verdicts="11")
        )
    assert f"may not exceed “{CASES}” (11 > 10)" in error.value.message_dict["prosecution.verdicts"][0]
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(recovered="2000000")
        )
    assert "public_interests.recovered" in error.value.message_dict


def test_a_jump_over_three_times_the_usual_month_is_a_warning(persona):
    for month in (date(2025, 1, 1), date(2025, 2, 1)):
        services.submission_approve(actor=persona("analyst"), submission=submitted(persona, month, cases="10"))
    _submission, warnings = services.submission_save(
        actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(cases="31")
    )
    assert "three times the office's usual month (10)" in warnings["prosecution.cases_in_court"][0]
    _submission, warnings = services.submission_save(
        actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(cases="30")
    )
    assert "prosecution.cases_in_court" not in warnings


def test_submit_needs_every_figure(persona):
    submission, _warnings = services.submission_save(
        actor=persona("alga_prosecutor"),
        organisation=alga_office(),
        month=MONTH,
        raw={"prosecution.cases_in_court": "3"},
    )
    with pytest.raises(ValidationError) as error:
        services.submission_submit(actor=persona("alga_prosecutor"), submission=submission)
    assert VERDICTS in error.value.messages[0]


def test_returned_with_comments_then_corrected_and_approved(persona):
    submission = submitted(persona)
    with pytest.raises(ValidationError):  # with the analyst: the office waits
        services.submission_save(
            actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures()
        )
    returned = services.submission_return(
        actor=persona("analyst"), submission=submission, comments={"prosecution.verdicts": "Сверьте с ИС «Төрелік»"}
    )
    assert returned.status == Submission.Status.RETURNED
    assert returned.values.get(code="prosecution.verdicts").comment == "Сверьте с ИС «Төрелік»"
    saved, _warnings = services.submission_save(
        actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(verdicts="7")
    )
    assert saved.pk == submission.pk and saved.values.get(code="prosecution.verdicts").value == 7
    approved = services.submission_approve(
        actor=persona("analyst"),
        submission=services.submission_submit(actor=persona("alga_prosecutor"), submission=saved),
    )
    assert approved.status == Submission.Status.APPROVED
    with pytest.raises(ValidationError):  # immutable
        services.submission_save(
            actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures()
        )


def test_a_correction_is_a_new_version_and_the_summary_reads_each_as_of_its_day(persona):
    region = facts.region()
    with facts.clock(facts.local(2025, 4, 5, 10)):
        first = services.submission_approve(actor=persona("analyst"), submission=submitted(persona, cases="10"))
    with facts.clock(facts.local(2025, 4, 20, 10)):
        with pytest.raises(ValidationError):
            services.submission_correct(actor=persona("alga_prosecutor"), submission=first, reason=" ")
        correction = services.submission_correct(
            actor=persona("alga_prosecutor"), submission=first, reason="Учтено дело, рассмотренное 31 марта"
        )
        assert (correction.version, correction.status) == (2, Submission.Status.DRAFT)
        services.submission_save(
            actor=persona("alga_prosecutor"), organisation=alga_office(), month=MONTH, raw=figures(cases="12")
        )
        services.submission_approve(
            actor=persona("analyst"),
            submission=services.submission_submit(actor=persona("alga_prosecutor"), submission=correction),
        )
    first.refresh_from_db()
    assert first.status == Submission.Status.SUPERSEDED

    def cases(as_of):
        request = Request.make(region=region, start=date(2025, 3, 1), end=date(2025, 3, 31), as_of=as_of)
        return compute(request).figure("prosecution.cases_in_court").value

    assert cases(date(2025, 4, 1)) is None  # nothing approved by then
    assert cases(date(2025, 4, 10)) == Decimal("10")
    assert cases(date(2025, 4, 25)) == Decimal("12")
    assert MonthlyFigure.objects.filter(code="prosecution.cases_in_court").count() == 2  # the first kept, replaced


def test_a_locked_month_changes_no_more(persona):
    approved = services.submission_approve(actor=persona("analyst"), submission=submitted(persona))
    services.month_lock(actor=persona("analyst"), region_id=approved.region_id, month=MONTH)
    with pytest.raises(ValidationError) as error:
        services.submission_correct(actor=persona("alga_prosecutor"), submission=approved, reason="ошибка")
    assert "locked" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.month_lock(actor=persona("alga_prosecutor"), region_id=approved.region_id, month=MONTH)


def test_late_offices_are_those_that_have_not_submitted(persona):
    region_id = alga_office().region_id
    late = services.late_offices(region_id, MONTH)
    assert alga_office() in late
    submitted(persona)
    assert alga_office() not in services.late_offices(region_id, MONTH)


@pytest.mark.parametrize("username", ["temir_prosecutor", "alga_officer", "analyst", "bank_partner", "citizen"])
def test_only_the_offices_prosecutors_fill_in_its_month(persona, username):
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=persona(username), organisation=alga_office(), month=MONTH, raw=figures())


@pytest.mark.parametrize("username", ["alga_prosecutor", "regional_prosecutor", "board_secretary"])
def test_only_the_analyst_approves_or_returns(persona, username):
    submission = submitted(persona)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=persona(username), submission=submission)
    with pytest.raises(PermissionDenied):
        services.submission_return(actor=persona(username), submission=submission, comments={"x": "y"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_late_offices_are_reminded_once_past_the_due_day(persona, settings):
    from accounts.models import Notification

    settings.SUPERVISION_SUBMISSION_DUE_DAY = 5
    prosecutor = persona("alga_prosecutor")
    with facts.clock(facts.local(2025, 4, 4, 10)):
        services.submissions_remind()
    assert not Notification.objects.filter(user=prosecutor).exists()  # not due yet
    with facts.clock(facts.local(2025, 4, 6, 10)):
        assert services.submissions_remind() > 0
        services.submissions_remind()  # the hourly job again: nobody told twice
    reminders = Notification.objects.filter(user=prosecutor, key__startswith="submission-late:")
    assert reminders.count() == 1 and "03.2025" in reminders.get().subject
    assert reminders.get().url.endswith("/2025-03/")
    assert not Notification.objects.filter(user=persona("temir_prosecutor"), key__contains=f":{alga_office().pk}:")


def test_an_office_that_submitted_is_not_reminded(persona):
    from accounts.models import Notification

    with facts.clock(facts.local(2025, 4, 2, 10)):
        submitted(persona)
    with facts.clock(facts.local(2025, 4, 10, 10)):
        services.submissions_remind()
    assert not Notification.objects.filter(user=persona("alga_prosecutor"), key__startswith="submission-late:").exists()
