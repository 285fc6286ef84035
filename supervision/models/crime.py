"""Crime statistics: registered offences imported row by row or as aggregated tables, and the
figures held by month."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District, Region
from lib.models import Event

# --- crime statistics ------------------------------------------------------------------------------


class Gravity(models.TextChoices):
    """Criminal Code of Kazakhstan, Art. 10-11: a criminal misdemeanour, or a crime of one of four
    categories. The "registered crimes" of the board's documents are the four categories; the
    misdemeanours are counted apart (docs/supervision.md)."""

    MISDEMEANOUR = "misdemeanour", _("criminal misdemeanour")
    MINOR = "minor", _("crime of minor gravity")
    MEDIUM = "medium", _("crime of medium gravity")
    GRAVE = "grave", _("grave crime")
    PARTICULARLY_GRAVE = "particularly_grave", _("particularly grave crime")


CRIME_CATEGORIES = (Gravity.MINOR, Gravity.MEDIUM, Gravity.GRAVE, Gravity.PARTICULARLY_GRAVE)


class ArticleGravity(models.Model):
    """The gravity of an article of the Criminal Code, or of one of its parts (the part's sanction
    decides it, Art. 11): filled only from a source read, which each row names. It may start empty
    (../reference/README.md: the official text could not be read here); the analyst fills it."""

    article = models.CharField(_("article"), max_length=10, help_text=_("As the Code numbers it: 190, 232-1"))
    part = models.CharField(_("part"), max_length=5, blank=True, help_text=_("Empty: every part of the article"))
    gravity = models.CharField(_("gravity"), max_length=20, choices=Gravity.choices)
    source = models.TextField(_("source"), help_text=_("Where this was read: the Code's edition and its page"))

    class Meta:
        ordering = ["article", "part"]
        verbose_name = _("gravity of a Criminal Code article")
        verbose_name_plural = _("gravity of the Criminal Code's articles")
        constraints = [models.UniqueConstraint(fields=["article", "part"], name="one_gravity_per_article_part")]

    def __str__(self):
        return f"{self.article}{f' ч.{self.part}' if self.part else ''}: {self.get_gravity_display()}"


class CrimeImport(models.Model):
    """A file of registered offences, one row each, for a region and the period it covers. Read in
    the background into a staging table; when the whole file is read, its rows become the period's
    in one transaction, and the rows of the period an earlier import gave are marked replaced
    (kept, so a figure as of an earlier day still reads them). `changes` says what moved, figure by
    figure: the offences by district and gravity before and after."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        READING = "reading", _("being read")
        DONE = "done", pgettext_lazy("crime import status", "imported")
        FAILED = "failed", pgettext_lazy("crime import status", "failed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    file_name = models.CharField(_("stored file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # How the file is read (lib.tables.Layout).
    file_type = models.CharField(max_length=4)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    header = models.JSONField(default=list)
    # Each field's column in the file (crimefile.FIELDS' names -> the column's index).
    columns = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_ok = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows refused"), default=0)
    gravity_unknown = models.PositiveIntegerField(_("rows of unknown gravity"), default=0)
    # Why it failed: a msgid and its parameters, shown in the reader's language.
    problem = models.TextField(_("why it failed"), blank=True)
    problem_params = models.JSONField(default=dict, blank=True)
    replaced = models.PositiveIntegerField(_("earlier rows replaced"), default=0)
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    done_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("crime statistics import")
        verbose_name_plural = _("crime statistics imports")

    def __str__(self):
        return f"{self.original_name} ({self.period_start} – {self.period_end})"


class CrimeImportEvent(Event):
    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        DONE = "done", pgettext_lazy("crime import status", "imported")
        FAILED = "failed", pgettext_lazy("crime import status", "failed")

    crime_import = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("crime import event")
        verbose_name_plural = _("crime import events")

    def __str__(self):
        return f"{self.crime_import_id} {self.kind}"


class CrimeImportProblem(models.Model):
    """A row of an import refused, or imported with a gravity nobody knows: its row number, the
    column, and the message (a msgid with its parameters, shown in the reader's language)."""

    crime_import = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    params = models.JSONField(default=dict)
    refused = models.BooleanField(default=True)

    class Meta:
        ordering = ["crime_import", "row", "id"]

    def __str__(self):
        return f"{self.crime_import_id}:{self.row} {self.column}"


class CrimeFields(models.Model):
    """What a registered offence's row says, shared by the staging table and the records."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", db_index=False)
    registered_on = models.DateField(_("registered"))
    article = models.CharField(_("article"), max_length=10)
    part = models.CharField(_("part"), max_length=5, blank=True)
    # Null: neither the row nor the gravity table knows it ("gravity unknown").
    gravity = models.CharField(_("gravity"), max_length=20, choices=Gravity.choices, null=True, blank=True)
    solved = models.BooleanField(_("solved"), default=False)
    by_minor = models.BooleanField(_("committed by a minor"), default=False)
    against_minor = models.BooleanField(_("committed against a minor"), default=False)
    number = models.CharField(_("registration number"), max_length=40, blank=True)

    class Meta:
        abstract = True


class CrimeStaged(CrimeFields):
    """An import's rows while it is read (on PostgreSQL filled by COPY): not counted anywhere."""

    crime_import = models.ForeignKey(CrimeImport, on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.crime_import_id}:{self.row}"


class CrimeRecord(CrimeFields):
    """A registered offence, as the import that gave it says: counted from its import's end
    (`recorded_at`) until a later import of its period replaced it (`replaced_at`)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    crime_import = models.ForeignKey(CrimeImport, on_delete=models.PROTECT, related_name="records", db_index=False)
    row = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(_("recorded"))
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["registered_on", "id"]
        verbose_name = _("registered offence")
        verbose_name_plural = _("registered offences")
        indexes = [
            models.Index(fields=["region", "registered_on"], name="crime_by_day"),
            models.Index(fields=["crime_import", "row"], name="crime_by_import"),
        ]

    def __str__(self):
        return f"{self.registered_on} {self.article} {self.district_id}"


# --- figures held by month: imported from aggregated tables (and, to come, submitted) ---------------


class MonthlyFigure(models.Model):
    """A metric's value for one month of a district (or of the region as a whole), as an import of
    an aggregated table (or a district's approved submission) gives it: counted from `recorded_at`
    until a later one for the same month replaced it (`replaced_at`), so a summary as of an
    earlier day reads what was known then. The summary reads these values for the metrics its
    catalogue reads from imports or submissions (supervision.figures, lib.plugins)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Null: the region's as a whole (a regional department's figure), in no district.
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("metric"), max_length=80)
    month = models.DateField(_("month"), help_text=_("Its first day"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    source = models.CharField(_("source"), max_length=20)  # lib.metrics.Source: submitted or imported
    table_import = models.ForeignKey(
        "CrimeTableImport", null=True, blank=True, on_delete=models.PROTECT, related_name="figures"
    )
    submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.PROTECT, related_name="figures"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["month", "code"]
        indexes = [models.Index(fields=["region", "source", "code", "month"], name="monthly_figure_lookup")]

    def __str__(self):
        return f"{self.code} {self.month:%Y-%m} {self.district_id}: {self.value}"


class CrimeTableImport(models.Model):
    """An aggregated table of crime statistics: district rows × indicator columns, cumulative from
    the start of the year to the end of `month`, read by a column-mapping file
    (supervision.crimetable). Each column's figures, less the same column's for the month before,
    are the month's (MonthlyFigure, source "imported"); the cumulative ones are kept here to
    derive the next month's."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    month = models.DateField(_("month"), help_text=_("The table's figures run from 1 January to this month's end"))
    mapping_name = models.CharField(_("mapping"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    # {KATO: {metric code: cumulative value}}: the table as read.
    cumulative = models.JSONField(default=dict)
    # What changed against the month's earlier import: [{district, code, before, after}].
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    imported_at = models.DateTimeField(_("imported at"))
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-imported_at"]
        verbose_name = _("aggregated crime table")
        verbose_name_plural = _("aggregated crime tables")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.original_name}"
