"""The banks' and the antifraud centre's notices: a file uploaded (size-capped, type-checked by its
content, the same file twice in a region refused), its columns mapped, then read in batches by a
worker (`notice_read`): each valid row's values made sightings in bulk (indicators_take_many), each
invalid row's errors kept, the progress counted per batch.

A row is taken once in a region: the keyed hash of its values as read (its indicators, amount and
date) is kept (NoticeRow), so the same row in a later notice (the antifraud centre's copy of a
bank's notice, a quarter's notice repeating a month's) is counted as already taken and adds no
sighting. A row with any error is not taken at all: the corrected row, sent again, is a new row.

Every batch commits its sightings, errors, row hashes and counters together, and the count of rows
read is the point a new run resumes from: a worker killed mid-file, a task run twice, or a reading
stopped and started again never writes a row twice. A reading that stops (a damaged file past its
first rows) keeps what its committed batches wrote and says so: how many rows were kept, and why
it stopped."""

import functools
import gc
import hashlib
import multiprocessing
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import District, Organisation, Region
from accounts.zones import local_today, region_zone
from lib import tables
from lib.crypto import keyed_hash
from lib.inserts import insert_rows, one_of
from lib.money import parse_tenge

from .. import notices, policy
from ..indicators import InvalidIndicator, Kind, normalize
from ..models import Notice, NoticeEvent, NoticeRow, NoticeRowError, Sighting
from .bulk import Gathered, Seen, gather, indicators_take_many

STORAGE = "notices"
BATCH = 1000
SENDERS = {
    Organisation.Type.BANK: Sighting.Source.BANK_NOTICE,
    Organisation.Type.ANTIFRAUD_CENTRE: Sighting.Source.ANTIFRAUD_NOTICE,
}
# A row's amount belongs to where the money went: its first value of these kinds, in this order.
PAYEES = (Kind.IBAN, Kind.CARD, Kind.WALLET, Kind.CRYPTO, Kind.PHONE)


def caps() -> tables.Caps:
    return tables.Caps(
        max_bytes=settings.REGISTRY_NOTICE_MAX_BYTES,
        max_unzipped_bytes=settings.REGISTRY_NOTICE_MAX_UNZIPPED_BYTES,
        max_ratio=settings.REGISTRY_NOTICE_MAX_RATIO,
    )


def storage():
    return storages[STORAGE]


def _region(actor) -> Region:
    if not policy.may_import_notices(actor):
        raise PermissionDenied(_("Your role does not import notices."))
    region = actor.organisation.region if actor.organisation_id else None
    if region is None:
        raise PermissionDenied(_("Your organisation belongs to no region: its registry is not yours."))
    return region


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def notice_upload(*, actor, upload, organisation: Organisation, number: str = "", dated: date | None = None) -> Notice:
    """A notice's file kept, its layout read (its type by content, encoding, delimiter, header; an
    XLSX checked for a zip bomb and merged cells) and its columns' fields guessed from their
    headers: refused with the reason, and nothing kept, when it cannot be read, is over the size
    cap, or is a file the region already has ("adds nothing", naming the earlier notice)."""
    region = _region(actor)
    if organisation.type not in SENDERS:
        raise ValidationError({"organisation": _("A notice comes from a bank or the antifraud centre.")})
    limits = caps()
    if upload.size > limits.max_bytes:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB, more than the %(cap)s MB allowed.")
                % {"size": round(upload.size / 1024 / 1024, 1), "cap": limits.max_bytes // (1024 * 1024)}
            }
        )
    sha256 = _sha256(upload)
    earlier = Notice.objects.filter(region=region, sha256=sha256).select_related("organisation").first()
    if earlier is not None:
        raise ValidationError({"file": _already_message(earlier)})
    try:
        layout = tables.read_layout(upload, limits)
    except tables.TableFileError as error:
        raise ValidationError({"file": error.text()}) from None
    upload.seek(0)
    now = timezone.now()
    name = storage().save(f"{region.pk}/{now:%Y/%m}/{sha256}.{layout.file_type}", upload)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                region=region,
                organisation=organisation,
                source=SENDERS[organisation.type],
                number=number,
                dated=dated,
                file_name=name,
                original_name=(upload.name or "")[-255:],
                size=upload.size,
                sha256=sha256,
                file_type=layout.file_type,
                encoding=layout.encoding,
                delimiter=layout.delimiter,
                header_row=layout.header_row,
                header=layout.header,
                mapping=notices.guess_mapping(layout.header),
                uncached_formulas=sorted(layout.uncached_formulas),
                rows_total=layout.rows_total,
                uploaded_by=actor,
                uploaded_at=now,
            )
            NoticeEvent.objects.create(notice=notice, kind=NoticeEvent.Kind.UPLOADED, at=now, actor=actor)
    except IntegrityError:
        # The same file uploaded at the same moment by someone else: it adds nothing.
        storage().delete(name)
        earlier = Notice.objects.filter(region=region, sha256=sha256).select_related("organisation").first()
        raise ValidationError({"file": _already_message(earlier)}) from None
    except BaseException:
        storage().delete(name)  # no row names it: never an orphaned file
        raise
    return notice


def _already_message(earlier: Notice) -> str:
    return _("This file was already uploaded as notice %(notice)s of %(organisation)s on %(day)s: it adds nothing.") % {
        "notice": earlier.number or earlier.original_name,
        "organisation": earlier.organisation.name,
        "day": date_format(timezone.localtime(earlier.uploaded_at, region_zone(earlier.region)).date()),
    }


def layout_of(notice: Notice) -> tables.Layout:
    return tables.Layout(
        file_type=notice.file_type,
        header_row=notice.header_row,
        header=notice.header,
        rows_total=notice.rows_total,
        encoding=notice.encoding,
        delimiter=notice.delimiter,
        uncached_formulas=frozenset(notice.uncached_formulas),
    )


def notice_preview(*, notice: Notice, count: int = tables.PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
    """The first rows of the notice as the file holds them (read again, never stored)."""
    with storage().open(notice.file_name, "rb") as handle:
        return tables.preview(handle, layout_of(notice), count)


def notice_map(*, actor, notice: Notice, mapping: list[str]) -> Notice:
    """The notice's columns mapped and its reading started (uploaded → reading): refused before
    anything is read when no column is an indicator or a field is given twice. The caller enqueues
    the reading in the same transaction (registry.tasks.notice_read_start)."""
    _region(actor)
    if len(mapping) != len(notice.header) or any(value not in notices.Field.values for value in mapping):
        raise ValidationError(_("Map every column of the notice to a field, or ignore it."))
    try:
        notices.check_mapping(mapping)
    except tables.TableFileError as error:
        raise ValidationError(error.text()) from None
    with transaction.atomic():
        started = Notice.objects.filter(pk=notice.pk, status=Notice.Status.UPLOADED).update(
            mapping=mapping, status=Notice.Status.READING
        )
        if not started:
            raise ValidationError(_("This notice's columns are mapped already: it is being read or was read."))
        NoticeEvent.objects.create(
            notice=notice, kind=NoticeEvent.Kind.STARTED, at=timezone.now(), actor=actor, data={"mapping": mapping}
        )
    notice.refresh_from_db()
    return notice


def notice_resume(*, actor, notice: Notice) -> Notice:
    """A stopped reading started again (stopped → reading): it resumes after the rows already read."""
    _region(actor)
    with transaction.atomic():
        resumed = Notice.objects.filter(pk=notice.pk, status=Notice.Status.FAILED).update(
            status=Notice.Status.READING, failure={}
        )
        if not resumed:
            raise ValidationError(_("Only a notice whose reading stopped can be read again."))
        NoticeEvent.objects.create(
            notice=notice,
            kind=NoticeEvent.Kind.STARTED,
            at=timezone.now(),
            actor=actor,
            data={"after_row": notice.rows_read},
        )
    notice.refresh_from_db()
    return notice


# --- reading ------------------------------------------------------------------------------------


class _Overtaken(Exception):
    """Another run of the task read this batch first (the task put back while still running)."""


class _Row:
    __slots__ = ("number", "seen", "errors", "fingerprint")

    def __init__(self, number: int):
        self.number, self.seen, self.errors, self.fingerprint = number, [], [], ""


class _Reader:
    """What reading a notice's rows needs, found once: the mapping, the region's districts by KATO
    code and by name, its time zone, the notice's own date."""

    def __init__(self, notice: Notice):
        self.notice = notice
        self.layout = layout_of(notice)
        self.zone = region_zone(notice.region)
        self.today = local_today(notice.region)
        self.columns = [(index, field) for index, field in enumerate(notice.mapping) if field]
        # A district as notices write it: its KATO code, its name in a language ("Алгинский район",
        # "Алға ауданы"), or its centre's ("Алга"), the name first when a centre's is another's name.
        self.districts = {}
        for district in District.objects.filter(region=notice.region).order_by("kato"):
            for key in (district.kato, district.name_kk, district.name_ru, district.name_en):
                if key:
                    self.districts[key.strip().casefold()] = district.pk
        for district in District.objects.filter(region=notice.region).order_by("kato"):
            for key in (district.centre_kk, district.centre_ru, district.centre_en):
                if key:
                    self.districts.setdefault(key.strip().casefold(), district.pk)
        dated = notice.dated or timezone.localtime(notice.uploaded_at, self.zone).date()
        self.default_at = datetime(dated.year, dated.month, dated.day, tzinfo=self.zone)

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def normalize(kind: str, raw: str):
        """A value read once per reading however often the notice repeats it (a dropper's account
        in row after row); the cache's size is capped, so memory does not grow with the file, and
        emptied when a reading starts. An invalid value's refusal is not cached (it raises). Its
        keyed hashes are computed here, by the reading thread, while the writing one waits on the
        database."""
        found = normalize(kind, raw)
        found.hashes  # noqa: B018 - cached on the value
        return found

    def header(self, index: int) -> str:
        title = self.notice.header[index] if index < len(self.notice.header) else ""
        return title or tables.column_letter(index)

    def read(self, number: int, cells: list[str]) -> _Row:
        row = _Row(number)
        found, amount, at, district_id, note = [], None, None, None, ""

        def error(index, message, **params):
            row.errors.append((self.header(index) if index is not None else "", message, params))

        uncached = self.layout.uncached_formulas  # most files have none: no cell's name is made then
        for index, field in self.columns:
            raw = cells[index].strip() if index < len(cells) else ""
            cell = uncached and f"{tables.column_letter(index)}{number}"
            if cell and cell in uncached:
                error(
                    index,
                    gettext_noop(
                        "The cell %(cell)s holds a formula saved without its value: formulas are not computed here; "
                        "save the file with its values."
                    ),
                    cell=cell,
                )
                continue
            if not raw:
                continue
            try:
                if field in notices.INDICATOR_FIELDS:
                    found.append(self.normalize(field, raw))
                elif field == notices.Field.AMOUNT:
                    amount = parse_tenge(raw)
                elif field == notices.Field.DATE:
                    at = tables.parse_when(raw)
                    if at.date() > self.today:
                        raise ValueError(gettext_noop("The date is in the future."))
                elif field == notices.Field.DISTRICT:
                    district_id = self.districts.get(raw.casefold())
                    if district_id is None:
                        error(index, gettext_noop("No district of the region has this KATO code or name."))
                elif field == notices.Field.NOTE:
                    note = raw[:300]
            except (InvalidIndicator, ValueError) as refused:
                error(index, str(refused))
        if not found and not row.errors:
            error(None, gettext_noop("The row names no account, card, phone or other indicator."))
        if row.errors:
            return row
        when = at.replace(tzinfo=self.zone) if at is not None else self.default_at
        payee = next((item for kind in PAYEES for item in found if item.kind == kind), found[0])
        context = _row_context(self.notice.pk, number)
        row.seen = [
            Seen(
                found=item,
                source=self.notice.source,
                at=when,
                district_id=district_id,
                context=context,
                amount=amount if item is payee else None,
                note=note,
            )
            for item in found
        ]
        values = sorted(f"{item.kind}:{item.value}" for item in found)
        row.fingerprint = keyed_hash(f"notice-row:{'|'.join(values)}|{amount or ''}|{at.isoformat() if at else ''}")
        return row


def _row_context(notice_id: int, number: int) -> str:
    """The context of a notice row's sightings (Sighting.context): its values are linked."""
    return f"notice:{notice_id}:{number}"


def _write(reader: _Reader, batch: list[_Row], gathered: Gathered, read_before: int) -> None:
    """A batch of rows written in one transaction: its row hashes (the rows of another notice
    left out), its values' sightings (`gathered` by the reading process), its rows' errors and
    the notice's counts."""
    notice = reader.notice
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The batch's commit returns without waiting for its WAL to reach the disk (a tenth of a
            # second a batch on a shared disk). A crash may lose the last batches committed, never
            # a part of one: the rows, hashes and counters of a batch commit together, so a
            # resumed reading starts after the last batch kept. The task's own end is committed
            # synchronously after them, which flushes them first.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != Notice.Status.READING or locked.rows_read != read_before:
            raise _Overtaken
        # One batch at a time in a region: the row hashes are checked and written without a race.
        Region.objects.select_for_update().filter(pk=notice.region_id).first()
        good = [row for row in batch if not row.errors]
        fingerprints = [row.fingerprint for row in good]
        # Taken from another notice (the same transfer told twice); this notice's own rows, however
        # alike, are each taken (models.NoticeRow).
        taken = set(
            NoticeRow.objects.filter(
                fingerprint__in=one_of(NoticeRow, fingerprints, "text"), region_id=notice.region_id
            )
            .exclude(notice_id=notice.pk)
            .values_list("fingerprint", flat=True)
        )
        new_rows = [
            (notice.region_id, notice.pk, row.number, row.fingerprint) for row in good if row.fingerprint not in taken
        ]
        repeated = {_row_context(notice.pk, row.number) for row in good if row.fingerprint in taken}
        # A row's values are linked as they are written ("notice:<id>:<row>": an account with its
        # card and its holder's IIN): the context is the row's own.
        sightings_written = indicators_take_many(
            actor=None, region=notice.region, seen=gathered.without(repeated), linked_at=timezone.now()
        )
        insert_rows(NoticeRow, ("region_id", "notice_id", "number", "fingerprint"), new_rows)
        NoticeRowError.objects.bulk_create(
            [
                NoticeRowError(notice=notice, row=row.number, column=column[:200], message=message, params=params)
                for row in batch
                for column, message, params in row.errors
            ],
            ignore_conflicts=True,
        )
        failed = sum(1 for row in batch if row.errors)
        Notice.objects.filter(pk=notice.pk).update(
            rows_read=F("rows_read") + len(batch),
            rows_ok=F("rows_ok") + len(new_rows),
            rows_failed=F("rows_failed") + failed,
            rows_repeated=F("rows_repeated") + len(repeated),
            sightings_count=F("sightings_count") + sightings_written,
        )


def _stop(notice: Notice, problem: tables.Problem) -> None:
    with transaction.atomic():
        stopped = Notice.objects.filter(pk=notice.pk, status=Notice.Status.READING).update(
            status=Notice.Status.FAILED,
            failure={"message": problem.message, "params": problem.params},
            finished_at=timezone.now(),
        )
        if stopped:
            rows_read = Notice.objects.filter(pk=notice.pk).values_list("rows_read", flat=True).first()
            NoticeEvent.objects.create(
                notice=notice,
                kind=NoticeEvent.Kind.FAILED,
                at=timezone.now(),
                data={"message": problem.message, "params": problem.params, "rows_read": rows_read},
            )


UNEXPECTED = gettext_noop(
    "The reading stopped on an unexpected error. The rows read before it are kept; read it again to go on."
)


def _read_ahead(reader: _Reader, file_name: str, start: int, batch_size: int) -> Iterator[tuple[list[_Row], Gathered]]:
    """The file's rows after the first `start`, read in batches by a process of its own while the
    batch before is written; with each batch, its valid rows' values gathered for writing
    (bulk.gather). Checking a row's values (an IBAN's digits, a phone's numbering plan,
    their keyed hashes, a card's encryption) costs about as much CPU as writing them: a thread
    would share the writer's interpreter, a forked process runs on another core. It inherits the
    reader, never touches the database, and sends each batch through a pipe, which holds about
    one: memory stays flat whatever the file. It ends with the pipe: when the reading stops, or
    when this process dies."""
    # The objects alive now (Django's, the modules') are set aside from the garbage collector's
    # rounds while the file is read, here and in the forked process: a batch allocates tens of
    # thousands of tuples, and each full round went through all of them again (a fifth of the
    # writer's CPU).
    gc.freeze()
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    producer = context.Process(
        target=_produce, args=(reader, file_name, start, batch_size, sending), name="notice-reader", daemon=True
    )
    producer.start()
    sending.close()  # the producer's end only: its end of the file is seen here as EOFError
    try:
        while (item := receiving.recv()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        receiving.close()
        producer.join(timeout=5)
        if producer.is_alive():  # blocked on a pipe no longer read
            producer.terminate()
            producer.join()
        gc.unfreeze()


def _gathered(batch: list[_Row], file_type: str) -> tuple[list[_Row], Gathered]:
    """A batch as it is sent to the writer: its rows (their values left out) and their values
    gathered. A CSV's writer is the slower process, so its sightings' COPY lines are formatted
    here; an XLSX's reading process is (openpyxl parses every cell), so its writer formats them."""
    gathered = gather([seen for row in batch if not row.errors for seen in row.seen], lines=file_type == tables.CSV)
    for row in batch:
        row.seen = []
    return batch, gathered


def _produce(reader: _Reader, file_name: str, start: int, batch_size: int, sending) -> None:
    """In the reading process: the batches sent, then None; or the error that stopped the reading."""
    try:
        # The messages of a row's errors are kept as their msgids (English), translated when shown.
        with translation.override("en"), storage().open(file_name, "rb") as handle:
            batch: list[_Row] = []
            for index, (number, cells) in enumerate(tables.rows(handle, reader.layout)):
                if index < start:
                    continue
                batch.append(reader.read(number, cells))
                if len(batch) >= batch_size:
                    sending.send(_gathered(batch, reader.layout.file_type))
                    batch = []
            if batch:
                sending.send(_gathered(batch, reader.layout.file_type))
        sending.send(None)
    except (BrokenPipeError, ConnectionResetError):  # the writer stopped reading: nothing to tell
        return
    except Exception as error:  # noqa: BLE001 - handed to the writer, which raises it
        sending.send(error)


def notice_read(*, notice_id: int, batch_size: int = BATCH) -> int:
    """A notice being read, from the row after the last batch committed to its end, batch by
    batch. The count of rows read by this run (0 when the notice is not being read, or another run
    of the task is reading it)."""
    notice = Notice.objects.select_related("region").filter(pk=notice_id).first()
    if notice is None or notice.status != Notice.Status.READING:
        return 0
    reader = _Reader(notice)
    _Reader.normalize.cache_clear()
    read_before = start = notice.rows_read
    try:
        with closing(_read_ahead(reader, notice.file_name, start, batch_size)) as batches:
            for batch, gathered in batches:
                _write(reader, batch, gathered, read_before)
                read_before += len(batch)
    except _Overtaken:
        return 0
    except tables.TableFileError as error:
        _stop(notice, error.problem)
        return read_before - start
    except Exception:
        _stop(notice, tables.Problem(UNEXPECTED))
        raise
    with transaction.atomic():
        done = Notice.objects.filter(pk=notice.pk, status=Notice.Status.READING, rows_read=read_before).update(
            status=Notice.Status.DONE, finished_at=timezone.now()
        )
        if done:
            NoticeEvent.objects.create(
                notice=notice, kind=NoticeEvent.Kind.READ, at=timezone.now(), data={"rows_read": read_before}
            )
    return read_before - start
