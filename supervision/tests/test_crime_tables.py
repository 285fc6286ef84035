"""Aggregated crime tables: read by a column mapping, cumulative figures turned into the months',
a month imported again replacing its figures and the next month's (kept for an earlier "as of"),
the summary reading them where its catalogue reads the metric from imports, and bad tables refused
whole with a message per cell."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from lib.metrics import Source
from reporting.figures import Request, compute
from reporting.models import Metric, MetricReading
from reporting.tests import facts
from supervision import crimetable, services
from supervision.models import CrimeTableImport, MonthlyFigure

ALGA, TEMIR, REGION = "153200000", "155600000", "150000000"
SAMPLE = crimetable.shipped()["sample-crime-by-gravity.json"]
HEADER = ["Район", "КАТО", *SAMPLE.columns]


def table(rows, header=HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("table.csv", buffer.getvalue().encode())


def row(name, kato, registered, *rest):
    rest = list(rest) + [0] * (7 - len(rest))
    return [name, kato, registered, *rest]


def imported(persona, month: date, rows, **kwargs):
    return services.crime_table_import(
        actor=persona("analyst"), upload=table(rows), mapping=SAMPLE, month=month, **kwargs
    )


def monthly(code="crime.registered", kato=ALGA, month=None, current=True):
    figures = MonthlyFigure.objects.filter(code=code, district__kato=kato, source=Source.IMPORTED)
    if month:
        figures = figures.filter(month=month)
    if current:
        figures = figures.filter(replaced_at__isnull=True)
    return {figure.month: figure.value for figure in figures}


def test_it_turns_the_cumulative_tables_into_the_months_figures(persona):
    imported(persona, date(2025, 1, 1), [row("Область", REGION, 99), row("Алга", ALGA, 10, 1), row("Темир", TEMIR, 4)])
    imported(persona, date(2025, 2, 1), [row("Алга", ALGA, 25, 1), row("Темир", TEMIR, 4)])
    assert monthly() == {date(2025, 1, 1): 10, date(2025, 2, 1): 15}
    assert monthly(kato=TEMIR) == {date(2025, 1, 1): 4, date(2025, 2, 1): 0}
    assert monthly("crime.registered.particularly_grave") == {date(2025, 1, 1): 1, date(2025, 2, 1): 0}
    assert not MonthlyFigure.objects.filter(district__isnull=True).exists()  # the region's total row is left out


def test_a_month_imported_again_replaces_its_figures_and_the_next_months(persona):
    imported(persona, date(2025, 1, 1), [row("Алга", ALGA, 10)])
    imported(persona, date(2025, 2, 1), [row("Алга", ALGA, 25)])
    corrected = imported(persona, date(2025, 1, 1), [row("Алга", ALGA, 12)])
    assert monthly() == {date(2025, 1, 1): 12, date(2025, 2, 1): 13}
    assert corrected.changes == [{"district": ALGA, "code": "crime.registered", "before": 10, "after": 12}]
    assert CrimeTableImport.objects.filter(month=date(2025, 1, 1), replaced_at__isnull=False).count() == 1
    # The replaced figures are kept, with the moment they were replaced.
    assert MonthlyFigure.objects.filter(code="crime.registered", replaced_at=corrected.imported_at).count() == 2


def test_a_month_needs_the_month_before(persona):
    with pytest.raises(ValidationError) as error:
        imported(persona, date(2025, 3, 1), [row("Алга", ALGA, 10)])
    assert "import 02.2025 first" in " ".join(error.value.messages)
    assert not MonthlyFigure.objects.exists()


def test_a_table_with_bad_cells_is_refused_whole_naming_each_cell(persona):
    with pytest.raises(ValidationError) as error:
        imported(
            persona,
            date(2025, 1, 1),
            [row("Алга", ALGA, "десять"), row("X", "999999999", 3), row("Темир", TEMIR, -2), row("Темир", TEMIR, 1.5)],
        )
    messages = " ".join(error.value.messages)
    assert "C2: “десять” is not a whole number" in messages
    assert "B3: “999999999” is no KATO code" in messages
    assert "C4: “-2” is not a whole number" in messages
    assert "B5: The district 155600000 has a row already" in messages
    assert not CrimeTableImport.objects.exists() and not MonthlyFigure.objects.exists()


def test_edited_headers_are_refused_naming_the_missing_columns(persona):
    header = [title if title != "тяжкие" else "тяжкие (ред.)" for title in HEADER]
    with pytest.raises(ValidationError) as error:
        services.crime_table_import(
            actor=persona("analyst"),
            upload=table([row("Алга", ALGA, 1)], header),
            mapping=SAMPLE,
            month=date(2025, 1, 1),
        )
    assert "“тяжкие”" in " ".join(error.value.messages)


def test_an_xlsx_table_with_merged_cells_or_a_formula_is_refused_or_read(persona):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(row("Алга", ALGA, 5))
    sheet.merge_cells("C2:D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError) as error:
        services.crime_table_import(
            actor=persona("analyst"),
            upload=SimpleUploadedFile("t.xlsx", buffer.getvalue()),
            mapping=SAMPLE,
            month=date(2025, 1, 1),
        )
    assert "merged cells (C2:D2)" in " ".join(error.value.messages)


def test_a_mapping_naming_an_unknown_metric_or_no_column_is_refused():
    with pytest.raises(crimetable.TableFileError) as error:
        crimetable.parse_mapping(
            json.dumps({"district_column": "КАТО", "columns": {"Всего": "crime.everything"}}).encode(),
            services.crime_tables_known_codes(),
        )
    assert "crime.everything" in str(error.value)
    with pytest.raises(crimetable.TableFileError):
        crimetable.parse_mapping(b'{"district_column": "KATO", "columns": {}}')
    with pytest.raises(crimetable.TableFileError):
        crimetable.parse_mapping(b"not json")


def test_the_summary_reads_the_imported_figures_where_the_catalogue_says_so(persona):
    region = facts.region()
    imported(persona, date(2025, 1, 1), [row("Алга", ALGA, 10), row("Темир", TEMIR, 5)])
    imported(persona, date(2025, 2, 1), [row("Алга", ALGA, 25), row("Темир", TEMIR, 6)])
    today = timezone.localdate()  # the tables were imported now: a summary as of today reads them
    request = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 2, 28), as_of=today)
    assert compute(request).figure("crime.registered").value == 0  # read from the rows: none imported
    MetricReading.objects.create(
        metric=Metric.objects.get(code="crime.registered"), starts_on=date(2025, 1, 1), source=Source.IMPORTED
    )
    figure = compute(request).figure("crime.registered")
    assert figure.source == Source.IMPORTED and figure.value == 31  # the cumulative of February, both districts
    assert {part.key: part.value for part in figure.by_district}[ALGA] == 25
    # As of a day before the tables were imported, nothing was known.
    before = Request.make(region=region, start=date(2025, 1, 1), end=date(2025, 2, 28), as_of=date(2025, 3, 1))
    assert compute(before).figure("crime.registered").value is None


@pytest.mark.parametrize("username", ["alga_prosecutor", "regional_prosecutor", "bank_partner"])
def test_only_the_analyst_imports_a_table(persona, username):
    with pytest.raises(PermissionDenied):
        services.crime_table_import(
            actor=persona(username), upload=table([row("Алга", ALGA, 1)]), mapping=SAMPLE, month=date(2025, 1, 1)
        )


def test_the_pages_import_a_table_and_show_what_changed(login):
    client = login("analyst")
    page = client.get(reverse("supervision:crime_table_new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not verified against an official form" in page and "crime.registered.grave" in page
    response = client.post(
        reverse("supervision:crime_table_new"),
        {"month": "2025-01", "mapping": "sample-crime-by-gravity.json", "file": table([row("Алга", ALGA, 7)])},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "crime.registered" in detail and "Aggregated table of 01.2025" in detail
    refused = client.post(
        reverse("supervision:crime_table_new"),
        {"month": "2025-03", "mapping": "sample-crime-by-gravity.json", "file": table([row("Алга", ALGA, 9)])},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and "import 02.2025 first" in refused.content.decode()
    assert login("alga_prosecutor").get(reverse("supervision:crime_table_new")).status_code == 403
