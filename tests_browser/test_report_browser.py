"""A citizen files a report from a phone: picks a category, describes it, taps the map, attaches a
photo with GPS data, sends it, keeps the tracking link and opens it. The stored photo carries no
EXIF. Screenshots go to var/screenshots/."""

import io

import pytest
from django.core.cache import cache
from PIL import ExifTags, Image
from playwright.sync_api import expect

from signals.models import Category, Report
from tests_browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_with_gps(path) -> str:
    image = Image.new("RGB", (3000, 2000), (40, 110, 170))
    for x in range(0, 3000, 150):  # something to look at in the preview
        image.paste((230, 190, 40), (x, 900, x + 70, 1100))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (49.0, 54.0, 10.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (57.0, 20.0, 5.0),
    }
    image.save(path, format="JPEG", exif=exif, quality=80)
    assert Image.open(path).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return str(path)


def test_it_lets_a_citizen_report_from_a_phone_and_track_it(page, reference_data, screenshots, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    public_order = Category.objects.get(code="public-order")
    page.set_viewport_size(PHONE)

    page.goto(f"{page.base_url}/report/")
    assert page.get_by_role("heading", name="Report an offence").is_visible()
    assert page.get_by_text("What anonymity means here").is_visible()
    page.screenshot(path=str(screenshots / "report-form-phone-empty.png"), full_page=True)

    page.select_option("#id_category", str(public_order.pk))
    page.wait_for_selector("#category-fields .category-info")  # the htmx partial with its description
    assert public_order.description_en[:30] in page.locator("#category-fields").inner_text()
    assert page.locator("#category-fields input[name=attribute_occurred_at]").count() == 1

    description = "A group of young men drink and fight every night next to the bus stop."
    page.fill("#id_description", description)
    assert page.locator(".char-counter").inner_text() == f"{len(description)} / 4000"

    map_element = page.locator("#report-map")
    page.wait_for_selector("#report-map path.leaflet-interactive")
    map_element.scroll_into_view_if_needed()
    box = map_element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#id_latitude").input_value() != ""
    assert page.locator("#id_longitude").input_value() != ""
    assert "Place marked:" in page.locator("#map-point").inner_text()

    page.set_input_files("input[name=photos]", photo_with_gps(tmp_path / "street.jpg"))
    page.wait_for_selector("#photo-previews .photo-previews__item img")
    assert "street.jpg" in page.locator("#photo-previews").inner_text()

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    page.screenshot(path=str(screenshots / "report-form-phone-filled.png"), full_page=True)

    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url("**/report/done/")
    report = Report.objects.get()
    assert page.locator("#reference").inner_text() == report.reference
    tracking_url = page.locator("#tracking-link").input_value()
    assert "/track/" in tracking_url
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    page.screenshot(path=str(screenshots / "report-done-phone.png"), full_page=True)

    # The stored photo: re-encoded, shrunk, and without EXIF (no GPS).
    assert report.channel == Report.Channel.WEB
    assert report.latitude is not None and report.district is not None
    photo = report.photos.get()
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert max(stored.size) <= 2560

    page.goto(tracking_url)
    assert page.get_by_role("heading", name=report.reference).is_visible()
    status = page.locator(".page-heading .status").inner_text()
    assert report.get_status_display().lower() in status.lower()
    assert "The report was received." in page.locator(".timeline").inner_text()
    page.screenshot(path=str(screenshots / "report-tracking-phone.png"), full_page=True)


def test_it_keeps_what_was_typed_when_the_form_comes_back_with_errors(page, reference_data, screenshots):
    cache.clear()
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/report/")
    page.fill("#id_description", "Typed text <script>alert(1)</script>")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_description").input_value() == "Typed text <script>alert(1)</script>"
    assert page.locator("#id_category").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(screenshots / "report-form-phone-errors.png"), full_page=True)


def test_it_shows_the_prosecutor_the_report_list_and_detail(page, reference_data, screenshots, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from accounts.models import District
    from conftest import make_persona
    from signals import services
    from tests_browser.test_staff_browser import confirmed_device, log_in

    alga = District.objects.get(kato="153200000")
    for code, text in (("fraud", "A caller asked for my SMS code."), ("other", "Something nobody routes.")):
        services.report_submit(
            actor=None,
            category=Category.objects.get(code=code),
            description=text,
            channel=Report.Channel.WEB,
            district=alga,
            contact={"name": "Aigerim Reporter", "phone": "+77010000000", "email": ""},
        )
    prosecutor = make_persona("alga_prosecutor")
    log_in(page, prosecutor, confirmed_device(prosecutor))
    page.goto(f"{page.base_url}/signals/")
    assert page.locator("table tbody tr").count() == 2
    page.screenshot(path=str(screenshots / "reports-list-prosecutor.png"), full_page=True)
    page.select_option("#filter-category", str(Category.objects.get(code="fraud").pk))
    expect(page.locator("#report-results tbody tr")).to_have_count(1)

    reference = Report.objects.get(category__code="fraud").reference
    page.get_by_role("link", name=reference).click()
    page.wait_for_load_state()
    assert page.get_by_text("Aigerim Reporter").is_visible()
    assert page.get_by_role("heading", name="Re-route").is_visible()
    page.screenshot(path=str(screenshots / "report-detail-prosecutor.png"), full_page=True)
