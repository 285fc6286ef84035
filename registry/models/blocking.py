"""Blocking requests to the partners, their items and what the partners answered, each step dated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import Event

from .indicators import Indicator


class BlockingRequest(models.Model):
    """A letter asking one addressee (a bank, the antifraud centre, the Ministry of Culture and
    Information, a platform's representative) to block the indicators it lists: drafted by the
    analyst, numbered and dated by the sending office's outgoing register when sent, answered item
    by item by the partner. It carries the indicators and the legal basis only, never a report's
    text nor a reporter."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        PARTLY_ANSWERED = "partly_answered", _("partly answered")
        ANSWERED = "answered", _("answered")

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    addressee = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("addressee")
    )
    office = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("sending office")
    )
    language = models.CharField(_("language of the letter"), max_length=2, choices=Language.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Given by the office's outgoing register when the request is sent (supervision.numbering).
    outgoing_number = models.CharField(_("outgoing number"), max_length=80, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("fully answered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["addressee", "status"], name="blocking_request_by_addressee")]
        verbose_name = _("blocking request")
        verbose_name_plural = _("blocking requests")

    def __str__(self):
        return f"{self.outgoing_number or self.pk} {self.addressee}"


class BlockingItem(models.Model):
    """One indicator of a blocking request and what the addressee answered about it: blocked (with
    the amount frozen, in tenge), refused or not found; a block later lifted or expired. Each step
    keeps its day as the partner gives it, and is an event of the request."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        BLOCKED = "blocked", _("blocked")
        REFUSED = "refused", _("refused")
        NOT_FOUND = "not_found", _("not found")
        UNBLOCKED = "unblocked", _("unblocked")
        BLOCK_EXPIRED = "block_expired", _("block expired")

    request = models.ForeignKey(BlockingRequest, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="blocking_items")
    status = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.REQUESTED)
    amount = models.DecimalField(_("amount frozen, tenge"), max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("partner's note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The local days of the steps as the partner gives them.
    answered_on = models.DateField(_("blocked, refused or not found on"), null=True, blank=True)
    ended_on = models.DateField(_("unblocked or expired on"), null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            # An indicator awaiting an answer is in one request only: never requested twice.
            models.UniqueConstraint(
                fields=["indicator"], condition=models.Q(status="requested"), name="one_open_blocking_item"
            ),
        ]
        verbose_name = _("blocking item")
        verbose_name_plural = _("blocking items")

    def __str__(self):
        return f"{self.request_id} {self.indicator_id} {self.status}"


class BlockingEvent(Event):
    """A change of a blocking request or of one of its items: drafted, sent, an item answered, a
    block lifted or expired, an item left out of a draft. `day` is the local day the step took
    effect (the partner's date of blocking), `at` when Tartip recorded it: the results summary
    counts a block by its day, as recorded by its "as of" day."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("drafted")
        REMOVED = "removed", _("item left out")
        SENT = "sent", _("sent")
        BLOCKED = "blocked", _("blocked")
        REFUSED = "refused", _("refused")
        NOT_FOUND = "not_found", _("not found")
        UNBLOCKED = "unblocked", _("unblocked")
        BLOCK_EXPIRED = "block_expired", _("block expired")

    request = models.ForeignKey(BlockingRequest, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(BlockingItem, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("day"))
    # The amount frozen, on a "blocked" event; the days from sending to the answer, on an answer.
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    answer_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["kind", "day"], name="blocking_event_by_day")]
        verbose_name = _("blocking event")
        verbose_name_plural = _("blocking events")

    def __str__(self):
        return f"{self.request_id} {self.kind}"
