"""Social facilities built from returned assets: recorded with their source, their progress (a
facility completed without a date refused), photos without metadata served to readers only; the
stocks as of a date; the pages, the map, and who may see and change what."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reporting.figures import Request, compute
from reporting.tests import facts
from supervision.business_metrics import FACILITIES
from supervision.models import FacilityEvent, FacilityPhoto, SocialFacility
from supervision.services import act_letter, facility_photo_add, facility_progress

from .factories import TEMIR, office, record
from .records import MUGALZHAR, district, new_facility

pytestmark = pytest.mark.django_db

Status = SocialFacility.Status
Kind = FacilityEvent.Kind


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Pages are served in the deployment's language when the browser names none: English here."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def figure(code: str, *, start=date(2025, 1, 1), end=date(2025, 9, 30), as_of=date(2025, 10, 16)):
    summary = compute(Request.make(region=facts.region(), start=start, end=end, as_of=as_of), only=code)
    return summary.figure(code)


def photo_upload(name="site.jpg") -> SimpleUploadedFile:
    """A JPEG carrying EXIF (the camera's maker) that must not survive."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def progress(actor, facility, status, percent, on, completed_on=None, now=None):
    return facility_progress(
        actor=actor,
        facility=facility,
        status=status,
        percent_done=percent,
        on=on,
        completed_on=completed_on,
        now=now,
    )


# --- services ----------------------------------------------------------------------------------


def test_it_records_a_facility_with_its_source_and_event(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor)
    facility = new_facility(
        prosecutor, act=act, latitude="49.9", longitude="57.33", planned_completion=date(2025, 12, 1)
    )
    facility.refresh_from_db()
    assert facility.source_act == act and facility.source_case is None
    assert facility.office == office("akt-prok-alga") and facility.district == district()
    assert (facility.status, facility.percent_done) == (Status.PLANNED, 0)
    assert facility.latitude == Decimal("49.900000")
    event = facility.events.get()
    assert (event.kind, event.status, event.percent_done, event.on) == (
        Kind.RECORDED,
        Status.PLANNED,
        0,
        date(2025, 3, 1),
    )


def test_it_refuses_a_facility_without_a_source_or_with_bad_fields(persona):
    prosecutor = persona("alga_prosecutor")
    other_act = record(persona("temir_prosecutor"), addressee=office("akt-police-temir"))
    with pytest.raises(ValidationError) as refused:
        new_facility(
            prosecutor,
            act=other_act,  # of the region, but not one the Alga prosecutor reads
            kato=TEMIR,
            type="castle",
            amount="lots",
            latitude="91",
            longitude="57",
            planned_start=date(2025, 6, 1),
            planned_completion=date(2025, 5, 1),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"source_act", "district", "type", "amount", "latitude", "planned_completion"}
    with pytest.raises(ValidationError) as refused:
        new_facility(prosecutor, act=None, source_act=None)
    assert "Name the case or the act" in refused.value.message_dict["source_act"][0]
    with pytest.raises(ValidationError) as refused:
        new_facility(prosecutor, latitude="40.0", longitude="20.0")  # far outside the region
    assert refused.value.message_dict["latitude"] == ["The point lies outside the region: check the coordinates."]
    with pytest.raises(ValidationError):
        new_facility(prosecutor, latitude="50.1", longitude=None)
    assert not SocialFacility.objects.exists()


def test_it_lets_only_a_prosecutor_of_the_office_record_and_change(persona):
    with pytest.raises(PermissionDenied):
        new_facility(persona("analyst"), act=record(persona("alga_prosecutor")), office=office("akt-prok-region"))
    facility = new_facility(persona("alga_prosecutor"))
    for username in ("temir_prosecutor", "regional_prosecutor", "department_prosecutor", "analyst", "alga_officer"):
        with pytest.raises(PermissionDenied):
            progress(persona(username), facility, Status.BUILDING, 10, date(2025, 4, 1))
        with pytest.raises(PermissionDenied):
            facility_photo_add(actor=persona(username), facility=facility, upload=photo_upload())
    # The regional office records in any district of its region (the acts it reads as a source).
    regional = new_facility(persona("department_prosecutor"), kato=MUGALZHAR, act=record(persona("alga_prosecutor")))
    assert regional.office == office("akt-prok-region")


def test_it_records_progress_and_refuses_a_facility_completed_without_a_date(persona):
    prosecutor = persona("alga_prosecutor")
    facility = new_facility(prosecutor)
    progress(prosecutor, facility, Status.BUILDING, 30, date(2025, 4, 10))
    facility.refresh_from_db()
    assert (facility.status, facility.percent_done, facility.started_on) == (Status.BUILDING, 30, date(2025, 4, 10))
    with pytest.raises(ValidationError) as refused:
        progress(prosecutor, facility, Status.COMPLETED, 100, date(2025, 9, 1))
    assert refused.value.message_dict == {
        "completed_on": ["A facility completed without a date: enter the date of completion."]
    }
    with pytest.raises(ValidationError) as refused:
        progress(prosecutor, facility, Status.COMPLETED, 90, date(2025, 9, 1), completed_on=date(2025, 9, 1))
    assert refused.value.message_dict == {"percent_done": ["A completed facility is 100 % done."]}
    for bad in (
        (Status.BUILDING, 101, date(2025, 5, 1)),
        (Status.BUILDING, 20, date(2025, 5, 1)),  # less than before
        (Status.BUILDING, 50, date(2025, 4, 9)),  # before the latest change
        (Status.PLANNED, 0, date(2025, 5, 1)),
        (Status.BUILDING, 50, timezone.localdate() + timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            progress(prosecutor, facility, *bad)
    with pytest.raises(ValidationError):  # completed after the change's own date
        progress(prosecutor, facility, Status.COMPLETED, 100, date(2025, 9, 1), completed_on=date(2025, 9, 2))
    event = progress(prosecutor, facility, Status.COMPLETED, 100, date(2025, 9, 2), completed_on=date(2025, 9, 1))
    facility.refresh_from_db()
    assert (facility.status, facility.completed_on, event.kind) == (Status.COMPLETED, date(2025, 9, 1), Kind.COMPLETED)
    with pytest.raises(ValidationError, match="completed"):
        progress(prosecutor, facility, Status.BUILDING, 100, date(2025, 9, 3))
    assert facility.events.count() == 3


def test_it_keeps_a_photo_without_its_metadata_and_refuses_what_is_not_one(persona):
    prosecutor = persona("alga_prosecutor")
    facility = new_facility(prosecutor)
    photo = facility_photo_add(actor=prosecutor, facility=facility, upload=photo_upload(), taken_on=date(2025, 5, 1))
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert photo.uploaded_by == prosecutor and photo.taken_on == date(2025, 5, 1)
    with pytest.raises(ValidationError) as refused:
        facility_photo_add(
            actor=prosecutor, facility=facility, upload=SimpleUploadedFile("x.jpg", b"not an image at all")
        )
    assert "not a photo we can read" in refused.value.message_dict["image"][0]
    assert FacilityPhoto.objects.count() == 1


# --- the stocks ----------------------------------------------------------------------------------


def test_it_counts_the_facilities_and_the_completed_ones_as_of_the_date(persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor)
    with facts.clock(facts.local(2025, 12, 20)):
        done = new_facility(prosecutor, act=act, name="Done", amount="100", now=facts.local(2025, 3, 1))
        november = new_facility(prosecutor, act=act, name="November", amount="200", now=facts.local(2025, 3, 1))
        late_entry = new_facility(prosecutor, act=act, name="Late entry", amount="300", now=facts.local(2025, 3, 1))
        after = new_facility(
            prosecutor, act=act, name="After", on=date(2025, 10, 20), amount="400", now=facts.local(2025, 10, 20)
        )
        for facility in (done, november, late_entry):
            progress(prosecutor, facility, Status.BUILDING, 40, date(2025, 5, 1), now=facts.local(2025, 5, 1))
        progress(
            prosecutor, done, Status.COMPLETED, 100, date(2025, 9, 1), date(2025, 9, 1), now=facts.local(2025, 9, 2)
        )
        progress(
            prosecutor,
            november,
            Status.COMPLETED,
            100,
            date(2025, 11, 5),
            date(2025, 11, 5),
            now=facts.local(2025, 11, 5),
        )
        # Completed on 10 October, but entered on 17 October: not completed as of 16 October.
        progress(
            prosecutor,
            late_entry,
            Status.COMPLETED,
            100,
            date(2025, 10, 10),
            date(2025, 10, 10),
            now=facts.local(2025, 10, 17, 10),
        )
    assert after.pk
    nine_months = figure("returned_assets.facilities")
    assert nine_months.value == 3
    assert {part.key: part.value for part in nine_months.by["facility_status"]} == {"building": 2, "completed": 1}
    assert figure("returned_assets.facilities_completed").value == 1
    assert figure("returned_assets.facilities_amount").value == Decimal("600")
    assert figure("returned_assets.facilities_completed", as_of=date(2025, 10, 17)).value == 2
    year = {"end": date(2025, 12, 31), "as_of": date(2025, 12, 20)}
    assert figure("returned_assets.facilities", **year).value == 4
    assert figure("returned_assets.facilities_completed", **year).value == 3
    # The base year had none: a stock with no rows then.
    assert figure("returned_assets.facilities").base in (0, None)


def test_it_describes_the_facilities_behind_a_figure_with_links(persona):
    facility = new_facility(persona("alga_prosecutor"), name="Школа")
    rows = FACILITIES.describe_rows(FacilityEvent.objects.filter(facility=facility))
    assert rows == [
        {
            "link": reverse("supervision:facility_detail", args=[facility.pk]),
            "name": "Школа",
            "type": "sports facility",
            "district": district().name,
            "status": "planned",
            "percent": 0,
            "date": "2025-03-01",
        }
    ]


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "read", "write"),
    [
        ("alga_prosecutor", 200, 302),
        ("temir_prosecutor", 404, 403),
        ("department_prosecutor", 200, 403),
        ("regional_prosecutor", 200, 403),
        ("analyst", 200, 403),
        ("board_secretary", 200, 403),
        ("alga_officer", 403, 403),
        ("citizen", 403, 403),
        ("bank_partner", 403, 403),
        ("administrator", 200, 302),
    ],
)
def test_every_persona_reads_and_changes_only_what_it_may(login, persona, username, read, write):
    prosecutor = persona("alga_prosecutor")
    facility = new_facility(prosecutor)
    photo = facility_photo_add(actor=prosecutor, facility=facility, upload=photo_upload())
    client = login(username)
    lists = 403 if read == 403 else 200
    assert client.get(reverse("supervision:facilities")).status_code == lists
    assert client.get(reverse("supervision:facility_map")).status_code == lists
    assert client.get(reverse("supervision:facility_detail", args=[facility.pk])).status_code == read
    assert client.get(reverse("supervision:facility_photo", args=[facility.pk, photo.pk])).status_code == read
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("supervision:facility_progress", args=[facility.pk]),
        {"progress-status": Status.BUILDING, "progress-percent_done": "15", "progress-on": today},
    )
    assert response.status_code == write
    response = client.post(
        reverse("supervision:facility_photo_add", args=[facility.pk]), {"photo-image": photo_upload()}
    )
    assert response.status_code == write
    facility.refresh_from_db()
    assert facility.percent_done == (15 if write == 302 else 0)
    assert facility.photos.count() == (2 if write == 302 else 1)


def test_the_progress_form_says_why_a_completion_without_a_date_is_refused(login, persona):
    facility = new_facility(persona("alga_prosecutor"))
    client = login("alga_prosecutor")
    response = client.post(
        reverse("supervision:facility_progress", args=[facility.pk]),
        {"progress-status": Status.COMPLETED, "progress-percent_done": "100", "progress-on": "2025-09-01"},
    )
    assert response.status_code == 200
    assert "A facility completed without a date: enter the date of completion." in response.content.decode()
    facility.refresh_from_db()
    assert facility.status == Status.PLANNED and facility.events.count() == 1
    response = client.post(
        reverse("supervision:facility_photo_add", args=[facility.pk]),
        {"photo-image": SimpleUploadedFile("x.jpg", b"text")},
    )
    assert response.status_code == 200 and "not a photo we can read" in response.content.decode()


def test_a_prosecutor_records_a_facility_from_the_page(login, persona):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor)
    client = login("alga_prosecutor")
    url = reverse("supervision:facility_new")
    assert client.get(url).status_code == 200
    assert login("analyst").get(url).status_code == 403
    values = {"name": "Детский сад", "type": "kindergarten", "district": district().pk, "amount": "90000000"}
    response = client.post(url, {**values, "on": "2025-04-01"})
    assert response.status_code == 200 and "Name the case or the act" in response.content.decode()
    other = act_letter(
        act=record(persona("temir_prosecutor"), addressee=office("akt-police-temir")), actor=persona("temir_prosecutor")
    )
    response = client.post(url, {**values, "on": "2025-04-01", "source_act": other.outgoing_number})
    assert "No act with this outgoing number within your remit." in response.content.decode()
    act = act_letter(act=act, actor=prosecutor)
    response = client.post(
        url, {**values, "on": "2025-04-01", "source_act": act.outgoing_number, "latitude": "49.9", "longitude": "57.3"}
    )
    facility = SocialFacility.objects.get()
    assert response.status_code == 302 and facility.source_act == act


def test_the_map_carries_the_facilities_of_the_reader_s_scope_coloured_by_status(login, persona):
    alga = new_facility(persona("alga_prosecutor"), name="Alga school", latitude="49.9", longitude="57.33")
    progress(persona("alga_prosecutor"), alga, Status.BUILDING, 50, date(2025, 4, 1))
    new_facility(
        persona("temir_prosecutor"),
        name="Temir park",
        kato=TEMIR,
        act=record(persona("temir_prosecutor"), addressee=office("akt-police-temir")),
    )
    page = login("alga_prosecutor").get(reverse("supervision:facility_map")).content.decode()
    assert "Alga school" in page and "Temir park" not in page
    assert "js/facility-map.js" in page and "vendor/leaflet/leaflet.js" in page and "unpkg" not in page
    region_wide = login("analyst").get(reverse("supervision:facility_map"))
    points = json.loads(region_wide.context["points"])
    assert {point["status"] for point in points} == {"building", "planned"}
    temir_point = next(point for point in points if point["label"].startswith("Temir park"))
    assert temir_point["approximate"] is True  # no point of its own: its district's centre
    only_building = login("analyst").get(reverse("supervision:facility_map"), {"status": "building"})
    assert [point["label"].split(" · ")[0] for point in json.loads(only_building.context["points"])] == ["Alga school"]


def test_the_list_takes_a_fixed_number_of_queries(login, persona, django_assert_max_num_queries):
    prosecutor = persona("alga_prosecutor")
    act = record(prosecutor)
    for number in range(8):
        new_facility(prosecutor, act=act, name=f"Facility {number}", latitude="49.9", longitude="57.3")
    client = login("analyst")
    for name in ("supervision:facilities", "supervision:facility_map"):
        client.get(reverse(name))
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_the_summary_sentences_are_well_formed_in_every_language():
    from reporting.sentences import problems
    from supervision.business_metrics import PROBLEMS, PROJECTS, SENTENCES

    codes = {metric.code for group in (PROJECTS, PROBLEMS, FACILITIES) for metric in group.metrics}
    for sentence in SENTENCES:
        for language in ("kk", "ru", "en"):
            assert problems(getattr(sentence, language), language, codes) == [], (sentence.code, language)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("alga_prosecutor", 200),
        ("temir_prosecutor", 200),
        ("department_prosecutor", 200),
        ("regional_prosecutor", 200),
        ("administrator", 200),
        ("analyst", 403),
        ("board_secretary", 403),
        ("alga_officer", 403),
        ("citizen", 403),
        ("bank_partner", 403),
    ],
)
def test_the_new_facility_page_is_a_prosecutor_s_of_an_office(login, username, status):
    assert login(username).get(reverse("supervision:facility_new")).status_code == status


def test_an_anonymous_visitor_sees_no_facility_and_no_photo(client, persona):
    prosecutor = persona("alga_prosecutor")
    facility = new_facility(prosecutor)
    photo = facility_photo_add(actor=prosecutor, facility=facility, upload=photo_upload())
    for url in (
        reverse("supervision:facilities"),
        reverse("supervision:facility_map"),
        reverse("supervision:facility_detail", args=[facility.pk]),
        reverse("supervision:facility_photo", args=[facility.pk, photo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
