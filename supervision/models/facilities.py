"""Social facilities built from assets returned to the state: each change of status or progress a
dated event, so "12 facilities, 4 completed" is counted as of any day; shown on the offline map."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District, Organisation, Region
from lib.models import Event

from ..scoping import office_records_for


class FacilityQuerySet(models.QuerySet):
    def for_user(self, user):
        return office_records_for(user, self)


class SocialFacility(models.Model):
    class Type(models.TextChoices):
        SCHOOL = "school", _("school")
        KINDERGARTEN = "kindergarten", _("kindergarten")
        SPORTS = "sports", _("sports facility")
        PLAYGROUND = "playground", _("playground")
        MEDICAL = "medical", _("medical facility")
        HOUSING = "housing", _("housing")
        CULTURE = "culture", _("cultural facility")
        OTHER = "other", pgettext_lazy("facility type", "other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        BUILDING = "building", _("under construction")
        COMPLETED = "completed", _("completed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("prosecutor's office")
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    name = models.CharField(_("facility"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    amount = models.DecimalField(_("amount, tenge"), max_digits=18, decimal_places=2)
    # The case or act whose returned assets pay for it (at least one: the constraint below).
    source_case = models.ForeignKey(
        "supervision.CriminalCase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("source case"),
    )
    source_act = models.ForeignKey(
        "supervision.SupervisoryAct",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("source act"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    # As of the latest event (FacilityEvent holds each day's).
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    percent_done = models.PositiveSmallIntegerField(_("percent done"), default=0)
    started_on = models.DateField(_("construction started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("social facility")
        verbose_name_plural = _("social facilities")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="facility_amount_not_negative"),
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="facility_percent_le_100"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False), name="facility_completed_has_date"
            ),
            models.CheckConstraint(
                condition=Q(source_case__isnull=False) | Q(source_act__isnull=False), name="facility_has_source"
            ),
        ]

    def __str__(self):
        return self.name


class FacilityEvent(Event):
    """A dated change of a facility: its status and percent done after it."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        PROGRESS = "progress", _("progress recorded")
        COMPLETED = "completed", _("completed")

    facility = models.ForeignKey(SocialFacility, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=SocialFacility.Status.choices)
    percent_done = models.PositiveSmallIntegerField(default=0)

    class Meta(Event.Meta):
        ordering = ["on", "at", "id"]
        verbose_name = _("facility event")
        verbose_name_plural = _("facility events")
        indexes = [models.Index(fields=["facility", "on", "at"])]

    def __str__(self):
        return f"{self.facility} {self.kind} {self.on}"


class FacilityPhoto(models.Model):
    """A photo of a facility's progress."""

    facility = models.ForeignKey(SocialFacility, on_delete=models.CASCADE, related_name="photos")
    # Re-encoded without metadata (lib.photos.clean_photo) and served only to those who see the facility.
    image = models.ImageField(_("photo"), upload_to="facilities/%Y/%m/")
    taken_on = models.DateField(_("date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("facility photo")
        verbose_name_plural = _("facility photos")

    def __str__(self):
        return f"{self.facility} {self.pk}"
