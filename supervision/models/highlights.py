"""Highlights: a short text in kk/ru/en about a notable case, act, project or facility, for the
results summary. Its numbers are placeholders bound to the record (`{damage}`, `{convicted}`...,
supervision.highlights), never typed; a prosecutor approves it for publication, which is refused
while a text holds an IIN, a phone number or a minor's name."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from lib.metrics import Area
from lib.models import Event


class HighlightQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Highlight.Status.APPROVED)


class Highlight(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved for publication")
        WITHDRAWN = "withdrawn", _("withdrawn")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    # The day the highlight belongs to: the summary of a period quotes its period's approved ones.
    on = models.DateField(_("date"))
    # The one record the text is about (the constraint below): its numbers fill the placeholders.
    case = models.ForeignKey(
        "supervision.CriminalCase", null=True, blank=True, on_delete=models.PROTECT, related_name="highlights"
    )
    act = models.ForeignKey(
        "supervision.SupervisoryAct", null=True, blank=True, on_delete=models.PROTECT, related_name="highlights"
    )
    project = models.ForeignKey(
        "supervision.InvestmentProject", null=True, blank=True, on_delete=models.PROTECT, related_name="highlights"
    )
    facility = models.ForeignKey(
        "supervision.SocialFacility", null=True, blank=True, on_delete=models.PROTECT, related_name="highlights"
    )
    text_kk = models.TextField(_("text (Kazakh)"), max_length=2000)
    text_ru = models.TextField(_("text (Russian)"), max_length=2000)
    text_en = models.TextField(_("text (English)"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("recorded"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = HighlightQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("highlight")
        verbose_name_plural = _("highlights")
        indexes = [models.Index(fields=["region", "status", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(case__isnull=False, act__isnull=True, project__isnull=True, facility__isnull=True)
                    | Q(case__isnull=True, act__isnull=False, project__isnull=True, facility__isnull=True)
                    | Q(case__isnull=True, act__isnull=True, project__isnull=False, facility__isnull=True)
                    | Q(case__isnull=True, act__isnull=True, project__isnull=True, facility__isnull=False)
                ),
                name="highlight_one_record",
            )
        ]

    def __str__(self):
        return f"{self.on} {self.get_area_display()}"

    @property
    def record(self):
        return self.case or self.act or self.project or self.facility


class HighlightEvent(Event):
    class Kind(models.TextChoices):
        WRITTEN = "written", _("written")
        CHANGED = "changed", _("changed")
        APPROVED = "approved", _("approved for publication")
        REFUSED = "refused", _("publication refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    highlight = models.ForeignKey(Highlight, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("highlight event")
        verbose_name_plural = _("highlight events")

    def __str__(self):
        return f"{self.highlight} {self.kind}"
