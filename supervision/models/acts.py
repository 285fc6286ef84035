"""Acts of prosecutorial response: born with the oversight of offence reports (their letters and
outcomes), extended by the results of supervision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District, Organisation, Region
from accounts.scoping import is_region_wide, work_district_ids
from lib.metrics import Area
from lib.models import Event

from ..scoping import ACT_READERS


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


class BusinessMatter(models.TextChoices):
    """What an act protecting business is about (the board's "business and investors" section)."""

    NONE = "", _("not a business matter")
    INVESTOR = "investor", _("protection of an investor")
    ILLEGAL_INSPECTION = "illegal_inspection", _("illegal inspection")
    ANNULLED_RULING = "annulled_ruling", _("ruling annulled, entrepreneurs freed")
    TARIFF = "tariff", _("tariff reduced")


BENEFICIARY_FIELDS = ("citizens", "equity_holders", "orphans", "investors", "entrepreneurs")


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
    # The officials the addressee held accountable, as given with the outcome, by the kind of liability.
    officials_disciplined = models.PositiveSmallIntegerField(_("officials held to disciplinary liability"), default=0)
    officials_administrative = models.PositiveSmallIntegerField(
        _("officials held to administrative liability"), default=0
    )
    officials_criminal = models.PositiveSmallIntegerField(_("officials held to criminal liability"), default=0)
    # What the act is about, for the summary's sections (lib.metrics.Area); blank: not said.
    area = models.CharField(_("area"), max_length=30, choices=Area.choices, blank=True)
    business_matter = models.CharField(
        _("business matter"), max_length=30, choices=BusinessMatter.choices, blank=True, default=BusinessMatter.NONE
    )
    violations = models.PositiveIntegerField(_("violations identified"), default=0)
    # Beneficiaries as counts by group, never identities. An act about people another act already
    # counted names that act and counts none itself (the constraint below), so nobody counts twice.
    citizens = models.PositiveIntegerField(_("citizens whose rights were restored"), default=0)
    equity_holders = models.PositiveIntegerField(_("shared-equity holders"), default=0)
    orphans = models.PositiveIntegerField(_("orphans given housing"), default=0)
    investors = models.PositiveIntegerField(_("investors protected"), default=0)
    entrepreneurs = models.PositiveIntegerField(_("entrepreneurs"), default=0)
    beneficiaries_counted_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beneficiaries already counted by"),
    )
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
            ),
            models.CheckConstraint(
                condition=Q(beneficiaries_counted_by__isnull=True)
                | Q(citizens=0, equity_holders=0, orphans=0, investors=0, entrepreneurs=0),
                name="act_beneficiaries_counted_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.outgoing_number or self.pk}"


class SupervisoryActEvent(Event):
    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        CHANGED = "changed", _("details corrected")
        LETTER = "letter", _("letter produced")
        OUTCOME = "outcome", _("outcome recorded")
        AMOUNT = "amount", _("amount recorded")

    act = models.ForeignKey(SupervisoryAct, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("act event")
        verbose_name_plural = _("act events")

    def __str__(self):
        return f"{self.act} {self.kind}"


class ActAmount(Event):
    """One dated amount of an act: assessed (damage, fines), recovered, budget misuse prevented,
    reimbursed, of which to the state budget. An act's figure is the sum of its entries dated by a
    day and entered (`at`) by a moment: amounts change only by appending entries, so any earlier day
    reads as it stood. Recovered never exceeds assessed, nor the state budget's share the reimbursed
    (services.acts checks each act's running totals)."""

    class Heading(models.TextChoices):
        DAMAGE = "damage", _("damage assessed")
        FINES = "fines", _("fines assessed")
        RECOVERED = "recovered", _("recovered")
        MISUSE_PREVENTED = "misuse_prevented", _("budget misuse prevented")
        REIMBURSED = "reimbursed", _("reimbursed to the budget")
        TO_STATE_BUDGET = "to_state_budget", _("of which to the state budget")

    class Recovery(models.TextChoices):
        NONE = "", _("not said")
        VOLUNTARY = "voluntary", _("voluntarily")
        COURT = "court", _("through the courts")

    act = models.ForeignKey(SupervisoryAct, on_delete=models.CASCADE, related_name="amounts")
    heading = models.CharField(_("heading"), max_length=20, choices=Heading.choices)
    amount = models.DecimalField(_("amount, tenge"), max_digits=18, decimal_places=2)
    on = models.DateField(_("date"))
    preliminary = models.BooleanField(_("preliminary"), default=False)
    recovery = models.CharField(_("recovery"), max_length=20, choices=Recovery.choices, blank=True, default="")

    class Meta(Event.Meta):
        ordering = ["on", "at", "id"]
        verbose_name = _("amount of an act")
        verbose_name_plural = _("amounts of acts")
        indexes = [models.Index(fields=["act", "heading"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="act_amount_positive")]

    def __str__(self):
        return f"{self.act} {self.heading} {self.amount}"


ASSESSED_HEADINGS = (ActAmount.Heading.DAMAGE, ActAmount.Heading.FINES)


class OutgoingCounter(models.Model):
    """The last outgoing number an office gave in a year: taken only when a letter is produced."""

    office = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_outgoing_counter_per_office_year")]

    def __str__(self):
        return f"{self.office} {self.year}: {self.last}"
