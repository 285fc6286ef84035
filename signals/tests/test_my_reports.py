"""A registered citizen's "My reports": what they sent while logged in, and nobody else's."""

from django.urls import reverse

from conftest import client_for
from signals.tests.test_intake_web import make_report

MINE = reverse("signals:mine")


def test_it_lists_the_citizens_own_reports_with_their_status(persona):
    citizen = persona("citizen")
    client = client_for(citizen)
    first, _ = make_report(reporter=citizen, description="A card-code call from a fake bank.")
    second, _ = make_report(reporter=citizen, code="drug-ad", description="A shop advertised on a wall.")
    others, _ = make_report(description="Somebody else's report.")

    html = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert first.reference in html and second.reference in html
    assert others.reference not in html
    assert html.index(second.reference) < html.index(first.reference)  # newest first
    assert first.get_status_display().capitalize() in html
    assert "card-code call" not in html  # the list names the report, the tracking page shows it


def test_it_invites_a_citizen_without_reports_to_report(login):
    html = login("citizen").get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have not sent a report while logged in yet." in html
    assert reverse("signals:report") in html


def test_it_refuses_staff_and_partners_and_asks_visitors_to_log_in(login, client):
    for username in ("alga_officer", "alga_prosecutor", "bank_partner"):
        assert login(username).get(MINE).status_code == 403, username
    response = client.get(MINE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
