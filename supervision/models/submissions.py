"""The offices' monthly submissions of the catalogue's submitted metrics."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, Region
from lib.models import Event

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
