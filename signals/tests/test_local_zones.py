"""A region's time zone (Region.time_zone, accounts.zones, lib.periods): local dates for periods,
deadlines and "today" alike, and the pages' dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.models import District, Region
from accounts.zones import day_start, local_date, region_zone, report_zone, user_zone
from lib.periods import period_bounds
from signals import services
from signals.deadlines import compute_deadline
from signals.models import Category
from signals.selectors import reports_in_period
from signals.tests.builders import new_report, set_state

pytestmark = pytest.mark.django_db

AQTOBE = ZoneInfo("Asia/Aqtobe")
ALMATY = ZoneInfo("Asia/Almaty")


def aktobe() -> Region:
    return Region.objects.get(short_code="AKT")


def received_at(moment: datetime):
    return set_state(new_report(), submitted_at=moment)


def test_it_loads_the_regions_zone_from_the_reference_data():
    region = aktobe()
    assert region.time_zone == "Asia/Aqtobe" and region.zone == AQTOBE == region_zone(region)
    assert "tzdata" in region.source and "Asia/Aqtobe" in region.source
    # The made-up test region has no verified zone: it falls back to settings.TIME_ZONE.
    assert region_zone(Region(time_zone="")) == ZoneInfo("Etc/GMT-5")


def test_it_counts_a_report_received_at_00_30_local_on_1_october_in_october():
    region = aktobe()
    october_first = received_at(datetime(2025, 10, 1, 0, 30, tzinfo=AQTOBE))
    september_last = received_at(datetime(2025, 9, 30, 23, 30, tzinfo=AQTOBE))
    assert october_first.submitted_at.astimezone(ZoneInfo("UTC")).date() == date(2025, 9, 30)  # UTC's day
    october = reports_in_period(region=region, start=date(2025, 10, 1), end=date(2025, 10, 31))
    september = reports_in_period(region=region, start=date(2025, 9, 1), end=date(2025, 9, 30))
    assert list(october) == [october_first] and list(september) == [september_last]
    assert local_date(october_first.submitted_at, region) == date(2025, 10, 1)
    start, end = period_bounds(date(2025, 10, 1), date(2025, 10, 31), region_zone(region))
    assert start <= october_first.submitted_at < end and not start <= september_last.submitted_at < end
    assert end == datetime(2025, 11, 1, tzinfo=AQTOBE) == day_start(date(2025, 11, 1), region)


def test_it_keeps_a_january_2024_report_in_january_where_almaty_would_misdate_it():
    region = aktobe()
    report = received_at(datetime(2024, 2, 1, 0, 30, tzinfo=AQTOBE))  # 31 Jan 19:30 UTC
    january = reports_in_period(region=region, start=date(2024, 1, 1), end=date(2024, 1, 31))
    february = reports_in_period(region=region, start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert list(february) == [report] and not january.exists()
    # The same moment with Asia/Almaty (UTC+6 until 1 March 2024) is 01:30 on 1 February too, but
    # one received at 23:30 Aqtobe time on 31 January would be 00:30 on 1 February in Almaty:
    late_january = received_at(datetime(2024, 1, 31, 23, 30, tzinfo=AQTOBE))
    assert local_date(late_january.submitted_at, region) == date(2024, 1, 31)
    assert local_date(late_january.submitted_at, ALMATY) == date(2024, 2, 1)  # misdated
    assert list(reports_in_period(region=region, start=date(2024, 1, 1), end=date(2024, 1, 31))) == [late_january]
    region.time_zone = "Asia/Almaty"
    region.save(update_fields=["time_zone"])
    assert not reports_in_period(region=region, start=date(2024, 1, 1), end=date(2024, 1, 31)).exists()
    # Since 1 March 2024 both are UTC+5: the same local day either way.
    assert local_date(datetime(2024, 3, 31, 23, 30, tzinfo=AQTOBE), ALMATY) == date(2024, 3, 31)


def test_it_ends_an_aktobe_reports_deadline_at_23_59_59_aktobe_time():
    report = new_report()
    assert report_zone(report) == AQTOBE
    local = report.deadline_at.astimezone(AQTOBE)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    category = Category.objects.filter(deadline_days__gt=0).first()
    received = datetime(2024, 1, 15, 23, 30, tzinfo=AQTOBE)  # 00:30 on 16 January in Almaty then
    deadline = compute_deadline(category, received, zone=AQTOBE).astimezone(AQTOBE)
    elsewhere = compute_deadline(category, received, zone=ALMATY).astimezone(ALMATY)
    assert deadline.time().isoformat() == elsewhere.time().isoformat() == "23:59:59"
    assert deadline.date() < elsewhere.date()  # counted from 15 January, not 16


def test_it_rejects_a_bad_zone_name_with_a_translated_message():
    region = aktobe()
    region.time_zone = "Asia/Aktobe-Typo"
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert "time_zone" in caught.value.message_dict
    with translation.override("ru"):
        message = str(ValidationError(caught.value.error_dict["time_zone"]).messages[0])
    assert "Asia/Aktobe-Typo" in message and "IANA" in message and "time zone name" not in message


def test_it_rejects_a_bad_zone_name_in_the_admin(persona):
    admin_user = persona("administrator")
    form_class = site._registry[Region].get_form(RequestFactory().get("/"), aktobe())
    region = aktobe()
    data = {field: getattr(region, field) for field in form_class.base_fields if hasattr(region, field)}
    data.update({field: "" for field, value in data.items() if value is None})
    data["time_zone"] = "Mars/Olympus"
    form = form_class(data=data, instance=region)
    assert not form.is_valid() and "Mars/Olympus" in form.errors["time_zone"][0]
    assert admin_user.is_superuser


def test_it_renders_a_pages_dates_in_the_users_region_zone(persona, login):
    user = persona("alga_prosecutor")
    assert user_zone(user) == AQTOBE
    report = set_state(new_report(), deadline_at=datetime(2024, 1, 15, 18, 30, tzinfo=ZoneInfo("UTC")))
    client = login("alga_prosecutor")
    page = client.get(f"/signals/{report.reference}/").content.decode()
    assert "2024, 23:30" in page and "2024, 00:30" not in page  # UTC+5 in Aqtobe
    region = aktobe()
    region.time_zone = "Asia/Almaty"
    region.save(update_fields=["time_zone"])
    page = client.get(f"/signals/{report.reference}/").content.decode()
    assert "2024, 00:30" in page and "2024, 23:30" not in page  # UTC+6 then
    assert timezone.get_current_timezone_name() != "Asia/Almaty"  # restored after the request


def test_it_reads_a_time_typed_without_an_offset_in_the_reports_region_zone():
    region = aktobe()
    region.time_zone = "Europe/Moscow"  # another zone than the installation's (UTC+3, not +5)
    region.save(update_fields=["time_zone"])
    report = services.report_submit(
        actor=None,
        category="public-order",
        description="Fights near the shop every night.",
        channel="web",
        district=District.objects.filter(region=region).first(),
        address="Main street 1",
        attributes={"occurred_at": "2025-10-01T00:30"},
    ).report
    assert datetime.fromisoformat(report.attributes["occurred_at"]) == datetime(
        2025, 10, 1, 0, 30, tzinfo=ZoneInfo("Europe/Moscow")
    )
