"""'Follow my report': the reporter pastes the tracking link (or its token) and reaches the report."""

import pytest
from django.test import Client

from signals.tests.test_intake_web import make_report


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_it_explains_how_to_follow_a_report(db):
    response = Client().get("/track/")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "same-origin"  # no-referrer: Origin null, CSRF 403
    assert "private tracking link" in response.content.decode()


@pytest.mark.parametrize("pasted", ["http://testserver/track/{token}/", "  https://x.kz/track/{token}", "{token}"])
def test_it_opens_the_report_of_a_pasted_link_or_token(db, pasted):
    report, token = make_report()
    response = Client().post("/track/", {"link": pasted.format(token=token)})
    assert response.status_code == 302
    assert response.url == f"/track/{token}/"


@pytest.mark.parametrize("pasted", ["", "AKT-2025-000001", "http://testserver/track/not-a-real-token-0123456789/"])
def test_it_refuses_a_link_that_leads_to_no_report(db, pasted):
    make_report()
    response = Client().post("/track/", {"link": pasted})
    assert response.status_code == 400
    assert "This link leads to no report" in response.content.decode() or not pasted
