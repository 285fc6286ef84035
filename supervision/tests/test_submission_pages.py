"""The submissions' pages through the real request: an office fills in and submits its month (a
refused figure comes back with its message, nothing saved), the figures checked as they are typed,
the analyst reviews and approves or returns, and nobody reaches another office's month."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Organisation
from supervision.models import Submission
from supervision.tests.test_submissions import CASES, catalogue, figures  # noqa: F401  (the fixture)

MONTH = "2025-03"


def alga():
    return Organisation.objects.get(code="akt-prok-alga")


def month_url(name="submission_month", office=None):
    return reverse(f"supervision:{name}", args=[(office or alga()).pk, MONTH])


def posted(**values):
    return {f"value-{code}": value for code, value in figures(**values).items()}


def test_the_office_fills_in_and_submits_its_month(login):
    client = login("alga_prosecutor")
    page = client.get(month_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert CASES in page and 'name="value-prosecution.verdicts"' in page
    refused = client.post(month_url(), {**posted(verdicts="12"), "action": "save"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "may not exceed" in refused.content.decode() and not Submission.objects.exists()
    assert 'value="12"' in refused.content.decode()  # what was typed comes back
    response = client.post(month_url(), {**posted(), "action": "submit"})
    assert response.status_code == 302
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_the_figures_are_checked_as_they_are_typed(login):
    client = login("alga_prosecutor")
    cells = client.post(
        month_url("submission_check"), posted(cases="-3"), HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true"
    )
    assert cells.status_code == 200 and "A figure cannot be negative." in cells.content.decode()
    assert not Submission.objects.exists()


def test_the_analyst_returns_then_approves(login):
    login("alga_prosecutor").post(month_url(), {**posted(), "action": "submit"})
    analyst = login("analyst")
    listing = analyst.get(reverse("supervision:submissions") + f"?month={MONTH}", HTTP_ACCEPT_LANGUAGE="en")
    assert escape(alga().name) in listing.content.decode() and "Not submitted yet" in listing.content.decode()
    analyst.post(month_url("submission_decide"), {"action": "return", "comment-prosecution.verdicts": "Сверьте"})
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.RETURNED
    office = login("alga_prosecutor")
    assert "Сверьте" in office.get(month_url()).content.decode()
    office.post(month_url(), {**posted(verdicts="7"), "action": "submit"})
    analyst.post(month_url("submission_decide"), {"action": "approve"})
    assert Submission.objects.get().status == Submission.Status.APPROVED
    analyst.post(reverse("supervision:month_lock"), {"month": MONTH})
    locked = office.post(
        month_url("submission_decide"),
        {"action": "correct", "reason": "ошибка"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The month is locked: its submissions change no more." in locked.content.decode()
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("username", ["temir_prosecutor", "alga_officer", "bank_partner", "citizen"])
def test_nobody_reaches_another_offices_month(login, username):
    client = login(username)
    assert client.get(month_url()).status_code in (302, 403)
    assert client.post(month_url(), {**posted(), "action": "submit"}).status_code in (302, 403)
    assert client.post(month_url("submission_decide"), {"action": "approve"}).status_code in (302, 403)
    assert not Submission.objects.exists()


def test_a_district_prosecutor_cannot_approve_nor_lock(login):
    client = login("alga_prosecutor")
    client.post(month_url(), {**posted(), "action": "submit"})
    client.post(month_url("submission_decide"), {"action": "approve"})
    assert Submission.objects.get().status == Submission.Status.SUBMITTED
    assert client.post(reverse("supervision:month_lock"), {"month": MONTH}).status_code == 403


def test_the_analyst_sees_tartips_own_figure_beside_a_submitted_one(login, persona):
    from datetime import date

    from django.utils import timezone

    from lib.metrics import Source
    from reporting.models import Metric, MetricReading
    from supervision.models import CrimeImport, CrimeRecord

    # Crimes are computed from the records, and read from the offices' submissions from 2025 on.
    MetricReading.objects.create(
        metric=Metric.objects.get(code="crime.registered"), starts_on=date(2025, 1, 1), source=Source.SUBMITTED
    )
    region = alga().region
    made = CrimeImport.objects.create(
        region=region, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31), file_name="", file_type="csv",
        status=CrimeImport.Status.DONE, uploaded_at=timezone.now(), done_at=timezone.now(),
    )  # fmt: skip
    for number, day in enumerate((3, 14, 30), start=1):
        CrimeRecord.objects.create(
            region=region, crime_import=made, row=number, district=alga().districts.get(), article="190",
            registered_on=date(2025, 3, day), gravity="medium", recorded_at=timezone.now(),
        )  # fmt: skip
    office = login("alga_prosecutor")
    office.post(month_url(), {**posted(), "value-crime.registered": "5", "action": "submit"})
    page = login("analyst").get(month_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tartip's records" in page and "3 <span" in page and "(difference 2)" in page
