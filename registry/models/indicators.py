"""The registry's indicators: each (an account, a card, a phone, a link...) kept once per region in
its normal form (registry.indicators), every sighting of it with its source, every change of its
status as a dated event, so that the registry is counted as of any day; the links between those
seen together (networks); the values never taken; the partners' lookups.

A card's number and a person's IIN or a company's BIN are kept encrypted and found by their keyed
hash; the other kinds are kept as they are (they are what banks and platforms are asked to block).

The bulk tables (indicators, sightings, their events and links, a notice's rows) carry their keys
without database constraints (`db_constraint=False`): a bank's notice writes hundreds of thousands
of rows, and PostgreSQL's check of each key (a query and a row lock a key, at the commit) took a
third of the writing. Nothing deletes these rows but Django, which applies each key's `on_delete`
itself; the keys are written by registry.services under one turn (networks.take_turn), and the
tests check after each reading that none points nowhere.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField
from lib.models import Event

from ..indicators import SECRET_KINDS, Kind


class Status(models.TextChoices):
    SUSPECTED = "suspected", _("suspected")
    CONFIRMED = "confirmed", _("confirmed")
    # An unconfirmed indicator forgotten (registry.services.indicators_expire): not a block's end.
    EXPIRED = "expired", _("expired")
    # A confirmed indicator's blocking, as its latest blocking item stands (registry.services.blocking).
    BLOCKING_REQUESTED = "blocking_requested", _("blocking requested")
    BLOCKED = "blocked", _("blocked")
    REFUSED = "refused", _("blocking refused")
    NOT_FOUND = "not_found", _("not found by the addressee")
    UNBLOCKED = "unblocked", _("unblocked")
    BLOCK_EXPIRED = "block_expired", _("block expired")


class Indicator(models.Model):
    # Not indexed alone: the unique value's index reads a region's rows (and a notice's batch
    # writes tens of thousands of rows, each index a cost per row). No key constraint (above).
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The normal form, empty for the secret kinds (registry.indicators.SECRET_KINDS), whose form is
    # in `secret`; `value_hash` is the keyed hash of "<kind>:<normal form>" either way.
    value = models.CharField(_("value"), max_length=400, blank=True)
    secret = EncryptedTextField(_("value (encrypted)"), blank=True)
    value_hash = models.CharField(max_length=80, editable=False)
    shown = models.CharField(_("shown as"), max_length=400)
    details = models.JSONField(default=dict, blank=True)
    bank = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bank"),
        db_index=False,  # indexed where set only (Meta)
        db_constraint=False,
    )
    # Where it was first seen (its confirmation counts there in the results summary).
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUSPECTED)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    # An unconfirmed indicator (and what it names) is forgotten after a while (settings).
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # Its network (registry.services.networks): how many indicators it is linked to, and the label
    # of its connected component (NULL while it has no link, and for a hub, which joins none).
    links = models.PositiveIntegerField(_("links"), default=0)
    network = models.BigIntegerField(_("network"), null=True, blank=True)
    # On the row whose id labels a component: how many indicators it holds (0 on the others).
    network_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            # The hash first: it also finds a value in every region (the lookup API), with no index of its own.
            models.UniqueConstraint(fields=["value_hash", "region", "kind"], name="one_indicator_per_value"),
        ]
        indexes = [
            models.Index(fields=["bank"], condition=models.Q(bank__isnull=False), name="indicator_by_bank"),
            # A component's members, the most linked first (its central indicator); with what the
            # largest networks of a period join on a member, read from the index alone (PostgreSQL).
            models.Index(
                fields=["network", "links"],
                include=["id", "kind", "region"],
                condition=models.Q(network__isnull=False),
                name="indicator_by_network",
            ),
            # The components from the largest down, by their label's row (the largest networks of a period).
            models.Index(
                fields=["-network_size", "id"], condition=models.Q(network_size__gt=1), name="indicator_network_by_size"
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.get_kind_display()} {self.shown}"

    def hold(self, found) -> None:
        """Keep a value read by registry.indicators: a secret kind's in `secret`, the others' in
        `value`, with its hash, what is shown and what it tells."""
        secret = found.kind in SECRET_KINDS
        self.kind, self.value_hash, self.shown, self.details = found.kind, found.hash, found.shown, found.details
        self.value, self.secret = ("", found.value) if secret else (found.value, "")


class Sighting(models.Model):
    """Where and when an indicator was seen: an offence report, a bank's or the antifraud centre's
    notice, police data, or a staff member's entry."""

    class Source(models.TextChoices):
        REPORT = "report", _("offence report")
        BANK_NOTICE = "bank_notice", _("bank's notice")
        ANTIFRAUD_NOTICE = "antifraud_notice", _("antifraud centre's notice")
        POLICE = "police", _("police data")
        MANUAL = "manual", _("entered by staff")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sightings", db_constraint=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The keys most sightings leave empty (a notice's have no report, actor or unlinking) are indexed
    # where set only (Meta): a notice writes hundreds of thousands of sightings.
    report = models.ForeignKey(
        "signals.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("report"),
        db_index=False,
        db_constraint=False,
    )
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    # When it was seen (a report's receipt), and when Tartip recorded it.
    at = models.DateTimeField(_("seen"))
    recorded_at = models.DateTimeField(_("recorded"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The one piece of a source the value was seen in with others: "report:<id>" (a report's text),
    # "notice:<id>:<row>" (a row of a bank's notice). Indicators sharing a context are linked in
    # a network (the same report, the same notice row: an account with its holder's IIN).
    context = models.CharField(max_length=80, blank=True, default="")
    # The amount a notice gives for the value (a transfer to a dropper's account), in tenge.
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2, null=True, blank=True)
    # When its links to the other values of its context were made (registry.services.networks.
    # links_add): NULL until then, so adding the links of a context twice adds nothing.
    linked_at = models.DateTimeField(null=True, blank=True)
    unlinked_at = models.DateTimeField(_("unlinked"), null=True, blank=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "report"], condition=models.Q(report__isnull=False), name="one_sighting_per_report"
            ),
        ]
        indexes = [
            models.Index(fields=["report"], condition=models.Q(report__isnull=False), name="sighting_by_report"),
            models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="sighting_by_actor"),
            models.Index(
                fields=["unlinked_by"], condition=models.Q(unlinked_by__isnull=False), name="sighting_unlinked_by"
            ),
            models.Index(fields=["context"], condition=~models.Q(context=""), name="sighting_by_context"),
            # An indicator's live sightings of a period with what a network's figures count, read
            # from the index alone (PostgreSQL): the largest networks of a period.
            models.Index(
                fields=["indicator", "at"],
                include=["district", "report", "amount"],
                condition=models.Q(unlinked_at__isnull=True),
                name="sighting_counted",
            ),
        ]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")

    def __str__(self):
        return f"{self.indicator} · {self.get_source_display()} {self.at:%Y-%m-%d}"

    @property
    def notice_row(self) -> tuple[int, int] | None:
        """(the notice's id, the row's number) of a sighting read from a notice's row."""
        kind, _colon, rest = self.context.partition(":")
        notice, _colon, row = rest.partition(":")
        return (int(notice), int(row)) if kind == "notice" and notice.isdigit() and row.isdigit() else None


class IndicatorEvent(Event):
    """A change of an indicator: found, confirmed, a sighting unlinked, expired."""

    class Kind(models.TextChoices):
        FOUND = "found", _("found")
        CONFIRMED = "confirmed", _("confirmed")
        UNLINKED = "unlinked", _("unlinked from a source")
        EXPIRED = "expired", _("expired")
        BLOCKING_REQUESTED = "blocking_requested", _("blocking requested")
        BLOCKED = "blocked", _("blocked")
        REFUSED = "refused", _("blocking refused")
        NOT_FOUND = "not_found", _("not found by the addressee")
        UNBLOCKED = "unblocked", _("unblocked")
        BLOCK_EXPIRED = "block_expired", _("block expired")

    # Not indexed alone: `indicator_event_at` reads an indicator's events.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="events", db_index=False, db_constraint=False
    )
    # Event's, indexed where set only: a notice's thousands of "found" events have no actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=20, choices=Status.choices)

    class Meta(Event.Meta):
        indexes = [
            models.Index(fields=["indicator", "at"], name="indicator_event_at"),
            models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="indicator_event_by_actor"),
        ]
        verbose_name = _("indicator event")
        verbose_name_plural = _("indicator events")

    def __str__(self):
        return f"{self.indicator} {self.kind}"


class IgnoredValue(models.Model):
    """A value never taken as an indicator: allow-listed by the administrator (the office's own
    numbers, banks' hotlines, emergency numbers, government, bank and marketplace domains), or
    unlinked by a staff member as wrongly taken, and so remembered."""

    class Reason(models.TextChoices):
        ALLOW_LIST = "allow_list", _("allow-listed")
        UNLINKED = "unlinked", _("unlinked as wrongly taken")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value_hash = models.CharField(max_length=80, editable=False)
    shown = models.CharField(_("value"), max_length=400)
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices, default=Reason.ALLOW_LIST)
    label = models.CharField(_("whose"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "shown"]
        constraints = [models.UniqueConstraint(fields=["kind", "value_hash"], name="one_ignored_value")]
        verbose_name = _("value never taken")
        verbose_name_plural = _("values never taken (allow-list)")

    def __str__(self):
        return f"{self.get_kind_display()} {self.shown}"


class Lookup(models.Model):
    """A partner's system asked about a value (`POST /api/v1/registry/lookup`): kept by the keyed
    hash of what was asked, never the value, until a worker folds a batch of them into the audit
    chain (registry.tasks), so a lookup takes no lock on the chain."""

    api_key = models.ForeignKey("accounts.ApiKey", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, blank=True)  # "" for a value of no known kind
    value_hash = models.CharField(max_length=80)
    status = models.CharField(max_length=20)  # what was answered
    at = models.DateTimeField()
    audited = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["audited", "id"], name="lookup_to_audit")]

    def __str__(self):
        return f"{self.api_key_id} {self.kind} {self.status}"


class IndicatorLink(models.Model):
    """Two indicators seen together: in the same report's text, in the same row of a bank's notice
    (an account with its card and its holder's IIN). One row a pair, the smaller id first (`a`),
    with the number of contexts they share (Sighting.context, each counted once) and when the
    sightings linking them were first and last made. Kept up to date as sightings arrive
    (registry.services.networks), never computed per page view."""

    # No index of their own: the unique pair reads a's links, `indicator_link_by_b` b's, and no
    # page reads a region's links but through its indicators.
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,
        db_constraint=False,
    )
    a = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    b = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    contexts = models.PositiveIntegerField(_("contexts shared"), default=1)
    first_linked_at = models.DateTimeField(_("first linked"))
    last_linked_at = models.DateTimeField(_("last linked"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="one_link_per_pair"),
            models.CheckConstraint(condition=models.Q(a__lt=models.F("b")), name="link_smaller_first"),
        ]
        # The unique pair reads a's links; this index reads b's (one row a pair, read both ways).
        indexes = [models.Index(fields=["b", "a"], name="indicator_link_by_b")]
        verbose_name = _("indicator link")
        verbose_name_plural = _("indicator links")

    def __str__(self):
        return f"{self.a_id}–{self.b_id} ×{self.contexts}"
