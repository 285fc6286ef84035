"""The CompStat table of the crime statistics: the four windows ending on the "as of" day and their
bases a year earlier, read as of the end of that day and of the same day a year before; the small-base
flag (3 -> 5 raises no alarm, 30 -> 60 does); a district prosecutor's scope; who may read the page;
its links to the rows behind each count; and a page that stays a few queries."""

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import District, Organisation
from accounts.zones import local_today
from lib.change import a_year_earlier
from supervision.compstat import CRIMES, FALL, MISDEMEANOURS, NORMAL, RISE, UNKNOWN, crime_compstat, windows
from supervision.models import CrimeImport, CrimeRecord, Gravity

pytestmark = pytest.mark.django_db

ALGA, TEMIR, CITY, CITY_ALMATY = "153200000", "155600000", "151010000", "151013100"
AQTOBE = ZoneInfo("Asia/Aqtobe")  # the region's zone (UTC+5)
D = date(2025, 6, 15)  # the "as of" day of most tests
BASE_D = date(2024, 6, 15)
LONG_AGO = datetime(2023, 1, 1, tzinfo=AQTOBE)  # recorded before every "as of" moment here
URL = reverse("supervision:compstat")


def region():
    return Organisation.objects.get(code="akt-prok-region").region


def end_of(day: date) -> datetime:
    """The last moment of a local day in the region (what the table reads "as of")."""
    return datetime.combine(day + timedelta(days=1), time.min, AQTOBE) - timedelta(microseconds=1)


def crimes(day: date, count: int = 1, *, kato=ALGA, gravity=Gravity.GRAVE, recorded_at=LONG_AGO, replaced_at=None):
    """`count` offences registered on `day`, as an import done at `recorded_at` gave them."""
    the_region = region()
    crime_import = CrimeImport.objects.create(
        region=the_region,
        period_start=day,
        period_end=day,
        file_name="crimes.csv",
        file_type="csv",
        status=CrimeImport.Status.DONE,
        uploaded_at=recorded_at,
        done_at=recorded_at,
    )
    district = District.objects.get(kato=kato)
    CrimeRecord.objects.bulk_create(
        CrimeRecord(
            region=the_region,
            district=district,
            registered_on=day,
            article="188",
            part="1",
            gravity=gravity,
            crime_import=crime_import,
            row=row,
            recorded_at=recorded_at,
            replaced_at=replaced_at,
        )
        for row in range(1, count + 1)
    )


def line(unit, key="crimes"):
    return next(item for item in unit.lines if item.key == key)


def counts(unit, key="crimes") -> dict:
    """{window key: (current, base)} of one line."""
    return {cell.window.key: (cell.current, cell.base) for cell in line(unit, key).cells}


def district_unit(table, kato):
    return next(unit for unit in table.districts if unit.district.kato == kato)


# --- the windows ---------------------------------------------------------------------------------


def test_it_ends_the_four_windows_on_the_day_and_takes_the_same_dates_a_year_earlier():
    spans = {window.key: window for window in windows(D)}
    assert (spans["7d"].start, spans["7d"].end, spans["7d"].days) == (date(2025, 6, 9), D, 7)
    assert (spans["28d"].start, spans["28d"].days) == (date(2025, 5, 19), 28)
    assert spans["ytd"].start == date(2025, 1, 1)
    assert (spans["365d"].start, spans["365d"].days) == (date(2024, 6, 16), 365)
    assert (spans["7d"].base_start, spans["7d"].base_end) == (date(2024, 6, 9), BASE_D)
    assert (spans["ytd"].base_start, spans["ytd"].base_end) == (date(2024, 1, 1), BASE_D)
    assert a_year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)


def test_it_counts_a_row_on_the_first_day_of_a_window_and_not_the_day_before():
    crimes(D - timedelta(days=6))  # the 7 days' first day
    crimes(D - timedelta(days=7), 2)  # the day before: in the 28 days only
    crimes(D - timedelta(days=27), 4)  # the 28 days' first day
    crimes(D - timedelta(days=28), 8)  # outside the 28 days
    crimes(date(2025, 1, 1), 16)  # the year's first day
    crimes(date(2024, 12, 31), 32)  # last year: in the 365 days only
    crimes(D - timedelta(days=364), 64)  # the 365 days' first day
    crimes(D, 128)  # the day itself
    crimes(D + timedelta(days=1), 256)  # after it: nowhere
    total = crime_compstat(region(), as_of=D).total
    assert {key: current for key, (current, _base) in counts(total).items()} == {
        "7d": 1 + 128,
        "28d": 1 + 2 + 4 + 128,
        "ytd": 1 + 2 + 4 + 8 + 16 + 128,
        "365d": 1 + 2 + 4 + 8 + 16 + 32 + 64 + 128,
    }


def test_it_compares_with_the_same_windows_a_year_earlier():
    crimes(BASE_D, 1)  # the base's last day: in every base
    crimes(BASE_D - timedelta(days=6), 2)  # the base 7 days' first day
    crimes(BASE_D - timedelta(days=7), 4)  # before it: in the base 28 days
    crimes(date(2024, 1, 1), 8)  # the base year's first day
    crimes(date(2023, 12, 31), 16)  # in the base 365 days only
    crimes(date(2023, 6, 15), 32)  # a day before the base 365 days (D - 365 days - 365 days)
    crimes(date(2024, 6, 16), 64)  # the day after the base: the current 365 days' first
    total = crime_compstat(region(), as_of=D).total
    assert counts(total) == {
        "7d": (0, 1 + 2),
        "28d": (0, 1 + 2 + 4),
        "ytd": (0, 1 + 2 + 4 + 8),
        "365d": (64, 1 + 2 + 4 + 8 + 16),
    }


# --- as of the day -------------------------------------------------------------------------------


def test_it_counts_the_rows_standing_at_the_end_of_the_day():
    day = D - timedelta(days=2)
    crimes(day, 1, recorded_at=end_of(D))  # imported in the day's last moment: counted
    crimes(day, 2, recorded_at=end_of(D) + timedelta(microseconds=1))  # the next local midnight: not yet
    crimes(day, 4, recorded_at=LONG_AGO, replaced_at=end_of(D))  # replaced by the day's end: gone
    crimes(day, 8, recorded_at=LONG_AGO, replaced_at=end_of(D) + timedelta(microseconds=1))  # replaced later
    assert counts(crime_compstat(region(), as_of=D).total)["7d"] == (1 + 8, 0)
    # The next day, the later import counts and the replaced rows are gone.
    assert counts(crime_compstat(region(), as_of=D + timedelta(days=1)).total)["7d"] == (1 + 2, 0)


def test_it_reads_the_base_as_of_the_same_day_a_year_earlier():
    day = BASE_D - timedelta(days=1)
    crimes(day, 1, recorded_at=end_of(BASE_D))  # known that day
    crimes(day, 2, recorded_at=end_of(BASE_D) + timedelta(hours=1))  # imported after it
    crimes(day, 4, replaced_at=datetime(2024, 6, 1, tzinfo=AQTOBE))  # replaced before it
    crimes(day, 8, replaced_at=datetime(2025, 1, 10, tzinfo=AQTOBE))  # replaced since: counted then
    assert counts(crime_compstat(region(), as_of=D).total)["7d"] == (0, 1 + 8)


# --- lines and units -----------------------------------------------------------------------------


def test_it_counts_the_crimes_by_gravity_and_misdemeanours_and_unknown_gravity_apart():
    crimes(D, 1, gravity=Gravity.MINOR)
    crimes(D, 2, gravity=Gravity.MEDIUM)
    crimes(D, 4, gravity=Gravity.GRAVE)
    crimes(D, 8, gravity=Gravity.PARTICULARLY_GRAVE)
    crimes(D, 16, gravity=Gravity.MISDEMEANOUR)
    crimes(D, 32, gravity=None)
    total = crime_compstat(region(), as_of=D).total
    now = {item.key: item.cells[0].current for item in total.lines}
    assert now == {
        CRIMES: 15,
        Gravity.PARTICULARLY_GRAVE: 8,
        Gravity.GRAVE: 4,
        Gravity.MEDIUM: 2,
        Gravity.MINOR: 1,
        MISDEMEANOURS: 16,
        UNKNOWN: 32,
    }
    assert [item.key for item in total.lines][:2] == [CRIMES, Gravity.PARTICULARLY_GRAVE]


def test_it_gives_each_district_its_row_and_a_city_its_city_districts():
    crimes(D, 1, kato=ALGA)
    crimes(D, 2, kato=TEMIR)
    crimes(D, 4, kato=CITY)
    crimes(D, 8, kato=CITY_ALMATY)
    table = crime_compstat(region(), as_of=D)
    assert table.whole_region and len(table.districts) == District.objects.filter(parent=None).count()
    assert counts(district_unit(table, ALGA))["7d"] == (1, 0)
    assert counts(district_unit(table, TEMIR))["7d"] == (2, 0)
    assert counts(district_unit(table, CITY))["7d"] == (4 + 8, 0)
    assert CITY_ALMATY not in {unit.district.kato for unit in table.districts}
    assert counts(table.total)["7d"] == (15, 0)
    # A city district counted alone is a unit of its own.
    alone = crime_compstat(region(), as_of=D, district_ids={District.objects.get(kato=CITY_ALMATY).pk})
    assert [unit.district.kato for unit in alone.districts] == [CITY_ALMATY]
    assert counts(alone.total)["7d"] == (8, 0)


# --- the small-base flag -------------------------------------------------------------------------


def test_it_flags_3_to_5_within_normal_variation_and_30_to_60_as_a_rise():
    crimes(BASE_D, 3, kato=ALGA)
    crimes(D, 5, kato=ALGA)
    crimes(BASE_D, 30, kato=TEMIR)
    crimes(D, 60, kato=TEMIR)
    table = crime_compstat(region(), as_of=D)
    small = line(district_unit(table, ALGA)).cells[0]
    assert (small.current, small.base, str(small.change_percent)) == (5, 3, "66.7")
    assert abs(small.z) < 2 and small.trend == NORMAL and small.within_normal_variation
    large = line(district_unit(table, TEMIR)).cells[0]
    assert (large.current, large.base, str(large.change_percent)) == (60, 30, "100.0")
    assert large.z > 2 and large.trend == RISE and not large.within_normal_variation
    fall = crime_compstat(region(), as_of=D + timedelta(days=7))  # 60 and 5 leave the 7 days: 0 against 0
    assert line(fall.total).cells[0].trend == NORMAL and line(fall.total).cells[0].change_percent is None


def test_it_flags_a_large_fall():
    crimes(BASE_D, 60)
    crimes(D, 30)
    cell = line(crime_compstat(region(), as_of=D).total).cells[0]
    assert str(cell.change_percent) == "-50.0" and cell.trend == FALL


# --- the page ------------------------------------------------------------------------------------


def rows_of(html: str) -> list[str]:
    """The row headings of the table's units (districts and the total)."""
    return [unescape(text) for text in re.findall(r'<th scope="rowgroup" colspan="17">([^<]*)</th>', html)]


def test_it_shows_a_district_prosecutor_their_district_only(login):
    crimes(D, 3, kato=ALGA)
    crimes(D, 7, kato=TEMIR)
    client = login("alga_prosecutor")
    response = client.get(URL, {"as_of": D.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_of(html) == ["All the districts shown", "Alga District"]
    assert "Temir District" not in html
    table = response.context["table"]
    assert counts(table.total)["7d"] == (3, 0)
    assert client.get(URL, {"district": ALGA}).status_code == 200


@pytest.mark.parametrize("kato", [TEMIR, "999999999"])
def test_it_answers_404_for_another_districts_code(login, kato):
    assert login("alga_prosecutor").get(URL, {"district": kato}).status_code == 404


def test_it_lets_a_region_wide_role_choose_districts(login):
    crimes(D, 3, kato=ALGA)
    crimes(D, 7, kato=TEMIR)
    response = login("analyst").get(URL, {"as_of": D.isoformat(), "district": [TEMIR]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert rows_of(response.content.decode()) == ["All the districts shown", "Temir District"]
    assert counts(response.context["table"].total)["7d"] == (7, 0)
    whole = login("regional_prosecutor").get(URL, {"as_of": D.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    assert rows_of(whole.content.decode())[0] == "The region: Aktobe Region"
    assert counts(whole.context["table"].total)["7d"] == (10, 0)


@pytest.mark.parametrize("username", ["alga_officer", "citizen", "bank_partner"])
def test_it_refuses_roles_without_crime_statistics(login, username):
    assert login(username).get(URL).status_code == 403


def test_it_sends_a_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("as_of", ["yesterday", "1991-12-31", "2999-01-01"])
def test_it_refuses_a_day_it_cannot_read(login, as_of):
    response = login("analyst").get(URL, {"as_of": as_of})
    assert response.status_code == 400 and "table" not in response.context


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_it_renders_in_each_language(login, language):
    crimes(D, 3)
    response = login("regional_prosecutor").get(URL, {"as_of": D.isoformat()}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<tbody>") == 1 + District.objects.filter(parent=None).count()
    if language == "en":
        assert "Registered crimes" in html and "within normal variation" in html and "Last 28 days" in html


def test_it_defaults_to_the_regions_today(login):
    response = login("analyst").get(URL)
    assert response.status_code == 200
    table = response.context["table"]
    assert table.as_of == local_today(region())
    assert table.base_as_of == a_year_earlier(table.as_of)


def test_it_links_each_count_to_its_rows(login):
    crimes(D, 3, kato=ALGA, gravity=Gravity.MINOR)
    client = login("alga_prosecutor")
    html = client.get(URL, {"as_of": D.isoformat()}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    found = re.findall(r'<a href="(/reporting/figures/[^"]+)">(\d+)</a>', html)
    links = [(unescape(link), count) for link, count in found]
    figure = reverse("reporting:figure", args=["crime.registered.minor"])
    current = f"{figure}?from=2025-06-09&to=2025-06-15&as_of=2025-06-15&district={ALGA}"
    base = f"{figure}?from=2024-06-09&to=2024-06-15&as_of=2024-06-15&district={ALGA}"
    assert (current, "3") in links and (base, "0") in links
    total = reverse("reporting:figure", args=["crime.registered"])
    assert (f"{total}?from=2025-01-01&to=2025-06-15&as_of=2025-06-15&district={ALGA}", "3") in links
    # The results summary's page behind the link counts the same rows.
    page = client.get(current, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert re.search(r'class="figure-value">3\b', page.content.decode())


def test_it_stays_a_few_queries_whatever_the_districts(login, django_assert_max_num_queries):
    for kato in District.objects.values_list("kato", flat=True):
        for gravity in (Gravity.MINOR, Gravity.GRAVE, Gravity.MISDEMEANOUR, None):
            crimes(D, 2, kato=kato, gravity=gravity)
            crimes(BASE_D, 1, kato=kato, gravity=gravity)
    client = login("regional_prosecutor")
    client.get(URL)  # the session and the per-process caches warmed
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"as_of": D.isoformat()})
    assert response.status_code == 200
    assert counts(response.context["table"].total)["7d"] == (4 * District.objects.count(), 2 * District.objects.count())
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"as_of": D.isoformat(), "district": [ALGA, TEMIR]}).status_code == 200
