"""Crime statistics imported from a file of registered offences: its columns found by their
headers, each row checked, the gravity from the row or the gravity table, the period's earlier
rows replaced (kept for figures as of an earlier day), what changed kept, and bad files refused."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from supervision import services
from supervision.models import ArticleGravity, CrimeImport, CrimeRecord, CrimeStaged, Gravity
from supervision.tasks import crime_import_start, read_crime_import

ALGA, TEMIR = "153200000", "155600000"
HEADER = ["Дата регистрации", "КАТО", "Статья", "Часть", "Категория тяжести", "Раскрыто", "Несовершеннолетним"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "crime_imports": {
            "BACKEND": "lib.storages.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "crime")},
        },
    }


def as_csv(rows, header=HEADER, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def imported(persona, content: bytes, start=date(2025, 1, 1), end=date(2025, 3, 31), username="analyst"):
    """The file uploaded and read, as the upload page and the worker do."""
    crime_import = crime_import_start(
        actor=persona(username),
        upload=SimpleUploadedFile("crimes.csv", content),
        period_start=start,
        period_end=end,
    )
    task = DBTaskResult.objects.filter(task_path="supervision.tasks.read_crime_import").latest("enqueued_at")
    assert task.args_kwargs["args"] == [crime_import.pk]
    read_crime_import.call(crime_import.pk)
    crime_import.refresh_from_db()
    return crime_import


def test_it_imports_each_row_with_its_gravity_from_the_row_or_the_table(persona):
    ArticleGravity.objects.create(article="188", part="1", gravity=Gravity.MINOR, source="test: a source read")
    ArticleGravity.objects.create(article="190", part="", gravity=Gravity.MEDIUM, source="test: a source read")
    crime_import = imported(
        persona,
        as_csv(
            [
                ["15.01.2025", ALGA, "99", "1", "особо тяжкое", "да", "нет"],
                ["2025-02-03", TEMIR, "188", "1", "", "0", "1"],
                ["03.03.2025", ALGA, "190", "3", "", "", ""],
                ["04.03.2025", ALGA, "345", "", "", "нет", ""],
            ]
        ),
    )
    assert crime_import.status == CrimeImport.Status.DONE
    assert (crime_import.rows_read, crime_import.rows_ok, crime_import.rows_failed) == (4, 4, 0)
    assert crime_import.gravity_unknown == 1
    records = {record.article: record for record in CrimeRecord.objects.all()}
    assert records["99"].gravity == Gravity.PARTICULARLY_GRAVE and records["99"].solved
    assert records["188"].gravity == Gravity.MINOR and records["188"].by_minor and not records["188"].solved
    assert records["190"].gravity == Gravity.MEDIUM  # the article's row covers every part
    assert records["345"].gravity is None
    assert records["188"].district.kato == TEMIR
    assert records["99"].recorded_at == crime_import.done_at and records["99"].replaced_at is None
    unknown = crime_import.problems.get()
    assert (unknown.row, unknown.refused) == (5, False) and "345" in unknown.params["article"]
    assert not CrimeStaged.objects.exists()


def test_bad_rows_are_listed_with_the_expected_form_and_the_others_imported(persona):
    crime_import = imported(
        persona,
        as_csv(
            [
                ["15.01.2025", "999999999", "190", "1", "тяжкое", "", ""],
                ["15.01.2025", "Алга", "190", "1", "тяжкое", "", ""],
                ["15.01.2025", ALGA, "ст. сто", "", "тяжкое", "", ""],
                ["31.12.2024", ALGA, "190", "1", "тяжкое", "", ""],
                ["15.01.2025", ALGA, "190", "1", "ужасное", "", ""],
                ["15.01.2025", ALGA, "190", "1", "тяжкое", "может быть", ""],
                ["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""],
            ]
        ),
    )
    assert (crime_import.rows_ok, crime_import.rows_failed) == (1, 6)
    problems = {problem.row: problem for problem in crime_import.problems.all()}
    assert "expected one of its districts' nine-digit codes" in problems[2].message
    assert problems[2].params["code"] == "999999999"
    assert "expected its nine digits" in problems[3].message
    assert "expected its number, as 190 or 232-1" in problems[4].message
    assert "outside the import's period" in problems[5].message
    assert "no gravity category" in problems[6].message
    assert "neither yes nor no" in problems[7].message
    assert problems[2].column == "КАТО"


def test_a_reimport_of_the_period_replaces_it_and_keeps_what_changed(persona):
    first = imported(persona, as_csv([["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""]] * 3))
    second = imported(
        persona,
        as_csv(
            [["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""]] * 2
            + [["16.01.2025", TEMIR, "190", "1", "тяжкое", "", ""]]
        ),
    )
    assert second.replaced == 3
    assert sorted(second.changes, key=lambda change: change["district"]) == [
        {"district": ALGA, "gravity": Gravity.GRAVE, "before": 3, "after": 2},
        {"district": TEMIR, "gravity": Gravity.GRAVE, "before": 0, "after": 1},
    ]
    assert CrimeRecord.objects.filter(replaced_at__isnull=True).count() == 3
    old = CrimeRecord.objects.filter(crime_import=first)
    assert old.count() == 3 and all(record.replaced_at == second.done_at for record in old)
    # Rows outside the second import's period stay current.
    third = imported(
        persona,
        as_csv([["10.02.2025", ALGA, "190", "1", "тяжкое", "", ""]]),
        start=date(2025, 2, 1),
        end=date(2025, 2, 28),
    )
    assert third.replaced == 0
    assert CrimeRecord.objects.filter(replaced_at__isnull=True).count() == 4


def test_a_file_without_the_required_columns_is_refused_naming_them(persona):
    with pytest.raises(ValidationError) as error:
        imported(persona, as_csv([["x", "y"]], header=["Дата регистрации", "Район"]))
    message = " ".join(error.value.messages)
    assert "KATO code, article" in message and "kato / като" in message
    assert not CrimeImport.objects.exists()


def test_a_damaged_file_changes_nothing_that_was_counted(persona):
    imported(persona, as_csv([["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""]]))
    content = (
        as_csv([["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""]] * 3) + b'15.01.2025;"' + ALGA.encode() + b";190\n"
    )
    damaged = imported(persona, content)
    assert damaged.status == CrimeImport.Status.FAILED and "malformed" in damaged.problem
    assert CrimeRecord.objects.filter(replaced_at__isnull=True).count() == 1
    assert not CrimeStaged.objects.exists()


def test_a_run_stopped_midway_starts_over_without_doubling(persona):
    crime_import = crime_import_start(
        actor=persona("analyst"),
        upload=SimpleUploadedFile("crimes.csv", as_csv([["15.01.2025", ALGA, "190", "1", "тяжкое", "", ""]] * 2)),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    # A worker killed after staging a row: the next run drops it and reads the file again.
    CrimeStaged.objects.create(
        crime_import=crime_import,
        row=2,
        district_id=CrimeRecord._meta.get_field("district").related_model.objects.get(kato=ALGA).pk,
        registered_on=date(2025, 1, 15),
        article="190",
        part="1",
        gravity=Gravity.GRAVE,
    )
    CrimeImport.objects.filter(pk=crime_import.pk).update(status=CrimeImport.Status.READING, rows_read=1, rows_ok=1)
    read_crime_import.call(crime_import.pk)
    crime_import.refresh_from_db()
    assert (crime_import.rows_read, crime_import.rows_ok) == (2, 2)
    assert CrimeRecord.objects.count() == 2
    read_crime_import.call(crime_import.pk)  # a done import read again adds nothing
    assert CrimeRecord.objects.count() == 2


@pytest.mark.parametrize("username", ["alga_prosecutor", "regional_prosecutor", "alga_officer", "bank_partner"])
def test_only_the_analyst_imports(persona, username):
    with pytest.raises(PermissionDenied):
        services.crime_import_upload(
            actor=persona(username),
            upload=SimpleUploadedFile("crimes.csv", as_csv([])),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 1, 31),
        )


def test_a_period_in_the_future_or_backwards_is_refused(persona):
    today = timezone.localdate()
    for start, end in ((today, today + timedelta(days=1)), (date(2025, 2, 1), date(2025, 1, 1))):
        with pytest.raises(ValidationError):
            services.crime_import_upload(
                actor=persona("analyst"),
                upload=SimpleUploadedFile("crimes.csv", as_csv([])),
                period_start=start,
                period_end=end,
            )
