"""The outreach log: a piece of outreach work of a project, by kind, district and day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outreach(models.Model):
    """A piece of outreach work logged by an office: how many brochures, publications, meetings or
    billboards, of which project, where and when, by whom (the reference documents' "more than
    25,000 brochures distributed, ... 1,500 meetings organized with the population")."""

    class Project(models.TextChoices):
        WITHOUT_FRAUD = "without_fraud", _("Territory Without Fraud")
        LAW_AND_ORDER = "law_and_order", _("Law and Order")
        CHILDREN = "children", _("children's rights")
        CRIME_PREVENTION = "crime_prevention", _("the Law “On Crime Prevention”")

    class Kind(models.TextChoices):
        BROCHURES = "brochures", _("brochures distributed")
        PUBLICATIONS = "publications", _("publications on social media")
        MEETINGS = "meetings", _("meetings with the population")
        BILLBOARDS = "billboards", _("informational billboards installed")
        ACTIVISTS = "activists", _("meetings with activists and volunteers")
        STUDENTS = "students", _("meetings with students of universities, colleges and schools")

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        "accounts.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("district"),
    )
    project = models.CharField(_("project"), max_length=20, choices=Project.choices)
    kind = models.CharField(_("kind of work"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(_("how many"))
    # The local day the work was done; `recorded_at` when it was logged (the summary's "as of").
    day = models.DateField(_("date"))
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    # Re-encoded without metadata (lib.photos) and served only to those who see the entry.
    photo = models.ImageField(_("photo"), upload_to="outreach/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["region", "day"], name="outreach_by_day")]
        verbose_name = _("outreach entry")
        verbose_name_plural = _("outreach log")

    def __str__(self):
        return f"{self.day} {self.get_kind_display()} {self.count}"
