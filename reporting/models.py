"""The metric catalogue: every figure the board may read, computed from Tartip's records or submitted
and imported per organisation and period (later issues fill those).

A computed metric's row mirrors its declaration in a fact app's `metrics.py` (lib.metrics): the
rows are synced by code when migrating (reporting.catalogue.sync), the administrator edits only
their names, hedging and order, and a metric removed from the code is retired, never deleted (a
summary computed earlier still names it). Submitted and imported metrics are rows the
administrator adds without a code change.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Localized
from lib.i18n import localized
from lib.metrics import Aggregation, Area, Hedging, Kind, Source, Unit
from lib.models import Event

# The dates a summary may name: a year before them has no records, and after them the day
# arithmetic overflows (a typing slip, not a period). A reading rule from FIRST_DAY holds for all.
FIRST_DAY, LAST_DAY = date(1991, 1, 1), date(2999, 12, 31)


class MetricQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)


class Metric(Localized):
    code = models.CharField(_("code"), max_length=80, unique=True)
    definition_kk = models.TextField(_("definition (Kazakh)"), blank=True)
    definition_ru = models.TextField(_("definition (Russian)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    kind = models.CharField(_("flow or stock"), max_length=10, choices=Kind.choices)
    aggregation = models.CharField(_("over districts"), max_length=10, choices=Aggregation.choices)
    rise_is_good = models.BooleanField(_("a rise is good"), null=True, blank=True)
    hedging = models.CharField(_("hedging in texts"), max_length=20, choices=Hedging.choices, default=Hedging.EXACT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts", verbose_name=_("part of")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # A computed metric's group (lib.metrics.MetricGroup.name) and dimensions, as the code declares them.
    group = models.CharField(_("computed by"), max_length=80, blank=True)
    dimensions = models.JSONField(_("broken down by"), default=list, blank=True)
    version = models.PositiveIntegerField(_("definition version"), default=1)
    order = models.IntegerField(_("order"), default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = MetricQuerySet.as_manager()

    class Meta:
        ordering = ["area", "order", "code"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self):
        return f"{self.code} · {self.name}"

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def computed(self) -> bool:
        return self.source == Source.COMPUTED


class MetricReading(models.Model):
    """Which source the summary reads for a metric that is both computed and submitted: from
    `starts_on` on (a period is read by the rule in force on its first day); without a rule, the
    metric's own source."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="readings", verbose_name=_("metric"))
    starts_on = models.DateField(_("from"))
    source = models.CharField(_("the summary reads"), max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["metric", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["metric", "starts_on"], name="one_reading_per_day")]
        verbose_name = _("source read by the summary")
        verbose_name_plural = _("sources read by the summary")

    def __str__(self):
        return f"{self.metric.code} {self.starts_on}: {self.source}"


class MetricRule(models.Model):
    """A consistency rule between two submitted metrics of one office and month, checked as the
    office fills in its submission: `lesser` may not exceed `greater` (verdicts <= cases in court)."""

    lesser = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+", verbose_name=_("this figure"))
    greater = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="rules_as_greater", verbose_name=_("may not exceed")
    )

    class Meta:
        ordering = ["lesser", "greater"]
        constraints = [models.UniqueConstraint(fields=["lesser", "greater"], name="one_rule_per_pair")]
        verbose_name = _("consistency rule")
        verbose_name_plural = _("consistency rules")

    def __str__(self):
        return f"{self.lesser.code} <= {self.greater.code}"


class Cell(models.Model):
    """A metric group's counts over the facts of one local day (or month) of a region, recorded on
    one day (or in one month), for one district and one combination of its dimensions' keys:
    the aggregates the summary sums instead of reading every fact (reporting.cells keeps them)."""

    class Grain(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")

    group = models.CharField(max_length=64)
    grain = models.CharField(max_length=5, choices=Grain.choices)
    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    # The first day of the cell's effective (and recorded) day or month, local to the region.
    effective = models.DateField()
    recorded = models.DateField()
    district = models.ForeignKey(
        "accounts.District", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The dimensions' keys, in the group's order, as a JSON list: one text the database groups by.
    keys = models.TextField()
    sensitive = models.BooleanField(default=False)
    # The counted metrics' values, in the group's order (a group counts at most VALUES of them):
    # columns the database sums.
    v0 = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    v1 = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    v2 = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    v3 = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    v4 = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    v5 = models.DecimalField(max_digits=24, decimal_places=4, default=0)

    VALUES = ("v0", "v1", "v2", "v3", "v4", "v5")

    class Meta:
        indexes = [models.Index(fields=["group", "region", "grain", "effective"], name="cell_lookup")]

    def __str__(self):
        return f"{self.group} {self.grain} {self.effective} {self.keys}"


class CellMark(models.Model):
    """How far the cells of a feed's groups follow its log (lib.metrics.Feed): every row up to
    `after` is counted, and so are those in `pending`, ids below `after` that were not yet
    visible when it was read (a writer's transaction committing after a later one's), looked at
    again until they appear or expire. `signature` names the groups' definitions the cells were
    built for: another rebuilds them."""

    feed = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=64)
    after = models.BigIntegerField(default=0)
    pending = models.JSONField(default=dict)  # id -> when it was first missed (ISO)
    built_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.feed} after {self.after}"


class SentenceTemplate(models.Model):
    """A sentence of the summary's text, in each language (reporting.sentences): declared by a fact
    app beside its metrics (lib.metrics.Sentence), copied here when migrating, then the board
    secretary's to edit. A sentence no longer declared is retired, never deleted."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_en = models.TextField(_("text (English)"))
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("summary sentence")
        verbose_name_plural = _("summary sentences")

    def __str__(self):
        return self.code

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}")


class ResultsSummary(models.Model):
    """A results summary the office prepares for a board: what it covers (the region, or some of its
    districts), the period and its comparison base. Its text, figures and approvals are its
    versions' (SummaryVersion)."""

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    # None chosen: the whole region. A city chosen brings its city districts (reporting.policy).
    districts = models.ManyToManyField("accounts.District", blank=True, related_name="+", verbose_name=_("districts"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # Both empty: the same dates one year earlier.
    base_start = models.DateField(_("base from"), null=True, blank=True)
    base_end = models.DateField(_("base to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-created_at", "-id"]
        verbose_name = _("results summary")
        verbose_name_plural = _("results summaries")

    def __str__(self):
        return self.title


class SummaryVersion(models.Model):
    """One version of a results summary. A draft's text is the analyst's and its figures are
    computed when read; approving freezes the figures (with their definitions' versions) and the
    text as written in each language; publishing makes that frozen version the office's. A
    published version never changes: the next is made from it (reporting.services)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    summary = models.ForeignKey(ResultsSummary, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    made_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("made from")
    )
    # The text in each language (reporting.sentences: "#" headings, a sentence template a line);
    # empty: the catalogue's sentences.
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    # Frozen when approved: the "as of" day, and in each language the figures as computed then
    # (named in it), the summary's notes and the text as it read ({language: [...]}).
    as_of = models.DateField(_("as of"), null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    paragraphs = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["summary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="one_number_per_summary_version"),
        ]
        verbose_name = _("results summary version")
        verbose_name_plural = _("results summary versions")

    def __str__(self):
        return f"{self.summary} v{self.number}"

    @property
    def frozen(self) -> bool:
        return self.state != self.State.DRAFT

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}")


class SummaryEvent(Event):
    """A step of a summary version's way: its making, each text saved, the approval, a return to
    a draft, the publication (the version's history; reporting.services appends them)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        TEXT_SAVED = "text_saved", _("text saved")
        APPROVED = "approved", _("approved")
        SENT_BACK = "sent_back", _("sent back to a draft")
        PUBLISHED = "published", _("published")

    version = models.ForeignKey(SummaryVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("summary event")
        verbose_name_plural = _("summary events")

    def __str__(self):
        return f"{self.version} {self.kind}"


class PressRelease(models.Model):
    """The press release written from a published summary version (reporting.press): the region's
    (`office` None) or a district-level office's, with its own figures. A headline and a body in each
    language; a draft until the press service approves it, a draft again when edited after that or
    reopened. Writing the drafts again refreshes the drafts only: an approved release is kept."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    version = models.ForeignKey(
        SummaryVersion, on_delete=models.CASCADE, related_name="press_releases", verbose_name=_("summary version")
    )
    office = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    headline_kk = models.CharField(_("headline (Kazakh)"), max_length=300)
    headline_ru = models.CharField(_("headline (Russian)"), max_length=300)
    headline_en = models.CharField(_("headline (English)"), max_length=300)
    body_kk = models.TextField(_("text (Kazakh)"))
    body_ru = models.TextField(_("text (Russian)"))
    body_en = models.TextField(_("text (English)"))
    # What the draft was last written from (reporting.press): the districts, the "as of" day, the
    # metrics whose figures it says and the highlights it quotes (provenance, never shown published).
    sources = models.JSONField(default=dict, blank=True)
    written_at = models.DateTimeField(_("written"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "office__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "office"], name="one_press_release_per_office"),
            # NULL offices are never equal in a unique constraint: the region's has its own.
            models.UniqueConstraint(
                fields=["version"], condition=models.Q(office__isnull=True), name="one_regional_press_release"
            ),
        ]
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def __str__(self):
        return f"{self.version} · {self.office.code if self.office_id else '-'}"

    def headline(self, language: str) -> str:
        return getattr(self, f"headline_{language}")

    def body(self, language: str) -> str:
        return getattr(self, f"body_{language}")


class PressReleaseEvent(Event):
    """A step of a press release's way: written, written again, its text saved, approved, reopened
    (reporting.press_services appends them)."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("written from the summary")
        REWRITTEN = "rewritten", _("written again from the summary")
        TEXT_SAVED = "text_saved", _("text saved")
        APPROVED = "approved", _("approved")
        REOPENED = "reopened", _("back to a draft")

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("press release event")
        verbose_name_plural = _("press release events")

    def __str__(self):
        return f"{self.release} {self.kind}"
