"""The press releases in the real browser: the press officer opens a published summary, writes the
region's and every district-level office's releases in one click, edits one, approves it and
downloads the archive of them all."""

import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import make_persona
from reporting import services
from reporting.models import PressRelease
from reporting.tests import facts
from reporting.tests.facts import ALGA, TEMIR, local
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(reference_data):
    for day in (3, 4, 5):
        facts.submit(local(2025, 3, day), kato=ALGA)
    facts.submit(local(2025, 5, 6), kato=TEMIR)
    version = services.summary_start(
        actor=make_persona("analyst"),
        title="Итоги 9 месяцев 2025 года",
        region=None,
        katos=[],
        start=date(2025, 1, 1),
        end=date(2025, 9, 30),
    )
    approver = make_persona("regional_prosecutor")
    version = services.summary_approve(actor=approver, version=version)
    return services.summary_publish(actor=approver, version=version)


def test_the_press_officer_writes_edits_approves_and_downloads_the_press_releases(page, published):
    page.set_default_timeout(60_000)  # writing every office's release takes seconds, more on a busy machine
    officer = make_persona("press_officer")
    log_in(page, officer, confirmed_device(officer))
    page.goto(f"{page.base_url}/reporting/summaries/{published.summary_id}/v{published.number}/")
    page.locator("a[href$='/press/']").first.click()
    page.wait_for_load_state()
    page.locator("form[action$='/press/write/'] button").click()
    page.wait_for_load_state()
    rows = page.locator("table.press-releases tbody tr")
    expect(rows).to_have_count(PressRelease.objects.filter(version=published).count())
    assert rows.count() > 2
    capture(page, "press-releases-list.png")

    alga = PressRelease.objects.get(version=published, office__code="akt-prok-alga")
    page.locator(f"a[href$='/reporting/press/{alga.pk}/']").click()
    page.wait_for_load_state()
    body_en = page.locator("#id_body_en")
    expect(body_en).to_have_value(alga.body_en)
    assert "3 reports came in" in body_en.input_value().replace("\u00a0", " ")
    body_en.fill(body_en.input_value() + "\n\nThe district's prosecutor met the residents.")
    page.locator("form[action$='/text/'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_body_en")).to_have_value(alga.body_en + "\n\nThe district's prosecutor met the residents.")
    page.locator("form[action$='/approve/'] button").click()
    page.wait_for_load_state()
    expect(page.locator("form[action$='/reopen/'] button")).to_be_visible()
    assert PressRelease.objects.get(pk=alga.pk).state == PressRelease.State.APPROVED
    capture(page, "press-release-approved.png")

    page.locator("main .eyebrow a").click()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.get_by_test_id("press-archive").click()
    download = download_info.value
    assert download.suggested_filename == f"press-releases-{published.summary_id}-v{published.number}.zip"
    archive = zipfile.ZipFile(download.path())
    text = archive.read("akt-prok-alga-en.txt").decode()
    assert "The district's prosecutor met the residents." in text
    assert {"akt-prok-region-kk.txt", "akt-prok-temir-ru.docx"} <= set(archive.namelist())
