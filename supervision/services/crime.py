"""Crime statistics: a file of registered offences imported for a region and a period.

1. `crime_import_upload`: the file checked (its size, its kind by content, its header naming the
   required columns) and kept; nothing is read yet.
2. `crime_import_read` (a worker's task): every row checked and written to a staging table in
   batches (on PostgreSQL by COPY), the progress counted per batch. A row refused (a date outside
   the period, a KATO code of no district of the region, an article the Code cannot have) is
   listed with its reason; a row whose gravity neither the file nor the gravity table knows is
   imported and listed too ("gravity unknown").
3. When the whole file is read, in one transaction: the period's rows an earlier import gave are
   marked replaced (kept: a figure as of an earlier day reads them still), the staged rows become
   the period's, and what changed is kept figure by figure (offences by district and gravity,
   before and after). A file that stops half-read (damaged) changes nothing that was counted.

A run that stops (a worker killed) is run again from the file's start: the staged rows are the
import's own and counted nowhere, so they are dropped first.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import District, Region
from accounts.zones import local_today
from lib import tables
from lib.inserts import insert_rows

from .. import crimefile
from ..models import ArticleGravity, CrimeImport, CrimeImportEvent, CrimeImportProblem, CrimeRecord, CrimeStaged
from ..scoping import may_import_crime

STORAGE = "crime_imports"
BATCH = 5000
# The staged row's columns, in the order each row is written.
STAGED = (
    "crime_import_id",
    "row",
    "district_id",
    "registered_on",
    "article",
    "part",
    "gravity",
    "solved",
    "by_minor",
    "against_minor",
    "number",
)
# What a record copies from its staged row (the rest: its region and the moment it is recorded).
COPIED = STAGED[1:]


def caps() -> tables.Caps:
    return tables.Caps(
        max_bytes=settings.SUPERVISION_CRIME_MAX_BYTES,
        max_unzipped_bytes=settings.SUPERVISION_CRIME_MAX_UNZIPPED_BYTES,
        max_ratio=settings.REGISTRY_NOTICE_MAX_RATIO,
    )


def storage():
    return storages[STORAGE]


def _region(actor) -> Region:
    if not may_import_crime(actor):
        raise PermissionDenied(_("Your role does not import crime statistics."))
    region = actor.organisation.region if actor.organisation_id else None
    if region is None:
        raise PermissionDenied(_("Your organisation belongs to no region."))
    return region


def crime_import_upload(*, actor, upload, period_start: date, period_end: date) -> CrimeImport:
    """The file kept and its columns found, or ValidationError saying why (nothing kept)."""
    region = _region(actor)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if period_end > local_today(region):
        raise ValidationError({"period_end": _("The period cannot end in the future.")})
    limits = caps()
    if upload.size > limits.max_bytes:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB, more than the %(cap)s MB allowed.")
                % {"size": round(upload.size / 1024 / 1024, 1), "cap": limits.max_bytes // (1024 * 1024)}
            }
        )
    try:
        layout = tables.read_layout(upload, limits)
        columns = crimefile.columns_of(layout.header)
    except tables.TableFileError as error:
        raise ValidationError({"file": error.text()}) from None
    upload.seek(0)
    now = timezone.now()
    name = storage().save(f"{region.pk}/{now:%Y/%m}/{now:%Y%m%d%H%M%S}.{layout.file_type}", upload)
    try:
        with transaction.atomic():
            crime_import = CrimeImport.objects.create(
                region=region,
                period_start=period_start,
                period_end=period_end,
                file_name=name,
                original_name=(upload.name or "")[-255:],
                size=upload.size,
                file_type=layout.file_type,
                encoding=layout.encoding,
                delimiter=layout.delimiter,
                header_row=layout.header_row,
                header=layout.header,
                columns=columns,
                rows_total=layout.rows_total,
                uploaded_by=actor,
                uploaded_at=now,
            )
            CrimeImportEvent.objects.create(
                crime_import=crime_import, kind=CrimeImportEvent.Kind.UPLOADED, at=now, actor=actor
            )
    except BaseException:
        storage().delete(name)  # no row names it: never an orphaned file
        raise
    return crime_import


def layout_of(crime_import: CrimeImport) -> tables.Layout:
    return tables.Layout(
        file_type=crime_import.file_type,
        header_row=crime_import.header_row,
        header=crime_import.header,
        rows_total=crime_import.rows_total,
        encoding=crime_import.encoding,
        delimiter=crime_import.delimiter,
    )


class _Reader:
    """What checking an import's rows needs, found once: the region's districts by KATO code,
    the gravity table, the period and the region's today."""

    def __init__(self, crime_import: CrimeImport):
        self.crime_import = crime_import
        self.columns = crime_import.columns
        self.districts = dict(District.objects.filter(region_id=crime_import.region_id).values_list("kato", "pk"))
        self.example = next(iter(sorted(self.districts)), "151010000")
        self.gravity = {(row.article, row.part): row.gravity for row in ArticleGravity.objects.all()}
        self.today = local_today(crime_import.region)

    def header(self, field: str) -> str:
        index = self.columns.get(field)
        header = self.crime_import.header
        if index is not None and index < len(header) and header[index]:
            return header[index]
        return str(crimefile.FIELD_NAMES.get(field, field))

    def read(self, number: int, cells: list[str]) -> tuple[tuple | None, list[tuple]]:
        """The staged row's values (None when refused) and the row's problems: (row, column,
        message, params, refused)."""
        start, end = self.crime_import.period_start, self.crime_import.period_end
        try:
            row = crimefile.read_row(cells, self.columns, self.today)
        except crimefile.RowError as error:
            return None, [(number, self.header(error.column), error.message, error.params, True)]
        if not start <= row.registered_on <= end:
            message = gettext_noop(
                "The registration date %(date)s lies outside the import's period, %(start)s – %(end)s."
            )
            params = {"date": row.registered_on.isoformat(), "start": start.isoformat(), "end": end.isoformat()}
            return None, [(number, self.header(crimefile.REGISTERED_ON), message, params, True)]
        district_id = self.districts.get(row.kato)
        if district_id is None:
            message = gettext_noop(
                "No district of the region has the KATO code %(code)s: expected one of its districts' nine-digit "
                "codes, as %(example)s."
            )
            return None, [
                (number, self.header(crimefile.KATO), message, {"code": row.kato, "example": self.example}, True)
            ]
        gravity = row.gravity or self.gravity.get((row.article, row.part)) or self.gravity.get((row.article, ""))
        problems = []
        if gravity is None:
            if row.part:
                message = gettext_noop(
                    "Gravity unknown: the row gives none, and the gravity table has neither article %(article)s, "
                    "part %(part)s, nor the whole article. The row is imported and counted as “gravity unknown”."
                )
            else:
                message = gettext_noop(
                    "Gravity unknown: the row gives none, and the gravity table has no article %(article)s. "
                    "The row is imported and counted as “gravity unknown”."
                )
            params = {"article": row.article, "part": row.part}
            problems.append((number, self.header(crimefile.ARTICLE), message, params, False))
        values = (
            self.crime_import.pk,
            number,
            district_id,
            row.registered_on,
            row.article,
            row.part,
            gravity,
            row.solved,
            row.by_minor,
            row.against_minor,
            row.number,
        )
        return values, problems


def _write_batch(crime_import: CrimeImport, staged: list[tuple], problems: list[tuple], read: int) -> None:
    refused = sum(1 for problem in problems if problem[4])
    unknown = len(problems) - refused
    with transaction.atomic():
        insert_rows(CrimeStaged, STAGED, staged)
        CrimeImportProblem.objects.bulk_create(
            CrimeImportProblem(
                crime_import=crime_import, row=row, column=column[:100], message=message, params=params, refused=flag
            )
            for row, column, message, params, flag in problems
        )
        CrimeImport.objects.filter(pk=crime_import.pk).update(
            rows_read=read,
            rows_ok=crime_import.rows_ok + len(staged),
            rows_failed=crime_import.rows_failed + refused,
            gravity_unknown=crime_import.gravity_unknown + unknown,
        )
    crime_import.rows_read = read
    crime_import.rows_ok += len(staged)
    crime_import.rows_failed += refused
    crime_import.gravity_unknown += unknown


def _restart(crime_import: CrimeImport) -> None:
    """A run starting over: what an earlier run staged or listed dropped, the counters zeroed."""
    with transaction.atomic():
        CrimeStaged.objects.filter(crime_import=crime_import).delete()
        crime_import.problems.all().delete()
        CrimeImport.objects.filter(pk=crime_import.pk).update(
            status=CrimeImport.Status.READING, rows_read=0, rows_ok=0, rows_failed=0, gravity_unknown=0
        )
    crime_import.refresh_from_db()


def crime_import_read(*, import_id: int) -> CrimeImport:
    """Read the whole file into the staging table, then make its rows the period's (module doc)."""
    crime_import = CrimeImport.objects.select_related("region").get(pk=import_id)
    if crime_import.status in (CrimeImport.Status.DONE, CrimeImport.Status.FAILED):
        return crime_import
    _restart(crime_import)
    reader = _Reader(crime_import)
    staged, problems, read = [], [], 0
    try:
        with storage().open(crime_import.file_name, "rb") as handle:
            for number, cells in tables.rows(handle, layout_of(crime_import)):
                values, found = reader.read(number, cells)
                read += 1
                problems.extend(found)
                if values is not None:
                    staged.append(values)
                if len(staged) + len(problems) >= BATCH:
                    _write_batch(crime_import, staged, problems, read)
                    staged, problems = [], []
        _write_batch(crime_import, staged, problems, read)
    except tables.TableFileError as error:
        return _fail(crime_import, error.problem)
    return _switch(crime_import)


def _fail(crime_import: CrimeImport, problem: tables.Problem) -> CrimeImport:
    """A file that cannot be read to its end: nothing of it counts (its staged rows dropped)."""
    with transaction.atomic():
        CrimeStaged.objects.filter(crime_import=crime_import).delete()
        CrimeImport.objects.filter(pk=crime_import.pk).update(
            status=CrimeImport.Status.FAILED, problem=problem.message, problem_params=problem.params
        )
        CrimeImportEvent.objects.create(
            crime_import=crime_import,
            kind=CrimeImportEvent.Kind.FAILED,
            at=timezone.now(),
            data={"message": problem.message, "params": problem.params},
        )
    crime_import.refresh_from_db()
    return crime_import


def _counts(rows) -> Counter:
    return Counter(
        {
            (row["district_id"], row["gravity"] or ""): row["count"]
            for row in rows.values("district_id", "gravity").annotate(count=Count("id")).order_by()
        }
    )


def _changes(before: Counter, after: Counter) -> list[dict]:
    """What moved, figure by figure: each district and gravity whose count differs."""
    katos = dict(District.objects.filter(pk__in={key[0] for key in before | after}).values_list("pk", "kato"))
    return [
        {"district": katos.get(district, ""), "gravity": gravity, "before": before[key], "after": after[key]}
        for key in sorted(set(before) | set(after), key=lambda key: (katos.get(key[0], ""), key[1]))
        for district, gravity in [key]
        if before[key] != after[key]
    ]


def _switch(crime_import: CrimeImport) -> CrimeImport:
    """The staged rows made the period's, the earlier ones marked replaced, in one transaction."""
    quote = connection.ops.quote_name
    staged_table, records_table = CrimeStaged._meta.db_table, CrimeRecord._meta.db_table
    copied = ", ".join(quote(CrimeStaged._meta.get_field(name).column) for name in COPIED)
    with transaction.atomic():
        # One switch at a time in a region: two imports of one period never both stay current.
        Region.objects.select_for_update().filter(pk=crime_import.region_id).first()
        now = timezone.now()
        current = CrimeRecord.objects.filter(
            region_id=crime_import.region_id,
            registered_on__gte=crime_import.period_start,
            registered_on__lte=crime_import.period_end,
            replaced_at__isnull=True,
        )
        before = _counts(current)
        replaced = current.update(replaced_at=now)
        # Names from the models' metadata, values as parameters.
        targets = f"{copied}, {quote('region_id')}, {quote('crime_import_id')}, {quote('recorded_at')}"
        insert = (
            f"INSERT INTO {quote(records_table)} ({targets}) SELECT {copied}, %s, %s, %s FROM {quote(staged_table)}"  # noqa: S608
        )
        insert += f" WHERE {quote('crime_import_id')} = %s"
        with connection.cursor() as cursor:
            cursor.execute(insert, [crime_import.region_id, crime_import.pk, now, crime_import.pk])
        CrimeStaged.objects.filter(crime_import=crime_import).delete()
        after = _counts(CrimeRecord.objects.filter(crime_import=crime_import))
        changes = _changes(before, after)
        CrimeImport.objects.filter(pk=crime_import.pk).update(
            status=CrimeImport.Status.DONE, done_at=now, replaced=replaced, changes=changes
        )
        CrimeImportEvent.objects.create(
            crime_import=crime_import,
            kind=CrimeImportEvent.Kind.DONE,
            at=now,
            data={"rows": crime_import.rows_ok, "replaced": replaced, "changed": len(changes)},
        )
    crime_import.refresh_from_db()
    return crime_import
