"""The demo's monthly submissions: the demo offices' months approved, last month's in every state,
the figures holding the catalogue's rules, read by the summary."""

from datetime import date
from io import StringIO

import pytest
from django.core.management.base import BaseCommand

from accounts.demo import create_demo_users
from reporting.figures import Request, compute
from reporting.tests import facts
from supervision.models import Submission, SubmissionValue
from supervision.submission_demo import build_demo_submissions
from supervision.tests.test_submissions import make_catalogue

pytestmark = pytest.mark.django_db


def test_the_demo_submits_the_offices_months_in_every_state():
    make_catalogue()
    create_demo_users(BaseCommand(stdout=StringIO(), stderr=StringIO()))
    region = facts.region()
    with facts.clock(facts.local(2025, 4, 10, 12)):
        assert build_demo_submissions(region=region) == 4 * 2 + 2
        assert build_demo_submissions(region=region) == 0  # run again: nothing twice
    statuses = dict(Submission.objects.filter(month=date(2025, 3, 1)).values_list("organisation__code", "status"))
    assert statuses == {"akt-prok-alga": "submitted", "akt-prok-city": "draft"}
    assert Submission.objects.filter(month=date(2025, 1, 1), status="approved").count() == 4
    values = {(v.submission_id, v.code): v.value for v in SubmissionValue.objects.all()}
    for (submission, code), value in values.items():
        if code == "prosecution.verdicts":
            assert value <= values[(submission, "prosecution.cases_in_court")]
    request = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 2, 28), as_of=date(2025, 4, 10))
    approved = SubmissionValue.objects.filter(
        code="prosecution.cases_in_court", submission__status="approved", submission__month__lt=date(2025, 3, 1)
    )
    assert compute(request).figure("prosecution.cases_in_court").value == sum(v.value for v in approved)
