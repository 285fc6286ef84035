"""Results of supervision. Born with the oversight of offence reports: the acts of prosecutorial
response (SupervisoryAct) with their letters and outcomes. Later issues extend the same model
(metric catalogue, submissions, crime statistics...).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District, Organisation, Region
from accounts.scoping import is_region_wide, work_district_ids
from lib.models import Event

from .scoping import ACT_READERS


def _local_offices(district_ids) -> models.QuerySet:
    """Prosecutor's offices serving only districts among `district_ids` (not the regional office,
    which serves every district)."""
    others = District.objects.exclude(id__in=district_ids).values("id")
    return (
        Organisation.objects.filter(kind=Organisation.Kind.PROSECUTOR_OFFICE, districts__in=district_ids)
        .exclude(districts__in=others)
        .values("id")
    )


class SupervisoryActQuerySet(models.QuerySet):
    def for_user(self, user):
        """The acts `user` may read. A district prosecutor: the acts of their own office, of the
        local offices whose districts all lie within the districts their work covers (a city office
        sees its city districts' offices' acts), and every act linked to a report of those
        districts. The region-wide roles (the analyst, the board secretary, the regional and
        department prosecutors, the administrator): the whole region. Body officers, citizens and
        partners: none (the pages answer 403). Who may write them is supervision.scoping's to say."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role not in ACT_READERS or not user.organisation_id:
            return self.none()
        if is_region_wide(user):
            return self.filter(region_id=user.organisation.region_id)
        of_districts = SupervisoryAct.objects.of_districts(work_district_ids(user) or set()).values("id")
        return self.filter(Q(issuing_office_id=user.organisation_id) | Q(id__in=of_districts))

    def of_districts(self, district_ids):
        """The acts of some districts: issued by their local offices, or linked to their reports."""
        district_ids = list(district_ids)
        linked = SupervisoryAct.reports.through.objects.filter(report__district_id__in=district_ids).values(
            "supervisoryact_id"
        )
        return self.filter(Q(issuing_office_id__in=_local_offices(district_ids)) | Q(id__in=linked))


class SupervisoryAct(models.Model):
    """An act of prosecutorial response: a submission to the head of a body, a protest..."""

    class Type(models.TextChoices):
        # With a context: "order", "submission", "warning" are other words elsewhere in the catalogues.
        PROTEST = "protest", pgettext_lazy("act type", "protest")
        SUBMISSION = "submission", pgettext_lazy("act type", "submission")
        ORDER = "order", pgettext_lazy("act type", "order")
        ADMIN_RESOLUTION = "admin_resolution", pgettext_lazy("act type", "resolution on administrative proceedings")
        WARNING = "warning", pgettext_lazy("act type", "warning")
        CLAIM = "claim", pgettext_lazy("act type", "claim to court")
        INSTRUCTION = "instruction", pgettext_lazy("act type", "instruction")
        PRETRIAL = "pretrial", pgettext_lazy("act type", "start of a pre-trial investigation")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        SATISFIED = "satisfied", _("satisfied")
        PARTLY = "partly", _("partly satisfied")
        REJECTED = "rejected", _("rejected")

    class Language(models.TextChoices):
        KK = "kk", _("Kazakh")
        RU = "ru", _("Russian")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # The district the act concerns (supervision.districts: its reports' district, else its
    # office's); null for an act of the region as a whole. Set when the act is recorded. The
    # summary filters acts by region and date (the index below), so no index of its own.
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("district"),
    )
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    date = models.DateField(_("date"))
    issuing_office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="issued_acts", verbose_name=_("issuing office")
    )
    addressee = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_acts",
        verbose_name=_("addressee body"),
    )
    addressee_title = models.CharField(
        _("addressee"), max_length=300, blank=True, help_text=_("The head of the body: position and name")
    )
    legal_basis = models.TextField(_("legal basis"), max_length=2000)
    summary = models.TextField(_("violations found and what is demanded"), max_length=8000)
    reports = models.ManyToManyField(
        "signals.Report", blank=True, related_name="supervisory_acts", verbose_name=_("reports")
    )
    language = models.CharField(_("letter language"), max_length=2, choices=Language.choices, default=Language.RU)
    # "<office code>/<year>/<n>" (supervision.numbering.next_outgoing_number): office codes run to 60
    # characters, so the number needs more than 40.
    outgoing_number = models.CharField(_("outgoing number"), max_length=80, blank=True)
    letter_at = models.DateTimeField(_("letter produced"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_at = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    officials_disciplined = models.PositiveSmallIntegerField(_("officials held accountable"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("recorded"))

    objects = SupervisoryActQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("act of prosecutorial response")
        verbose_name_plural = _("acts of prosecutorial response")
        indexes = [models.Index(fields=["region", "date"]), models.Index(fields=["issuing_office", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_office", "outgoing_number"],
                condition=~Q(outgoing_number=""),
                name="one_outgoing_number_per_office",
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.outgoing_number or self.pk}"


class SupervisoryActEvent(Event):
    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        CHANGED = "changed", _("details corrected")
        LETTER = "letter", _("letter produced")
        OUTCOME = "outcome", _("outcome recorded")

    act = models.ForeignKey(SupervisoryAct, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("act event")
        verbose_name_plural = _("act events")

    def __str__(self):
        return f"{self.act} {self.kind}"


class OutgoingCounter(models.Model):
    """The last outgoing number an office gave in a year: taken only when a letter is produced."""

    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_outgoing_counter_per_office_year")]

    def __str__(self):
        return f"{self.office} {self.year}: {self.last}"


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


# --- the offices' monthly submissions ----------------------------------------------------------------


class Submission(models.Model):
    """An office's figures of one month for the catalogue's submitted metrics: one version. A draft
    is the office's to fill and submit; the regional analyst approves it or returns it with a
    comment per figure; an approved version never changes: a correction is the next version, with
    its reason, and when it is approved the one before is superseded. The summary reads the
    approved versions as they stood on its "as of" day (MonthlyFigure)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("submission status", "draft")
        SUBMITTED = "submitted", pgettext_lazy("submission status", "submitted")
        RETURNED = "returned", pgettext_lazy("submission status", "returned")
        APPROVED = "approved", pgettext_lazy("submission status", "approved")
        SUPERSEDED = "superseded", pgettext_lazy("submission status", "superseded")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("office")
    )
    month = models.DateField(_("month"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "organisation", "-version"]
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month", "version"], name="one_submission_version"),
            # At most one version of an office's month is being worked on (not approved nor superseded).
            models.UniqueConstraint(
                fields=["organisation", "month"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_submission",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.month:%Y-%m} v{self.version}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class SubmissionValue(models.Model):
    """One figure of a submission, and the analyst's comment on it when the version was returned."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(_("metric"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    comment = models.TextField(_("analyst's comment"), blank=True)

    class Meta:
        ordering = ["submission", "code"]
        constraints = [models.UniqueConstraint(fields=["submission", "code"], name="one_value_per_metric")]

    def __str__(self):
        return f"{self.submission_id} {self.code}: {self.value}"


class SubmissionEvent(Event):
    class Kind(models.TextChoices):
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", pgettext_lazy("submission status", "submitted")
        RETURNED = "returned", pgettext_lazy("submission status", "returned")
        APPROVED = "approved", pgettext_lazy("submission status", "approved")
        CORRECTED = "corrected", _("correction started")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self):
        return f"{self.submission_id} {self.kind}"


class LockedMonth(models.Model):
    """A month the analyst locked: its submissions change no more (nor are corrected)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    locked_at = models.DateTimeField(_("locked"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="one_lock_per_month")]

    def __str__(self):
        return f"{self.region_id} {self.month:%Y-%m}"
