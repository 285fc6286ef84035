"""Criminal cases under the office's control: each case's own facts (its ERDR number, article,
district, flags), and every change of its stage, persons and amounts as a dated event carrying the
case as it stood after the change, so a stock ("16 under investigation", "7 in custody") is counted
as of any day from the events alone (supervision.case_metrics), the base year's included.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District, Organisation, Region
from lib.models import Event

from ..scoping import office_records_for
from .crime import Gravity


class Stage(models.TextChoices):
    PRETRIAL = "pretrial", _("pre-trial investigation")
    COURT = "court", _("sent to court")
    VERDICT = "verdict", _("verdict")
    APPEAL = "appeal", _("appeal")
    CLOSED = "closed", _("closed without trial")


class InvestigatingBody(models.TextChoices):
    POLICE = "police", _("internal affairs bodies")
    ANTI_CORRUPTION = "anti_corruption", _("anti-corruption service")
    FINANCIAL_MONITORING = "financial_monitoring", _("economic investigation service")
    NATIONAL_SECURITY = "national_security", _("national security bodies")
    SPECIAL_PROSECUTORS = "special_prosecutors", _("special prosecutors")
    OTHER = "other", pgettext_lazy("investigating body", "other")


class DropperArticle(models.TextChoices):
    """The Criminal Code's articles a "dropper" case is brought under: fraud (Art. 190) or the
    illegal use of a payment instrument or account (Art. 232-1)."""

    NONE = "", _("not a dropper case")
    ART_190 = "190", _("Art. 190")
    ART_232_1 = "232-1", _("Art. 232-1")


class CriminalCaseQuerySet(models.QuerySet):
    def for_user(self, user):
        """The cases `user` may read: the controlling office's prosecutors, a district prosecutor's
        districts, the region-wide roles the region (supervision.scoping.office_records_for)."""
        return office_records_for(user, self)


class CriminalCase(models.Model):
    """A criminal case the prosecutor's office keeps under control. Its stage, persons and amounts
    here are the latest event's (CaseEvent): written only by supervision.services.cases, which
    appends the event first."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="controlled_cases", verbose_name=_("controlling office")
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    erdr_number = models.CharField(_("ERDR number"), max_length=15, unique=True)
    registered_on = models.DateField(_("registered in the ERDR"))
    article = models.CharField(_("article of the Criminal Code"), max_length=10)
    article_part = models.CharField(_("part"), max_length=10, blank=True)
    gravity = models.CharField(_("gravity"), max_length=20, choices=Gravity.choices, blank=True)
    investigating_body = models.CharField(_("investigating body"), max_length=30, choices=InvestigatingBody.choices)
    initiated_by_prosecutor = models.BooleanField(_("initiated by the prosecutor's office"), default=False)
    summary = models.TextField(
        _("summary"), max_length=2000, help_text=_("What the case is about, without names of private persons")
    )
    # Flags.
    high_profile = models.BooleanField(_("high-profile"), default=False)
    special_control = models.BooleanField(_("under special control"), default=False)
    corruption = models.BooleanField(_("corruption"), default=False)
    economic = models.BooleanField(_("economic"), default=False)
    drugs = models.BooleanField(_("drugs"), default=False)
    drug_lab = models.BooleanField(_("drug laboratory liquidated"), default=False)
    drug_shop = models.BooleanField(_("drug shop liquidated"), default=False)
    dropper_article = models.CharField(
        _("dropper case"), max_length=10, choices=DropperArticle.choices, blank=True, default=DropperArticle.NONE
    )
    by_minor = models.BooleanField(_("committed by a minor"), default=False)
    against_minor = models.BooleanField(_("committed against a minor"), default=False)
    # As of the latest event (CaseEvent holds each day's).
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PRETRIAL)
    stage_on = models.DateField(_("stage since"))
    charged = models.PositiveIntegerField(_("persons charged"), default=0)
    in_custody = models.PositiveIntegerField(_("persons in custody"), default=0)
    damage = models.DecimalField(_("damage, tenge"), max_digits=18, decimal_places=2, default=0)
    recovered = models.DecimalField(_("recovered, tenge"), max_digits=18, decimal_places=2, default=0)
    seized_kg = models.DecimalField(_("drugs seized, kg"), max_digits=12, decimal_places=3, default=0)
    convicted = models.PositiveIntegerField(_("persons convicted"), default=0)
    imprisoned = models.PositiveIntegerField(_("sentenced to imprisonment"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = CriminalCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        indexes = [models.Index(fields=["region", "registered_on"]), models.Index(fields=["office", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(recovered__lte=models.F("damage")) | Q(damage=0), name="case_recovered_le_damage"
            ),
            models.CheckConstraint(condition=Q(in_custody__lte=models.F("charged")), name="case_custody_le_charged"),
            models.CheckConstraint(
                condition=Q(imprisoned__lte=models.F("convicted")), name="case_imprisoned_le_convicted"
            ),
        ]

    def __str__(self):
        return self.erdr_number

    @property
    def article_display(self) -> str:
        return f"{self.article}-{self.article_part}" if self.article_part else self.article


class CaseEvent(Event):
    """One dated change of a case, carrying the case as it stood after it (the snapshot columns) and
    what the change added (`kg_added`, `recovered_added`), so flows (verdicts, kilograms seized) are
    read by the event's date and stocks by the latest event dated by a day. `on` is the change's own
    date; `at` (Event) when it was entered: read as of a moment, an event entered later does not
    count. A case's events are dated in the order they are entered (services.cases refuses a change
    dated before the case's latest)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("taken under control")
        STAGE = "stage", _("stage changed")
        PERSONS = "persons", _("persons charged or in custody changed")
        AMOUNTS = "amounts", _("damage, recovery or seizure recorded")
        VERDICT = "verdict", _("verdict")
        APPEAL = "appeal", _("appellate petition decided")

    case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    charged = models.PositiveIntegerField(default=0)
    in_custody = models.PositiveIntegerField(default=0)
    damage = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    recovered = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    seized_kg = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    convicted = models.PositiveIntegerField(default=0)
    imprisoned = models.PositiveIntegerField(default=0)
    kg_added = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    recovered_added = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    # An appellate petition's result (kind "appeal"): satisfied or not.
    appeal_satisfied = models.BooleanField(null=True, blank=True)

    class Meta(Event.Meta):
        ordering = ["on", "at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "on", "at"])]

    def __str__(self):
        return f"{self.case} {self.kind} {self.on}"
