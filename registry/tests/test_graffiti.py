"""Drug graffiti: a report of the graffiti category becomes one graffiti record with its place (by the
task its intake enqueues); the body's answer that says "painted over" with a photo marks it destroyed,
without a photo not; a returned answer withdraws it and a new one marks it again (lib.plugins'
answer_tasks); a report re-categorised out of the category is dropped (recategorise_tasks). The
summary counts the destructions that held as of its day; the page shows the records of the user's
scope, their photos only through signals' protected route and only to those who may see the report."""

import io
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from PIL import Image

from accounts.models import District, Organisation
from accounts.roles import Role
from lib.photos import clean_photo
from registry.models import Graffiti, GraffitiEvent
from reporting.figures import Request, compute, rows_behind
from reporting.tests import facts
from signals import services as signals_services
from signals.models import Answer, Report, ReportPhoto

pytestmark = pytest.mark.django_db
ALGA, TEMIR = "153200000", "155600000"
POINTS = {ALGA: ("49.902780", "57.335000"), TEMIR: ("49.143910", "56.481960")}
GRAFFITI_TASKS = ("registry.tasks.record_report_graffiti", "registry.tasks.follow_answer_graffiti")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "grey").save(buffer, format="JPEG")
    return clean_photo(SimpleUploadedFile("wall.jpg", buffer.getvalue(), content_type="image/jpeg"))


def work(at: datetime) -> list:
    """Run the registry's graffiti tasks enqueued so far, at `at`, as a worker would."""
    done = []
    with facts.clock(at):
        for row in DBTaskResult.objects.filter(task_path__in=GRAFFITI_TASKS).order_by("enqueued_at", "id"):
            done.append(import_string(row.task_path).call(*row.args_kwargs["args"]))
            row.delete()
    return done


def submit(at: datetime, kato=ALGA, code="drug-graffiti", address="ул. Школьная 5, забор школы") -> Report:
    latitude, longitude = POINTS[kato]
    with facts.clock(at):
        report = signals_services.report_submit(
            actor=None,
            category=code,
            description="На заборе школы надпись «соль 24/7» и ник в Telegram.",
            channel="web",
            district=District.objects.get(kato=kato),
            latitude=latitude,
            longitude=longitude,
            address=address,
            photos=[photo()],
            now=at,
        ).report
    work(at)
    return report


def answer(report: Report, at: datetime, *, photos=True, measures=(Answer.Measure.GRAFFITI_REMOVED,)) -> Answer:
    report.refresh_from_db()
    with facts.clock(at):
        given = signals_services.answer_give(
            report=report,
            result=Answer.Result.CONFIRMED_OTHER,
            text="Надпись закрашена.",
            measures=measures,
            photos=[photo()] if photos else [],
            actor=facts.officer_of(report.body),
        )
    work(at)
    return given


def return_answer(report: Report, at: datetime) -> None:
    facts.return_answer(report, at)
    work(at)


def destroyed(start: date, end: date, as_of: date) -> int:
    request = Request.make(region=facts.region(), start=start, end=end, as_of=as_of)
    return compute(request, only="drugs.graffiti.destroyed").figure("drugs.graffiti.destroyed").value


def body_officer(code: str):
    user, _ = get_user_model().objects.get_or_create(
        username=f"graffiti-{code}",
        defaults={"role": Role.BODY_OFFICER, "organisation": Organisation.objects.get(code=code)},
    )
    return user


# --- intake ---------------------------------------------------------------------------------------


def test_a_graffiti_report_becomes_one_record_with_its_place_and_another_category_none():
    report = submit(facts.local(2025, 3, 3, 10))
    graffiti = Graffiti.objects.get()
    assert (graffiti.report, graffiti.district.kato, graffiti.status) == (report, ALGA, Graffiti.Status.REPORTED)
    assert (str(graffiti.latitude), str(graffiti.longitude), graffiti.address) == (*POINTS[ALGA], report.address)
    assert graffiti.reported_at == report.submitted_at
    from registry.tasks import record_report_graffiti

    assert record_report_graffiti.call(report.pk) is True  # the task run twice: still one record, one event
    assert Graffiti.objects.count() == 1 and GraffitiEvent.objects.get().kind == GraffitiEvent.Kind.RECORDED
    facts.submit(facts.local(2025, 3, 3, 11))  # public order
    assert work(facts.local(2025, 3, 3, 11)) == [False] and Graffiti.objects.count() == 1


def test_a_report_recategorised_out_of_graffiti_is_dropped_and_back_in_recorded_again(persona):
    report = submit(facts.local(2025, 3, 3, 10))
    prosecutor = persona("alga_prosecutor")
    with facts.clock(facts.local(2025, 3, 4, 10)):
        signals_services.report_recategorise(report=report, category="public-order", actor=prosecutor)
    work(facts.local(2025, 3, 4, 10))
    graffiti = Graffiti.objects.get()
    assert graffiti.status == Graffiti.Status.DROPPED
    reported = Request.make(
        region=facts.region(), start=date(2025, 3, 1), end=date(2025, 3, 31), as_of=date(2025, 3, 3)
    )
    assert compute(reported).figure("drugs.graffiti.reported").value == 1  # as of the day before it was dropped
    later = Request.make(region=facts.region(), start=date(2025, 3, 1), end=date(2025, 3, 31), as_of=date(2025, 3, 31))
    assert compute(later).figure("drugs.graffiti.reported").value == 0
    with facts.clock(facts.local(2025, 3, 5, 10)):
        signals_services.report_recategorise(report=report, category="drug-graffiti", actor=prosecutor)
    work(facts.local(2025, 3, 5, 10))
    graffiti.refresh_from_db()
    assert graffiti.status == Graffiti.Status.REPORTED and Graffiti.objects.count() == 1
    assert compute(later).figure("drugs.graffiti.reported").value == 1


def test_a_report_recategorised_into_graffiti_becomes_a_record(persona):
    report = submit(facts.local(2025, 3, 3, 10), code="public-order")
    assert not Graffiti.objects.exists()
    with facts.clock(facts.local(2025, 3, 4, 10)):
        signals_services.report_recategorise(report=report, category="drug-graffiti", actor=persona("alga_prosecutor"))
    work(facts.local(2025, 3, 4, 10))
    assert Graffiti.objects.get().reported_at == report.submitted_at


# --- destroyed, withdrawn, destroyed again ------------------------------------------------------------


def test_an_answer_painted_over_with_a_photo_marks_it_destroyed_and_a_return_withdraws_it():
    report = submit(facts.local(2025, 3, 3, 10))
    answer(report, facts.local(2025, 3, 5, 10), photos=False)  # "painted over", no photo: not counted
    graffiti = Graffiti.objects.get()
    assert graffiti.status == Graffiti.Status.REPORTED
    return_answer(report, facts.local(2025, 3, 6, 10))
    shown = answer(report, facts.local(2025, 3, 10, 10))
    graffiti.refresh_from_db()
    assert (graffiti.status, graffiti.destroyed_at, graffiti.destroyed_by_answer) == (
        Graffiti.Status.DESTROYED,
        shown.at,
        shown,
    )
    return_answer(report, facts.local(2025, 3, 20, 10))
    graffiti.refresh_from_db()
    assert graffiti.status == Graffiti.Status.REPORTED and graffiti.destroyed_by_answer is None
    again = answer(report, facts.local(2025, 4, 2, 10))
    with facts.clock(facts.local(2025, 4, 3, 10)):
        signals_services.answer_accept(report=report, actor=facts.regional_prosecutor())
    work(facts.local(2025, 4, 3, 10))  # accepted: nothing changes
    graffiti.refresh_from_db()
    assert (graffiti.status, graffiti.destroyed_by_answer) == (Graffiti.Status.DESTROYED, again)
    kinds = list(graffiti.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["recorded", "destroyed", "withdrawn", "destroyed"]
    # The summary, as of days before and after the withdrawal.
    march = (date(2025, 3, 1), date(2025, 3, 31))
    assert destroyed(*march, as_of=date(2025, 3, 15)) == 1
    assert destroyed(*march, as_of=date(2025, 3, 31)) == 0  # returned on the 20th
    assert destroyed(date(2025, 4, 1), date(2025, 4, 30), as_of=date(2025, 4, 30)) == 1
    assert destroyed(date(2025, 3, 1), date(2025, 4, 30), as_of=date(2025, 4, 30)) == 1  # once
    assert destroyed(date(2025, 4, 1), date(2025, 4, 30), as_of=date(2025, 4, 1)) == 0  # not recorded yet


def test_a_report_returned_after_its_reporter_reopened_it_withdraws_the_destruction():
    report = submit(facts.local(2025, 3, 3, 10))
    answer(report, facts.local(2025, 3, 5, 10))
    with facts.clock(facts.local(2025, 3, 6, 10)):
        signals_services.answer_accept(report=report, actor=facts.regional_prosecutor())
    work(facts.local(2025, 3, 6, 10))
    facts.reopen(report, facts.local(2025, 3, 7, 10))
    report.refresh_from_db()
    with facts.clock(facts.local(2025, 3, 8, 10)):
        signals_services.report_transition(
            report=report, to_status=Report.Status.RETURNED, actor=facts.regional_prosecutor(), reason="Still there."
        )
    work(facts.local(2025, 3, 8, 10))
    assert Graffiti.objects.get().status == Graffiti.Status.REPORTED
    assert destroyed(date(2025, 3, 1), date(2025, 3, 31), as_of=date(2025, 3, 31)) == 0


def test_the_rows_behind_the_figure_give_the_place_and_the_report_never_its_text():
    report = submit(facts.local(2025, 3, 3, 10))
    answer(report, facts.local(2025, 3, 5, 10))
    request = Request.make(region=facts.region(), start=date(2025, 3, 1), end=date(2025, 3, 31))
    rows, count = rows_behind(request, "drugs.graffiti.destroyed")
    assert count == 1
    (row,) = rows
    assert row["link"] == reverse("signals:detail", args=[report.reference]) and row["place"] == report.address
    assert row["district"] and row["reported"] == "2025-03-03" and "соль" not in str(row)


# --- the page and who sees it ----------------------------------------------------------------------


@pytest.fixture
def two_districts():
    alga = submit(facts.local(2025, 3, 3, 10))
    answer(alga, facts.local(2025, 3, 5, 10))
    temir = submit(facts.local(2025, 3, 4, 10), kato=TEMIR, address="ул. Темірова 9, гаражи")
    return alga, temir


def page(client, **query) -> str:
    response = client.get(reverse("registry:graffiti"), query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "username, sees_alga, sees_temir",
    [
        ("alga_prosecutor", True, False),
        ("temir_prosecutor", False, True),
        ("department_prosecutor", True, True),
        ("regional_prosecutor", True, True),
        ("analyst", True, True),
        ("administrator", True, True),
        ("alga_officer", True, False),  # the police of Alga
    ],
)
def test_each_reader_sees_the_graffiti_of_their_scope(login, two_districts, username, sees_alga, sees_temir):
    html = page(login(username))
    assert ("забор школы" in html) is sees_alga
    assert ("гаражи" in html) is sees_temir


def test_the_akimat_of_the_district_sees_its_places_but_not_the_reports_photos(client, two_districts):
    alga, _temir = two_districts
    client.force_login(body_officer("akt-akimat-alga"))
    html = page(client)
    assert "забор школы" in html and "гаражи" not in html
    assert reverse("signals:detail", args=[alga.reference]) not in html and "/photos/" not in html
    assert "Shown to those who see the report." in html
    photo_row = ReportPhoto.objects.filter(report=alga).first()
    assert client.get(reverse("signals:photo", args=[alga.reference, photo_row.pk])).status_code == 404
    menu = client.get(reverse("registry:graffiti"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/registry/graffiti/"' in menu  # its menu entry


@pytest.mark.parametrize("code", ["akt-police-temir", "akt-akimat-temir", "akt-education-region"])
def test_a_body_of_another_district_or_kind_sees_none_of_alga(client, two_districts, code):
    client.force_login(body_officer(code))
    response = client.get(reverse("registry:graffiti"))
    if code == "akt-education-region":
        assert response.status_code == 403
    else:
        assert "забор школы" not in response.content.decode()


@pytest.mark.parametrize("username", ["bank_partner", "citizen", "board_secretary"])
def test_partners_citizens_and_the_board_secretary_get_nothing(login, two_districts, username):
    assert login(username).get(reverse("registry:graffiti")).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("registry:graffiti"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_photos_before_and_after_are_served_only_through_the_protected_route(login, two_districts):
    alga, _temir = two_districts
    client = login("alga_prosecutor")
    html = page(client)
    before = ReportPhoto.objects.get(report=alga, source=ReportPhoto.Source.INTAKE)
    after = ReportPhoto.objects.get(report=alga, source=ReportPhoto.Source.ANSWER)
    for shown in (before, after):
        url = reverse("signals:photo", args=[alga.reference, shown.pk])
        assert f'src="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert login("temir_prosecutor").get(url).status_code == 404
    assert "/media/" not in html and before.image.name not in html


def test_the_list_filters_by_district_and_status_and_htmx_gets_the_results_only(login, two_districts):
    client = login("analyst")
    temir = District.objects.get(kato=TEMIR)
    html = page(client, district=temir.pk)
    assert "гаражи" in html and "забор школы" not in html
    html = page(client, status="destroyed")
    assert "забор школы" in html and "гаражи" not in html
    partial = client.get(reverse("registry:graffiti"), {"status": "reported"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="graffiti-results"' in partial and "гаражи" in partial
    assert 'data-points="[{&quot;lat&quot;: 49.14391' in partial  # the map's points come with the results
    assert "забор школы" in page(client, district="999999", status="nonsense")  # unknown filters: ignored


def test_the_list_reads_a_fixed_number_of_statements(login, two_districts):
    client = login("analyst")
    page(client)  # the session's first reads
    with CaptureQueriesContext(connection) as two_rows:
        page(client)
    for n in range(3):
        report = submit(facts.local(2025, 5, 3 + n, 10))
        answer(report, facts.local(2025, 5, 10 + n, 10))
    with CaptureQueriesContext(connection) as five_rows:
        assert page(client).count("/photos/") >= 2 * 5
    assert len(five_rows) == len(two_rows) <= 12


def test_the_registry_home_links_to_the_graffiti(login):
    html = login("alga_prosecutor").get(reverse("registry:home")).content.decode()
    assert reverse("registry:graffiti") in html
