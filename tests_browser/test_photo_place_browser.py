"""The public report form reads a photo's GPS position in the browser, before the photo is shrunk
and sent, and offers it as the report's place: the reporter confirms, and the point is set. The
stored photo still carries no position. A photo without one offers nothing; a photo still over
the size cap once prepared is refused in the browser, with the limit, before anything is sent."""

import io
import random

import pytest
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from PIL import ExifTags, Image
from playwright.sync_api import expect

from signals.models import Category, Report
from signals.tests.test_photos import jpeg_with_gps
from tests_browser.conftest import DESKTOP, PHONE, ConsoleWatch, capture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# jpeg_with_gps: 49° 54' 10" N, 57° 20' 5" E.
LATITUDE, LONGITUDE = "49.902778", "57.334722"
OFFER = {
    "kk": ("қолдану", "Фотосурет тым үлкен"),
    "ru": ("Использовать", "Фотография слишком большая"),
}


@pytest.fixture
def form_page(chromium, live_server):
    """form_page(language, size) -> the public report form in a browser asking for that language."""
    contexts = []

    def _open(language, size):
        context = chromium.new_context(viewport=size, locale=f"{language}-KZ")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.console_watch = ConsoleWatch()
        page.on("console", page.console_watch)
        page.goto(f"{live_server.url}/report/")
        assert page.locator("html").get_attribute("lang") == language
        page.wait_for_selector("#report-map path.leaflet-interactive")
        return page

    yield _open
    for context in contexts:
        assert context.pages[0].console_watch.csp_violations == []
        context.close()


def photo_file(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": content}


def jpeg_without_gps() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 30)).save(output, format="JPEG")
    return output.getvalue()


def noisy_jpeg() -> bytes:
    """A photo that stays large once the browser has shrunk it (noise does not compress)."""
    noise = random.Random(11).randbytes(1200 * 900 * 3)
    output = io.BytesIO()
    Image.frombytes("RGB", (1200, 900), noise).save(output, format="JPEG", quality=95)
    return output.getvalue()


@pytest.mark.parametrize(("language", "size"), [("kk", PHONE), ("ru", DESKTOP)], ids=["kk-phone", "ru-desktop"])
def test_it_offers_the_photos_position_as_the_place_and_strips_it(
    form_page, reference_data, settings, tmp_path, language, size
):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    page = form_page(language, size)
    page.set_input_files("input[name=photos]", photo_file("street.jpg", jpeg_with_gps()))
    page.wait_for_selector("#photo-place:not([hidden])")
    offer = page.locator("#photo-place").inner_text()
    assert "street.jpg" in offer and f"{LATITUDE}, {LONGITUDE}" in offer
    assert OFFER[language][0].lower() in offer.lower()
    assert page.locator("#id_latitude").input_value() == ""  # nothing set before the reporter agrees
    capture(page, f"photo-place-offer-{language}.png")

    page.locator("#photo-place").get_by_role("button").click()
    assert page.locator("#id_latitude").input_value() == LATITUDE
    assert page.locator("#id_longitude").input_value() == LONGITUDE
    assert LATITUDE in page.locator("#map-point").inner_text()
    assert page.locator("#photo-place").is_hidden()
    assert page.locator("#report-map path.leaflet-interactive").count() > 1  # the marker with the shapes

    page.select_option("#id_category", str(Category.objects.get(code="public-order").pk))
    page.fill("#id_description", "Young men drink and fight every night next to the bus stop.")
    page.locator("#report-form .report-submit button[type=submit]").click()
    page.wait_for_url("**/report/done/")
    report = Report.objects.get()
    assert (f"{report.latitude:.6f}", f"{report.longitude:.6f}") == (LATITUDE, LONGITUDE)
    with report.photos.get().image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {} and len(stored.getexif()) == 0


def test_it_offers_nothing_for_a_photo_without_a_position(form_page, reference_data):
    page = form_page("ru", PHONE)
    page.set_input_files("input[name=photos]", photo_file("plain.jpg", jpeg_without_gps()))
    page.wait_for_selector("#photo-previews .photo-previews__item")
    assert page.locator("#photo-place").is_hidden()
    assert page.locator("#id_latitude").input_value() == ""


@pytest.mark.parametrize(("language", "size"), [("kk", PHONE), ("ru", DESKTOP)], ids=["kk-phone", "ru-desktop"])
def test_it_refuses_a_photo_over_the_cap_before_sending_it(form_page, reference_data, settings, language, size):
    settings.REPORT_PHOTO_MAX_BYTES = 50_000
    page = form_page(language, size)
    page.set_input_files(
        "input[name=photos]", [photo_file("huge.jpg", noisy_jpeg()), photo_file("small.jpg", jpeg_without_gps())]
    )
    message = page.locator("#photo-previews .photo-previews__message")
    expect(message).to_contain_text("huge.jpg")  # once the photos are prepared
    with translation.override(language):
        limit = filesizeformat(50_000)
    assert "huge.jpg" in message.inner_text() and OFFER[language][1] in message.inner_text()
    assert limit in message.inner_text()
    assert page.evaluate("document.querySelector('input[name=photos]').files.length") == 1  # small.jpg is kept
    assert "small.jpg" in page.locator("#photo-previews").inner_text()
    capture(page, f"photo-too-large-{language}.png")
