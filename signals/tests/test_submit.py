"""report_submit: validation per field, references, tracking tokens, district from a point,
contacts, the notification, idempotency (sequential and concurrent)."""

import re
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, connections, models
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accounts.models import ApiKey, District, Organisation, Region
from signals.models import Category, ReferenceCounter, Report, ReporterContact, ReportEvent
from signals.references import token_hash
from signals.services import find_report_by_token, intake, report_submit

ALGA = "153200000"
ALGA_CENTRE = ("49.90278", "57.33500")
CITY_CENTRE = ("50.27969", "57.20718")
SECOND_REGION_DIR = Path(__file__).resolve().parents[2] / "accounts" / "tests" / "reference_second_region"
LOCAL = ZoneInfo("Asia/Almaty")


def submit(**overrides):
    values = {
        "actor": None,
        "category": "public-order",
        "description": "Fights near the shop every night.",
        "channel": Report.Channel.WEB,
        "address": "Alga, Main street 1",
    }
    if "district" not in overrides:
        values["district"] = District.objects.get(kato=ALGA)
    values.update(overrides)
    return report_submit(**values)


def errors_of(**overrides) -> dict:
    before = Report.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(**overrides)
    assert Report.objects.count() == before
    return caught.value.message_dict


def api_key(prefix="k1") -> ApiKey:
    return ApiKey.objects.create(
        name="Partner system",
        organisation=Organisation.objects.get(code="akt-prok-region"),
        prefix=prefix,
        key_hash=token_hash(prefix),
    )


# --- the happy path -------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_routes_a_report_to_the_district_body_and_gives_a_reference(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit()
    report = submission.report
    assert submission.created
    assert re.fullmatch(r"AKT-\d{4}-\d{6}", report.reference)
    assert report.status == Report.Status.ROUTED
    assert report.body.code == "akt-police-alga"
    assert report.routed_at == report.submitted_at
    assert report.deadline_at > report.submitted_at
    assert report.sensitive is False
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.ROUTED]
    task = DBTaskResult.objects.get(task_path="signals.tasks.notify_body")
    assert task.args_kwargs["args"] == [report.pk, report.body_id, "routed"]


@pytest.mark.django_db
def test_it_enqueues_no_notification_for_the_triage(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(category="other")
    assert not DBTaskResult.objects.filter(task_path="signals.tasks.notify_body").exists()


@pytest.mark.django_db
def test_it_stores_typed_extra_fields():
    report = submit(
        category="fraud",
        attributes={
            "phone_number": "+7 705 123 4567",
            "amount_lost": "12 500,50",
            "contact_channel": "call",
            "link": "",
        },
    ).report
    assert report.attributes == {"phone_number": "+7 705 123 4567", "amount_lost": 12500.5, "contact_channel": "call"}
    report = submit(
        category="child-at-risk",
        attributes={"situation": ["begging", "left_alone", "begging"], "child_age": 7},
    ).report
    assert report.attributes == {"situation": ["begging", "left_alone"], "child_age": 7}
    assert report.sensitive is True
    report = submit(attributes={"occurred_at": "2025-03-01T22:15"}).report
    assert report.attributes == {"occurred_at": "2025-03-01T22:15:00+05:00"}


@pytest.mark.django_db
def test_it_keeps_a_contact_given_with_consent_and_nothing_for_an_anonymous_report():
    report = submit(contact={"name": "Aigerim", "phone": "+7 701 000 0000", "email": ""}).report
    contact = ReporterContact.objects.get(report=report)
    assert (contact.name, contact.phone, contact.consent_at) == ("Aigerim", "+7 701 000 0000", report.submitted_at)
    anonymous = submit(contact={"name": " ", "phone": "", "email": ""}).report
    assert not ReporterContact.objects.filter(report=anonymous).exists()
    assert anonymous.reporter is None and anonymous.entered_by is None


@pytest.mark.django_db
def test_it_records_who_entered_a_call_and_whose_report_it_is(persona):
    prosecutor = persona("alga_prosecutor")
    report = submit(actor=prosecutor, channel=Report.Channel.HOTLINE).report
    assert (report.entered_by, report.reporter, report.channel) == (prosecutor, None, "hotline")
    citizen = persona("citizen")
    report = submit(actor=citizen).report
    assert (report.entered_by, report.reporter) == (None, citizen)
    assert report.events.first().actor == citizen


@pytest.mark.django_db
def test_it_stores_no_address_of_the_client_anywhere():
    from django.apps import apps

    for model in apps.get_app_config("signals").get_models():
        assert not any(isinstance(field, models.GenericIPAddressField) for field in model._meta.fields), model


# --- the district from a point ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_derives_the_district_from_the_point():
    report = submit(district=None, latitude=ALGA_CENTRE[0], longitude=ALGA_CENTRE[1], address="").report
    assert report.district.kato == ALGA
    assert report.body.code == "akt-police-alga"
    assert report.latitude == Decimal(ALGA_CENTRE[0])


@pytest.mark.django_db
def test_it_gives_the_city_when_its_districts_have_no_shape():
    report = submit(district=None, latitude=CITY_CENTRE[0], longitude=CITY_CENTRE[1]).report
    assert report.district.kato == "151010000"
    assert report.body.code == "akt-police-city"


@pytest.mark.django_db
def test_it_keeps_the_chosen_district_over_the_point():
    report = submit(latitude=CITY_CENTRE[0], longitude=CITY_CENTRE[1]).report
    assert report.district.kato == ALGA


@pytest.mark.django_db
def test_it_sends_a_report_with_no_place_to_the_regions_triage():
    report = submit(category="fraud", district=None, address="").report
    assert report.region.short_code == "AKT"
    assert (report.district, report.body, report.status) == (None, None, Report.Status.NEW)


# --- validation, field by field -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": None}, "category"),
        ({"category": "no-such-category"}, "category"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"address": "", "district": None}, "location"),  # public order needs a place
        ({"latitude": "49.9"}, "location"),  # half a point
        ({"latitude": "north", "longitude": "57.3"}, "location"),
        ({"latitude": "95", "longitude": "57.3"}, "location"),
        ({"address": "a" * 301}, "location"),
        ({"district": "999999999"}, "district"),
        ({"category": "drug-graffiti", "latitude": "49.9", "longitude": "57.3"}, "photos"),
        ({"photos": [ContentFile(b"x", name=f"{n}.jpg") for n in range(6)]}, "photos"),
        ({"category": "drug-ad"}, "attributes"),  # the link is required
        ({"attributes": {"colour": "red"}}, "attributes"),
        ({"category": "fraud", "attributes": {"amount_lost": "a lot"}}, "attributes"),
        ({"category": "fraud", "attributes": {"contact_channel": "pigeon"}}, "attributes"),
        ({"attributes": {"occurred_at": "yesterday"}}, "attributes"),
        ({"category": "drug-lab", "attributes": {"signs": ["smell", "chemical_smell"]}}, "attributes"),
        ({"contact": {"email": "not-an-email"}}, "contact"),
    ],
)
def test_it_names_the_field_in_error(overrides, field):
    assert field in errors_of(**overrides)


@pytest.mark.django_db
def test_it_accepts_exactly_4000_characters_and_an_address_instead_of_a_point():
    assert len(submit(description="x" * 4000).report.description) == 4000


@pytest.mark.django_db
def test_it_refuses_an_inactive_category():
    Category.objects.filter(code="public-order").update(is_active=False)
    assert "category" in errors_of()


@pytest.mark.django_db
def test_it_lists_every_problem_at_once():
    errors = errors_of(category="drug-ad", description="", attributes={"platform": "fax"})
    assert set(errors) == {"description", "attributes"}
    assert len(errors["attributes"]) == 2


@pytest.mark.django_db
def test_it_refuses_a_district_of_another_region():
    call_command("load_reference", reference_dir=str(SECOND_REGION_DIR), verbosity=0)
    second = Region.objects.get(short_code="TST")
    assert "district" in errors_of(region=second)


@pytest.mark.django_db
def test_it_asks_for_a_district_when_the_region_cannot_be_told():
    call_command("load_reference", reference_dir=str(SECOND_REGION_DIR), verbosity=0)
    assert "district" in errors_of(category="fraud", district=None, address="")


# --- references and tokens -------------------------------------------------------------------


@pytest.mark.django_db
def test_it_numbers_references_per_region_and_year():
    call_command("load_reference", reference_dir=str(SECOND_REGION_DIR), verbosity=0)
    in_2031 = datetime(2031, 5, 5, 12, tzinfo=LOCAL)
    new_year_eve = datetime(2031, 12, 31, 23, 30, tzinfo=LOCAL)
    in_2032 = datetime(2032, 1, 1, 0, 30, tzinfo=LOCAL)
    first = submit(now=in_2031).report.reference
    second = submit(now=new_year_eve).report.reference
    third = submit(now=in_2032).report.reference
    other_region = submit(district=District.objects.get(kato="992000000"), now=in_2031).report
    assert [first, second, third] == ["AKT-2031-000001", "AKT-2031-000002", "AKT-2032-000001"]
    assert other_region.reference == "TST-2031-000001"
    assert other_region.body.code == "tst-police-first"  # routing follows the region's own bodies
    assert ReferenceCounter.objects.get(region__short_code="AKT", year=2031).last == 2


@pytest.mark.django_db
def test_it_gives_a_private_token_of_at_least_128_bits_and_keeps_only_its_hash():
    submission = submit()
    token, report = submission.tracking_token, submission.report
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # 22 base64 chars = 132 bits
    assert len(token) * 6 >= 128
    assert report.tracking_token_hash == token_hash(token) and len(report.tracking_token_hash) == 64
    row = Report.objects.filter(pk=report.pk).values().get()
    assert not any(token in str(value) for value in row.values())
    assert find_report_by_token(token) == report
    assert find_report_by_token(token + "x") is None
    assert find_report_by_token("") is None
    assert submit().tracking_token != token


# --- idempotency ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_returns_the_first_report_for_a_repeated_idempotency_key():
    key = api_key()
    first = submit(api_key=key, idempotency_key="abc-1", channel=Report.Channel.API)
    again = submit(api_key=key, idempotency_key="abc-1", channel=Report.Channel.API, description="changed")
    assert first.created and not again.created
    assert again.report == first.report and again.tracking_token == ""
    assert Report.objects.filter(api_key=key).count() == 1
    other = submit(api_key=key, idempotency_key="abc-2", channel=Report.Channel.API)
    assert other.created and other.report != first.report
    # The same idempotency key from another system is another report.
    assert submit(api_key=api_key("k2"), idempotency_key="abc-1", channel=Report.Channel.API).created


@pytest.mark.django_db
def test_it_returns_the_winner_when_the_unique_constraint_refuses_the_copy(monkeypatch):
    # There is no check before the insert: a copy (arriving later or at the same moment) is
    # refused by the unique constraint, and only then is the winner looked up.
    key = api_key()
    first = submit(api_key=key, idempotency_key="race", channel=Report.Channel.API).report
    counter_before = ReferenceCounter.objects.get(region=first.region).last
    checks = []
    real_check = intake._existing_submission

    def recorded_check(api_key, idempotency_key):
        checks.append(idempotency_key)
        return real_check(api_key, idempotency_key)

    monkeypatch.setattr(intake, "_existing_submission", recorded_check)
    again = submit(api_key=key, idempotency_key="race", channel=Report.Channel.API)
    assert checks == ["race"]  # once, after the unique constraint refused the insert
    assert (again.created, again.report) == (False, first)
    assert Report.objects.filter(api_key=key).count() == 1
    # The loser's number was given back with its savepoint.
    assert ReferenceCounter.objects.get(region=first.region).last == counter_before
    assert submit().report.reference.endswith(f"{counter_before + 1:06d}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; the constraint path is above")
def test_it_makes_one_report_of_two_simultaneous_copies():
    key = api_key()
    barrier = threading.Barrier(2)
    results, failures = [], []

    def post():
        try:
            barrier.wait()
            results.append(submit(api_key=key, idempotency_key="same", channel=Report.Channel.API))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(result.created for result in results) == [False, True]
    assert results[0].report.pk == results[1].report.pk
    assert Report.objects.filter(api_key=key).count() == 1


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_submits_with_a_small_fixed_number_of_queries(django_capture_on_commit_callbacks):
    submit(district=None, latitude=ALGA_CENTRE[0], longitude=ALGA_CENTRE[1])  # warm the district shapes
    alga = District.objects.get(kato=ALGA)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        submit(
            district=None,
            address=alga.name,
            latitude=ALGA_CENTRE[0],
            longitude=ALGA_CENTRE[1],
            category="fraud",
            attributes={"phone_number": "+7 705 123 4567"},
            contact={"name": "A", "phone": "", "email": ""},
        )
    # Savepoint, counter (one UPDATE ... RETURNING), report, events (one bulk insert), contact,
    # tasks (one insert), release: the reference data (category, district, shapes, rules, calendar) is cached.
    # Pinned: a change to intake that adds a statement must say why (the benchmark's figures).
    assert len(queries) == 7, [query["sql"] for query in queries]
