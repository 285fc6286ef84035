"""Crime statistics in the real browser: the analyst uploads a file of registered offences with
its period, watches the reading end (polled by htmx) with its refused rows listed, and opens the
CompStat view, whose counts link to their rows."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from supervision.models import CrimeImport
from supervision.tasks import read_crime_import
from supervision.tests.test_crime_import import ALGA, TEMIR, as_csv
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "crime_imports": {"BACKEND": "lib.storages.PrivateFileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def run_the_worker(import_id: int) -> None:
    try:
        read_crime_import.call(import_id)
    finally:
        connection.close()


def test_the_analyst_imports_offences_and_reads_compstat(page, reference_data, tmp_path):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    yesterday = timezone.localdate() - timedelta(days=1)
    day = f"{yesterday:%d.%m.%Y}"
    path = tmp_path / "crimes.csv"
    path.write_bytes(
        as_csv(
            [
                [day, ALGA, "190", "2", "средней тяжести", "нет", "нет"],
                [day, ALGA, "188", "1", "тяжкое", "да", "нет"],
                [day, TEMIR, "190", "2", "средней тяжести", "нет", "нет"],
                [day, "999999999", "190", "2", "средней тяжести", "нет", "нет"],
            ]
        )
    )
    page.goto(f"{page.base_url}/supervision/crime/compstat/")
    page.get_by_role("link", name="Crime statistics").click()
    page.get_by_role("link", name="Import a file").click()
    page.fill("#id_period_start", f"{yesterday.replace(day=1):%Y-%m-%d}")
    page.fill("#id_period_end", f"{yesterday:%Y-%m-%d}")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    expect(page.locator("progress#crime-import-bar")).to_be_visible()

    worker = threading.Thread(target=run_the_worker, args=(CrimeImport.objects.get().pk,))
    worker.start()
    worker.join(timeout=60)
    expect(page.locator("#crime-import-progress h2")).to_have_text("Imported", timeout=10_000)  # htmx polled it
    expect(page.locator("#rows-ok")).to_have_text("3")
    expect(page.locator("#crime-import-problems")).to_contain_text("No district of the region has the KATO code")
    capture(page, "crime-import.png")

    page.goto(f"{page.base_url}/supervision/crime/compstat/")
    table = page.locator("table.compstat-table")
    expect(table).to_contain_text("Alga")
    capture(page, "compstat.png")
