"""A bank's notice in the real browser: the analyst uploads a CSV, maps its columns over the
preview, and watches the progress bar reach the end (polled by htmx) with the invalid rows listed."""

import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from accounts.models import Organisation
from conftest import make_persona
from registry.models import Notice, Sighting
from registry.tasks import read_notice
from registry.tests.test_notices import as_csv, table
from tests_browser.conftest import capture
from tests_browser.test_staff_browser import confirmed_device, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _notices_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "notices": {"BACKEND": "lib.storages.PrivateFileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def run_the_worker(notice_id: int) -> None:
    """What `db_worker` does with the enqueued reading, in a thread beside the live server."""
    try:
        for row in DBTaskResult.objects.filter(task_path="registry.tasks.read_notice"):
            if row.args_kwargs["args"] == [notice_id]:
                read_notice.call(notice_id)
    finally:
        connection.close()


def test_the_analyst_uploads_a_notice_maps_its_columns_and_sees_it_read(page, reference_data, tmp_path):
    analyst = make_persona("analyst")
    log_in(page, analyst, confirmed_device(analyst))
    page.goto(f"{page.base_url}/registry/")
    page.get_by_role("link", name="Banks' notices").click()
    page.get_by_role("link", name="Upload a notice").click()
    path = tmp_path / "notice.csv"
    path.write_bytes(as_csv(table(12, bad={3, 7}), delimiter=";", encoding="cp1251"))
    page.select_option("#id_organisation", str(Organisation.objects.get(code="bank-halyk").pk))
    page.fill("#id_number", "17-05/123")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()

    expect(page.locator("h1")).to_contain_text("Map the notice's columns")
    expect(page.locator("table.notice-preview")).to_contain_text("ИИК / IBAN")
    expect(page.get_by_label("Сумма")).to_have_value("amount")
    page.get_by_label("Примечание").select_option("")  # the note ignored
    capture(page, "notice-columns.png")
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state()
    notice = Notice.objects.get()
    assert notice.status == "reading" and notice.mapping[-1] == ""
    expect(page.locator("progress#notice-bar")).to_be_visible()

    worker = threading.Thread(target=run_the_worker, args=(notice.pk,))
    worker.start()
    worker.join(timeout=60)
    expect(page.locator("#notice-progress h2")).to_have_text("Read", timeout=10_000)  # htmx polled it
    expect(page.locator("progress#notice-bar")).to_have_attribute("value", "100")
    expect(page.locator("#rows-ok")).to_have_text("10")
    expect(page.locator("#rows-failed")).to_have_text("2")
    errors = page.locator("#notice-errors")
    expect(errors).to_contain_text("not a valid IBAN")
    expect(errors.locator("tbody tr")).to_have_count(2)
    capture(page, "notice-read.png")
    assert not Sighting.objects.exclude(note="").exists()  # the note column was ignored
