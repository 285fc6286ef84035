"""The "Territory Without Fraud" registry: each indicator (an account, a card, a phone, a link...)
kept once per region in its normal form (registry.indicators), every sighting of it with its source,
and every change of its status as a dated event, so that the registry is counted as of any day.

A card's number and a person's IIN or a company's BIN are kept encrypted and found by their keyed
hash; the other kinds are kept as they are (they are what banks and platforms are asked to block).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField
from lib.models import Event

from .indicators import SECRET_KINDS, Kind


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
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
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
    )
    # Where it was first seen (its confirmation counts there in the results summary).
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
            models.UniqueConstraint(fields=["region", "kind", "value_hash"], name="one_indicator_per_value"),
        ]
        indexes = [
            models.Index(fields=["value_hash"], name="indicator_by_hash"),
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

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sightings")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    report = models.ForeignKey(
        "signals.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("report")
    )
    district = models.ForeignKey(
        "accounts.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When it was seen (a report's receipt), and when Tartip recorded it.
    at = models.DateTimeField(_("seen"))
    recorded_at = models.DateTimeField(_("recorded"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "report"], condition=models.Q(report__isnull=False), name="one_sighting_per_report"
            ),
        ]
        indexes = [
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

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=20, choices=Status.choices)

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["indicator", "at"], name="indicator_event_at")]
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


class Notice(models.Model):
    """A bank's or the antifraud centre's notice (a CSV or XLSX file of dropper accounts, cards,
    phones...), uploaded by the regional analyst or a region-wide prosecutor, its columns mapped,
    then read by a worker row by row: each valid row's values become sightings, each invalid row's
    errors are kept (NoticeRowError). The file itself is kept in the private storage "notices"
    (settings.STORAGES), never served by URL."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded, columns to map")
        READING = "reading", _("reading")
        DONE = "done", _("read")
        FAILED = "failed", _("stopped")

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    # What its rows' sightings are (Sighting.Source.BANK_NOTICE or ANTIFRAUD_NOTICE), by its sender.
    source = models.CharField(_("source"), max_length=20, choices=Sighting.Source.choices)
    number = models.CharField(_("notice number"), max_length=100, blank=True)
    dated = models.DateField(_("notice date"), null=True, blank=True)
    # The file in the "notices" storage, and what it was called on the sender's computer.
    file_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    file_type = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    header = models.JSONField(default=list, blank=True)
    # One field a column (registry.notices.Field: an indicator's kind, "amount", "date", "district",
    # "note", or "" for a column ignored).
    mapping = models.JSONField(default=list, blank=True)
    # Formula cells saved without a cached value (an XLSX): an error of their row when read.
    uncached_formulas = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    # The progress bar: the rows after the header (the file's count), those read so far (the point
    # a new run resumes from: every batch commits its rows with this count), of which valid, with
    # errors, and already taken from an earlier notice of the region.
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_ok = models.PositiveIntegerField(_("rows kept"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_repeated = models.PositiveIntegerField(_("rows already taken"), default=0)
    sightings_count = models.PositiveIntegerField(_("sightings"), default=0)
    # Why the reading stopped: a msgid and its parameters, shown in the reader's language.
    failure = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    finished_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "sha256"], name="one_notice_per_file")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return f"{self.organisation} {self.number or self.original_name}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_read * 100 // self.rows_total) if self.rows_total else 0


class NoticeRow(models.Model):
    """A row taken from a notice, by the keyed hash of its values as read (its indicators, amount
    and date): the same row in a later notice of the region (the bank's and the antifraud centre's
    notice of one transfer, a month's notice and the quarter's) adds no sighting a second time. Two
    rows of one notice are two rows, however alike (two transfers of one amount to one account on
    one day): a notice is taken once whole (its file's hash), so its own rows never repeat it."""

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=80)

    class Meta:
        # The fingerprint first: a batch's rows are looked up by it (its region is one).
        indexes = [models.Index(fields=["fingerprint", "region"], name="notice_row_by_fingerprint")]

    def __str__(self):
        return f"notice:{self.notice_id}:{self.number}"


class NoticeRowError(models.Model):
    """Why a row of a notice was not taken: its row number in the file, the column (its header) and
    the message kept as a msgid with its parameters, so each reader reads it in their language. The
    wrong value itself is not kept (an invalid IIN is still a person's)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    message = models.CharField(max_length=400)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["row", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "row", "column"], name="one_error_per_cell")]
        verbose_name = _("notice row error")
        verbose_name_plural = _("notice row errors")

    def __str__(self):
        return f"{self.notice_id}:{self.row} {self.column}"

    @property
    def text(self) -> str:
        translated = _(self.message) if self.message else ""
        return str(translated) % self.params if self.params else str(translated)


class NoticeEvent(Event):
    """A step of a notice: uploaded, its columns mapped and its reading started, read, stopped."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        STARTED = "started", _("reading started")
        READ = "read", _("read")
        FAILED = "failed", _("reading stopped")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")

    def __str__(self):
        return f"{self.notice_id} {self.kind}"


class IndicatorLink(models.Model):
    """Two indicators seen together: in the same report's text, in the same row of a bank's notice
    (an account with its card and its holder's IIN). One row a pair, the smaller id first (`a`),
    with the number of contexts they share (Sighting.context, each counted once) and when the
    sightings linking them were first and last made. Kept up to date as sightings arrive
    (registry.services.networks), never computed per page view."""

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    a = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
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
