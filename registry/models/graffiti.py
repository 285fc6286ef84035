"""Drug graffiti reported by citizens and followed until painted over, each change dated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import Event


class Graffiti(models.Model):
    """A drug advertisement painted on a wall, a fence or the pavement, as a citizen reported it (an
    offence report of the graffiti category, registry.policy.GRAFFITI_CATEGORIES): one record per
    report, its place as the report gives it, destroyed when the body's answer shows it painted over
    with a photo (the reference document's "over 300 drug advertisements (graffiti) destroyed").

    The status is the record's state now; the figures read its dated events (GraffitiEvent), so a
    destruction later withdrawn (the answer returned) is counted right as of any day."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        DESTROYED = "destroyed", _("destroyed")
        # The report was re-categorised out of the graffiti category: not a graffiti after all.
        DROPPED = "dropped", _("no longer a graffiti report")

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    district = models.ForeignKey(
        "accounts.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("district"),
    )
    report = models.OneToOneField(
        "signals.Report", on_delete=models.CASCADE, related_name="+", verbose_name=_("report")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The report's receipt; `recorded_at` when the registry took it in.
    reported_at = models.DateTimeField(_("reported"))
    recorded_at = models.DateTimeField(_("recorded"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)
    # The body's answer that showed it painted over (with a photo), while that answer stands.
    destroyed_by_answer = models.ForeignKey(
        "signals.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answer showing it painted over"),
    )

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["region", "district", "status"], name="graffiti_by_district")]
        verbose_name = _("graffiti")
        verbose_name_plural = _("graffiti")

    def __str__(self):
        return f"{self.address or self.report_id} {self.status}"


class GraffitiEvent(Event):
    """A change of a graffiti record. `at` is when it took effect (a record's receipt, the answer
    that showed it painted over, the return that withdrew it), `recorded_at` when the registry wrote
    it. A "recorded" or "destroyed" event holds until the moment in `until` (the record dropped, the
    destruction withdrawn; null: it still holds), so a figure as of any moment counts the events
    that held then (registry.metrics)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        DESTROYED = "destroyed", _("destroyed (painted over)")
        WITHDRAWN = "withdrawn", _("destruction withdrawn")
        DROPPED = "dropped", _("report re-categorised: not a graffiti")

    graffiti = models.ForeignKey(Graffiti, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=20, choices=Graffiti.Status.choices)
    answer = models.ForeignKey(
        "signals.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("answer")
    )
    recorded_at = models.DateTimeField(_("recorded"))
    until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta(Event.Meta):
        indexes = [
            models.Index(fields=["graffiti", "at"], name="graffiti_event_at"),
            models.Index(fields=["kind", "at"], name="graffiti_event_kind_at"),
        ]
        verbose_name = _("graffiti event")
        verbose_name_plural = _("graffiti events")

    def __str__(self):
        return f"{self.graffiti_id} {self.kind} {self.at:%Y-%m-%d}"
