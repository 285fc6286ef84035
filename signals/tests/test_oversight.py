"""The district prosecutor's oversight: each selector on a small known data set (overdue answers,
returned and reopened reports, the bodies' ranking, repeat places, possible concealment from
registration, forwards and extensions to decide), district scoping, and the page through HTTP
(who may read it, who may decide, a query count that does not grow with the rows)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import District, Organisation, Region, Role, User
from conftest import client_for
from signals import oversight, services
from signals.models import Answer, ExtensionRequest, Report
from signals.tests.builders import new_report, set_state

pytestmark = pytest.mark.django_db

Status = Report.Status
Result = Answer.Result
ALGA = "153200000"
TEMIR = "155600000"


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def region():
    return Region.objects.get(organisations__code="akt-prok-alga")


@pytest.fixture
def alga():
    return {District.objects.get(kato=ALGA).pk}


def officer_of(report: Report) -> User:
    user, _ = User.objects.get_or_create(
        username=f"officer-{report.body.code}", defaults={"role": Role.BODY_OFFICER, "organisation": report.body}
    )
    return user


def give_answer(report: Report, result=Result.CONFIRMED_ADMINISTRATIVE, **changes) -> Answer:
    answer = services.answer_give(report=report, result=result, text="Done.", actor=officer_of(report))
    if changes:
        Answer.objects.filter(pk=answer.pk).update(**changes)
        answer.refresh_from_db()
    report.refresh_from_db()
    return answer


def references(rows) -> list[str]:
    return [getattr(row, "reference", None) or row.report.reference for row in rows]


# --- overdue, returned, reopened -------------------------------------------------------------------


def test_it_lists_overdue_answers_the_longest_overdue_first(region, alga):
    now = timezone.now()
    first = set_state(new_report(), deadline_at=now - timedelta(days=3))
    second = set_state(new_report(), status=Status.ACCEPTED, deadline_at=now - timedelta(days=1))
    third = set_state(new_report(), status=Status.RETURNED, deadline_at=now - timedelta(hours=2))
    set_state(new_report(), deadline_at=now + timedelta(days=1))  # not yet due
    set_state(new_report(), status=Status.ANSWERED, deadline_at=now - timedelta(days=5))  # answered late
    set_state(new_report(), status=Status.CLOSED, deadline_at=now - timedelta(days=5))
    temir = set_state(new_report(kato=TEMIR), deadline_at=now - timedelta(days=4))

    section = oversight.overdue_answers(region=region, district_ids=alga, now=now)
    assert references(section.rows) == [first.reference, second.reference, third.reference]
    assert section.count == 3 and section.more == 0

    whole = oversight.overdue_answers(region=region, district_ids=None, now=now)
    assert references(whole.rows)[0] == temir.reference and whole.count == 4

    cut = oversight.overdue_answers(region=region, district_ids=alga, now=now, limit=2)
    assert (len(cut.rows), cut.count, cut.more) == (2, 3, 1)


def test_it_lists_returned_answers_with_the_reason_and_reopened_reports_with_the_reporters_words(region, alga, persona):
    prosecutor = persona("alga_prosecutor")
    returned = new_report()
    give_answer(returned)
    services.answer_return(report=returned, reason="Question the neighbours.", actor=prosecutor)
    reopened = new_report()
    give_answer(reopened)
    services.followup_not_resolved(report=reopened, text="They are still fighting.")
    answered = new_report()
    give_answer(answered)
    temir = new_report(kato=TEMIR)
    give_answer(temir)
    services.answer_return(report=temir, reason="Again.", actor=persona("temir_prosecutor"))
    now = timezone.now()

    section = oversight.returned_answers(region=region, district_ids=alga, now=now)
    assert references(section.rows) == [returned.reference]
    assert section.rows[0].return_reason == "Question the neighbours."
    section = oversight.reopened_reports(region=region, district_ids=alga, now=now)
    assert references(section.rows) == [reopened.reference]
    assert section.rows[0].reopen_reason == "They are still fighting."
    assert oversight.returned_answers(region=region, district_ids=None, now=now).count == 2


# --- the bodies' ranking --------------------------------------------------------------------------


def answered_after(hours: float, *, on_time: bool, body_code: str = "", kato=ALGA, days_ago: int = 10) -> Answer:
    now = timezone.now()
    report = new_report(kato=kato)
    if body_code:
        report = set_state(report, body=Organisation.objects.get(code=body_code))
    routed = now - timedelta(days=days_ago)
    set_state(report, routed_at=routed)
    return give_answer(report, at=routed + timedelta(hours=hours), on_time=on_time)


def test_it_ranks_bodies_by_their_share_of_answers_on_time_then_by_median_time(region, alga):
    answered_after(2, on_time=True)
    answered_after(4, on_time=True)
    answered_after(10, on_time=False)
    answered_after(1, on_time=False, days_ago=100)  # outside the 90 days
    answered_after(6, on_time=True, body_code="akt-akimat-alga")
    answered_after(8, on_time=True, body_code="akt-akimat-alga")
    answered_after(30, on_time=False, kato=TEMIR)

    ranking = oversight.body_ranking(region=region, district_ids=alga, now=timezone.now())
    assert [rank.body.code for rank in ranking] == ["akt-akimat-alga", "akt-police-alga"]
    akimat, police = ranking
    assert (akimat.answers, akimat.on_time, akimat.on_time_percent) == (2, 2, 100)
    assert akimat.median_hours == pytest.approx(7.0)  # the median of an even number: the mean of the middle two
    assert (police.answers, police.on_time, police.on_time_percent) == (3, 2, 67)
    assert police.on_time_rate == pytest.approx(2 / 3)
    assert police.median_hours == pytest.approx(4.0)

    whole = oversight.body_ranking(region=region, district_ids=None, now=timezone.now())
    assert [rank.body.code for rank in whole][-1] != "akt-akimat-alga" and len(whole) == 3


def test_it_breaks_a_tie_in_the_on_time_rate_by_the_faster_median(region, alga):
    answered_after(9, on_time=True)
    answered_after(3, on_time=True, body_code="akt-akimat-alga")
    ranking = oversight.body_ranking(region=region, district_ids=alga, now=timezone.now())
    assert [rank.body.code for rank in ranking] == ["akt-akimat-alga", "akt-police-alga"]


def test_it_counts_the_answer_time_from_the_submission_when_a_report_was_never_routed(region, alga):
    answer = answered_after(5, on_time=True)
    report = set_state(answer.report, routed_at=None, submitted_at=answer.at - timedelta(hours=12))
    assert report.routed_at is None
    ranking = oversight.body_ranking(region=region, district_ids=alga, now=timezone.now())
    assert ranking[0].median_hours == pytest.approx(12.0)


# --- repeat places ---------------------------------------------------------------------------------


def at_point(lat: str, lon: str, **overrides) -> Report:
    return new_report(latitude=Decimal(lat), longitude=Decimal(lon), **overrides)


def test_it_finds_places_reported_three_times_within_about_200_metres(region, alga):
    now = timezone.now()
    place = [
        at_point("50.2841", "57.2301"),
        at_point("50.2845", "57.2310"),
        at_point("50.2843", "57.2305", category="drug-dealing"),
    ]
    set_state(at_point("50.2842", "57.2302"), status=Status.REJECTED)  # rejected: not counted
    at_point("50.2842", "57.2302", now=now - timedelta(days=100))  # too old
    at_point("50.2856", "57.2301")  # the next cell to the north
    at_point("50.3000", "57.3000")
    at_point("50.3001", "57.3001")  # two reports only
    new_report()  # no point on the map
    temir = [at_point("50.1001", "57.1001", kato=TEMIR) for _ in range(3)]

    now = timezone.now()
    section = oversight.repeat_places(region=region, district_ids=alga, now=now)
    assert section.count == 1
    found = section.rows[0]
    assert found.count == 3
    assert sorted(r.reference for r in found.reports) == sorted(r.reference for r in place)
    assert [(category.code, count) for category, count in found.categories] == [
        ("public-order", 2),
        ("drug-dealing", 1),
    ]
    assert abs(found.latitude - Decimal("50.2843")) < Decimal("0.001")
    assert abs(found.longitude - Decimal("57.2305")) < Decimal("0.002")

    whole = oversight.repeat_places(region=region, district_ids=None, now=now)
    assert whole.count == 2
    assert {r.reference for r in whole.rows[1].reports} | {r.reference for r in whole.rows[0].reports} >= {
        r.reference for r in temir
    }


def test_it_links_at_most_a_few_reports_of_a_place_the_latest_first(region, alga):
    now = timezone.now()
    reports = [at_point("50.2841", "57.2301", now=now - timedelta(hours=12 - i)) for i in range(12)]
    found = oversight.repeat_places(region=region, district_ids=alga, now=timezone.now()).rows[0]
    assert found.count == 12
    assert [r.reference for r in found.reports] == [r.reference for r in reversed(reports)][: oversight.REPEAT_LINKS]


# --- possible concealment from registration -------------------------------------------------------


def test_it_flags_confirmed_crimes_with_no_registration_number(region, alga, persona):
    prosecutor = persona("alga_prosecutor")
    now = timezone.now()
    pending = new_report()
    give_answer(pending, Result.CONFIRMED_CRIMINAL, at=now - timedelta(days=5))
    registered = new_report()
    give_answer(registered, Result.CONFIRMED_CRIMINAL)
    services.report_register(report=registered, registration="erdr", number="255320031000123", actor=prosecutor)
    corrected = new_report()
    give_answer(corrected, Result.CONFIRMED_CRIMINAL)
    services.answer_return(report=corrected, reason="Check again.", actor=prosecutor)
    give_answer(corrected, Result.NOT_CONFIRMED)  # the latest answer: not confirmed
    accepted = new_report()
    give_answer(accepted, Result.CONFIRMED_CRIMINAL, at=now - timedelta(days=2))
    services.answer_accept(report=accepted, actor=prosecutor)
    returned = new_report()
    give_answer(returned, Result.CONFIRMED_CRIMINAL)
    services.answer_return(report=returned, reason="Not proven.", actor=prosecutor)  # a returned answer
    not_confirmed = new_report()
    give_answer(not_confirmed, Result.NOT_CONFIRMED)
    administrative = new_report()
    give_answer(administrative, Result.CONFIRMED_ADMINISTRATIVE)
    temir = new_report(kato=TEMIR)
    give_answer(temir, Result.CONFIRMED_CRIMINAL)

    section = oversight.concealment_candidates(region=region, district_ids=alga, now=now)
    assert references(section.rows) == [pending.reference, accepted.reference]
    assert section.count == 2
    whole = oversight.concealment_candidates(region=region, district_ids=None, now=now)
    assert temir.reference in references(whole.rows) and whole.count == 3


# --- decisions waiting ---------------------------------------------------------------------------------


def test_it_lists_the_forwards_and_extensions_waiting_for_the_prosecutor(region, alga, persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    waiting = new_report()
    forward = services.report_forward(report=waiting, to_body=akimat, reason="Theirs.", actor=officer)
    decided = new_report()
    upheld = services.report_forward(report=decided, to_body=akimat, reason="Theirs.", actor=officer)
    services.forward_decide(forward=upheld, uphold=True, actor=prosecutor)
    asked = new_report()
    extension = services.extension_request(report=asked, days=3, reason="Time.", actor=officer)
    refused = new_report()
    no = services.extension_request(report=refused, days=3, reason="Time.", actor=officer)
    services.extension_decide(extension=no, grant=False, note="No.", actor=prosecutor)
    temir = new_report(kato=TEMIR)
    services.extension_request(report=temir, days=1, reason="Time.", actor=officer_of(temir))
    now = timezone.now()

    forwards = oversight.pending_forwards(region=region, district_ids=alga, now=now)
    assert [row.pk for row in forwards.rows] == [forward.pk] and forwards.count == 1
    extensions = oversight.pending_extensions(region=region, district_ids=alga, now=now)
    assert [row.pk for row in extensions.rows] == [extension.pk] and extensions.count == 1
    assert oversight.pending_extensions(region=region, district_ids=None, now=now).count == 2


# --- the page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("alga_prosecutor", 200),
        ("temir_prosecutor", 200),
        ("department_prosecutor", 200),
        ("regional_prosecutor", 200),
        ("administrator", 200),
        ("analyst", 200),
        ("citizen", 403),
        ("alga_officer", 403),
        ("bank_partner", 403),
        ("board_secretary", 403),
    ],
)
def test_it_gives_the_oversight_page_to_prosecutors_and_the_analyst(login, username, status):
    assert login(username).get("/signals/oversight/").status_code == status


def test_it_sends_an_anonymous_visitor_of_the_oversight_page_to_the_login(db):
    response = Client().get("/signals/oversight/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def overdue_pair():
    now = timezone.now()
    alga = set_state(new_report(), deadline_at=now - timedelta(days=1))
    temir = set_state(new_report(kato=TEMIR), deadline_at=now - timedelta(days=1))
    return alga, temir


def test_it_shows_a_district_prosecutor_their_districts_only(overdue_pair, login):
    alga, temir = overdue_pair
    page = login("alga_prosecutor").get("/signals/oversight/").content.decode()
    assert alga.reference in page and temir.reference not in page
    page = login("temir_prosecutor").get("/signals/oversight/").content.decode()
    assert temir.reference in page and alga.reference not in page


def test_it_shows_the_region_to_regional_roles_and_narrows_it_to_a_district(overdue_pair, login):
    alga, temir = overdue_pair
    client = login("regional_prosecutor")
    page = client.get("/signals/oversight/").content.decode()
    assert alga.reference in page and temir.reference in page
    page = client.get(f"/signals/oversight/?district={temir.district_id}").content.decode()
    assert temir.reference in page and alga.reference not in page
    # A district prosecutor cannot widen their view by naming another district.
    page = login("alga_prosecutor").get(f"/signals/oversight/?district={temir.district_id}").content.decode()
    assert temir.reference not in page


def test_it_lets_prosecutors_decide_from_the_page_and_the_analyst_only_read(persona, login):
    officer = persona("alga_officer")
    report = new_report()
    extension = services.extension_request(report=report, days=2, reason="Witnesses away.", actor=officer)
    analyst_page = login("analyst").get("/signals/oversight/").content.decode()
    assert report.reference in analyst_page and "/decide/" not in analyst_page
    client = login("alga_prosecutor")
    page = client.get("/signals/oversight/").content.decode()
    assert f"/signals/extensions/{extension.pk}/decide/" in page
    response = client.post(
        f"/signals/extensions/{extension.pk}/decide/", {"decision": "grant", "next": "/signals/oversight/"}
    )
    assert response.status_code == 302 and response["Location"] == "/signals/oversight/"
    extension.refresh_from_db()
    assert extension.decision == ExtensionRequest.Decision.GRANTED
    # The analyst may not decide, whatever they post.
    other = services.extension_request(report=new_report(), days=2, reason="Time.", actor=officer)
    assert login("analyst").post(f"/signals/extensions/{other.pk}/decide/", {"decision": "grant"}).status_code == 403
    other.refresh_from_db()
    assert other.decision == ExtensionRequest.Decision.PENDING


def test_it_never_redirects_a_decision_to_another_site(persona, login):
    report = new_report()
    extension = services.extension_request(report=report, days=2, reason="Time.", actor=persona("alga_officer"))
    response = login("alga_prosecutor").post(
        f"/signals/extensions/{extension.pk}/decide/", {"decision": "grant", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/signals/{report.reference}/"


def populate(count: int, offset: int, officer: User, prosecutor: User) -> None:
    """`count` rows in every section of the page."""
    akimat = Organisation.objects.get(code="akt-akimat-alga")
    now = timezone.now()
    for index in range(offset, offset + count):
        set_state(new_report(), deadline_at=now - timedelta(days=1))
        returned = new_report()
        give_answer(returned)
        services.answer_return(report=returned, reason="Again.", actor=prosecutor)
        reopened = new_report()
        give_answer(reopened, Result.CONFIRMED_CRIMINAL)
        services.followup_not_resolved(report=reopened, text="Not resolved.")
        services.report_forward(report=new_report(), to_body=akimat, reason="Theirs.", actor=officer)
        services.extension_request(report=new_report(), days=2, reason="Time.", actor=officer)
        latitude = Decimal("50.2000") + index * Decimal("0.01")
        for _ in range(3):
            new_report(latitude=latitude, longitude=Decimal("57.2000"))


def test_it_reads_the_oversight_page_with_a_constant_number_of_queries(persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    client = client_for(prosecutor)
    populate(1, 0, officer, prosecutor)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/signals/oversight/").status_code == 200
    populate(3, 1, officer, prosecutor)
    cache.clear()  # the statistics computed by the first visit, so the second computes them again
    with CaptureQueriesContext(connection) as many:
        page = client.get("/signals/oversight/").content.decode()
    assert page.count("/decide/") == 2 * 4  # every forward and extension has its decision form
    assert page.count('class="place"') == 4
    # Pinned: the statistics computed by the page itself; 40 since the body filter's choices (one query).
    assert len(many) == len(few) == 40


def test_it_reads_the_statistics_the_worker_computed_while_they_are_fresh(persona):
    officer, prosecutor = persona("alga_officer"), persona("alga_prosecutor")
    populate(1, 0, officer, prosecutor)
    assert oversight.refresh_statistics() >= 2  # the region and the offices serving districts
    client = client_for(prosecutor)
    with CaptureQueriesContext(connection) as read:
        page = client.get("/signals/oversight/").content.decode()
    assert page.count('class="place"') == 1
    # Pinned: the oversight page as a prosecutor meets it, statistics computed ahead; 28 since the
    # body filter's choices (one query).
    assert len(read) == 28
    assert not [q for q in read.captured_queries if "FLOOR" in q["sql"] or "PERCENTILE" in q["sql"]]
    # Older than STATISTICS_MAX_AGE: the page computes them itself.
    later = timezone.now() + oversight.STATISTICS_MAX_AGE + timedelta(minutes=1)
    fresh = oversight.oversight_statistics(region=prosecutor.organisation.region, district_ids=None, now=later)
    assert fresh["computed_at"] == later
