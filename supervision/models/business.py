"""Investment projects under the office's supervision, each change of status a dated event so that
"110 projects under supervision" is counted as of any day. The rest of the board's "business and
investors" section (investors protected, illegal inspections, annulled rulings, tariffs) is acts of
response (SupervisoryAct.business_matter and its beneficiary counts)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation, Region
from lib.models import Event

from ..scoping import office_records_for


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return office_records_for(user, self)


class InvestmentProject(models.Model):
    class Level(models.TextChoices):
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")

    class Status(models.TextChoices):
        SUPERVISED = "supervised", _("under supervision")
        COMMISSIONED = "commissioned", _("commissioned")
        REMOVED = "removed", _("removed from supervision")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="supervised_projects", verbose_name=_("supervising office")
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    name = models.CharField(_("project"), max_length=300)
    investor = models.CharField(_("investor"), max_length=300, help_text=_("The investing company"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    amount = models.DecimalField(_("investment, tenge"), max_digits=18, decimal_places=2)
    # As of the latest event (ProjectEvent holds each day's).
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUPERVISED)
    problems_solved = models.PositiveIntegerField(_("problems solved"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative")]

    def __str__(self):
        return self.name


class ProjectEvent(Event):
    """A dated change of a project: its status after it, and the problems it solved (added)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("taken under supervision")
        STATUS = "status", _("status changed")
        PROBLEMS = "problems", _("problems solved")

    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=InvestmentProject.Status.choices)
    problems_added = models.PositiveIntegerField(default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta(Event.Meta):
        ordering = ["on", "at", "id"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        indexes = [models.Index(fields=["project", "on", "at"])]

    def __str__(self):
        return f"{self.project} {self.kind} {self.on}"
