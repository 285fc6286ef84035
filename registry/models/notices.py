"""The banks' and the antifraud centre's notices: the files uploaded, the rows taken, the errors of
the rows not taken, each step dated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import Event

from .indicators import Sighting


class Notice(models.Model):
    """A bank's or the antifraud centre's notice (a CSV or XLSX file of dropper accounts, cards,
    phones...), uploaded by the regional analyst or a region-wide prosecutor, its columns mapped,
    then read by a worker row by row: each valid row's values become sightings, each invalid row's
    errors are kept (NoticeRowError). The file itself is kept in the private storage "notices"
    (settings.STORAGES), never served by URL."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded, columns to map")
        READING = "reading", _("reading")
        DONE = "done", _("read")
        FAILED = "failed", _("stopped")

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    # What its rows' sightings are (Sighting.Source.BANK_NOTICE or ANTIFRAUD_NOTICE), by its sender.
    source = models.CharField(_("source"), max_length=20, choices=Sighting.Source.choices)
    number = models.CharField(_("notice number"), max_length=100, blank=True)
    dated = models.DateField(_("notice date"), null=True, blank=True)
    # The file in the "notices" storage, and what it was called on the sender's computer.
    file_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    file_type = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    header = models.JSONField(default=list, blank=True)
    # One field a column (registry.notices.Field: an indicator's kind, "amount", "date", "district",
    # "note", or "" for a column ignored).
    mapping = models.JSONField(default=list, blank=True)
    # Formula cells saved without a cached value (an XLSX): an error of their row when read.
    uncached_formulas = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    # The progress bar: the rows after the header (the file's count), those read so far (the point
    # a new run resumes from: every batch commits its rows with this count), of which valid, with
    # errors, and already taken from an earlier notice of the region.
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_ok = models.PositiveIntegerField(_("rows kept"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_repeated = models.PositiveIntegerField(_("rows already taken"), default=0)
    sightings_count = models.PositiveIntegerField(_("sightings"), default=0)
    # Why the reading stopped: a msgid and its parameters, shown in the reader's language.
    failure = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    finished_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "sha256"], name="one_notice_per_file")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return f"{self.organisation} {self.number or self.original_name}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_read * 100 // self.rows_total) if self.rows_total else 0


class NoticeRow(models.Model):
    """A row taken from a notice, by the keyed hash of its values as read (its indicators, amount
    and date): the same row in a later notice of the region (the bank's and the antifraud centre's
    notice of one transfer, a month's notice and the quarter's) adds no sighting a second time. Two
    rows of one notice are two rows, however alike (two transfers of one amount to one account on
    one day): a notice is taken once whole (its file's hash), so its own rows never repeat it."""

    # Not indexed alone: the fingerprint's index holds the region. No key constraints: a bulk
    # table (models.indicators).
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="rows", db_constraint=False)
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=80)

    class Meta:
        # The fingerprint first: a batch's rows are looked up by it (its region is one).
        indexes = [models.Index(fields=["fingerprint", "region"], name="notice_row_by_fingerprint")]

    def __str__(self):
        return f"notice:{self.notice_id}:{self.number}"


class NoticeRowError(models.Model):
    """Why a row of a notice was not taken: its row number in the file, the column (its header) and
    the message kept as a msgid with its parameters, so each reader reads it in their language. The
    wrong value itself is not kept (an invalid IIN is still a person's)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    message = models.CharField(max_length=400)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["row", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "row", "column"], name="one_error_per_cell")]
        verbose_name = _("notice row error")
        verbose_name_plural = _("notice row errors")

    def __str__(self):
        return f"{self.notice_id}:{self.row} {self.column}"

    @property
    def text(self) -> str:
        translated = _(self.message) if self.message else ""
        return str(translated) % self.params if self.params else str(translated)


class NoticeEvent(Event):
    """A step of a notice: uploaded, its columns mapped and its reading started, read, stopped."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        STARTED = "started", _("reading started")
        READ = "read", _("read")
        FAILED = "failed", _("reading stopped")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")

    def __str__(self):
        return f"{self.notice_id} {self.kind}"
