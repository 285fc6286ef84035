"""Offence reports ("FSM Social"): categories, routing rules, reports, their photos and events.

A report's life is one state machine (signals/policy.py); every change appends a ReportEvent.
Reporters' contacts live apart from the report (ReporterContact): prosecutors see them, the
body that must act never does. They are encrypted at rest and found by keyed hash (lib.crypto).
"""

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Localized, Organisation, Region, Role
from accounts.scoping import is_region_wide, work_district_ids
from lib.crypto import EncryptedTextField, KeyedHashField
from lib.identifiers import normalize_email, normalize_phone


class Category(Localized):
    """A kind of offence; also its Open311 service (code, attributes)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    body_type = models.CharField(
        _("responsible body type"),
        max_length=30,
        choices=Organisation.Type.choices,
        blank=True,
        help_text=_("Blank: no body by default, reports go to the prosecutor's triage unless a routing rule matches"),
    )
    deadline_days = models.PositiveSmallIntegerField(_("answer deadline, business days"), null=True, blank=True)
    deadline_hours = models.PositiveSmallIntegerField(_("answer deadline, hours (urgent)"), null=True, blank=True)
    requires_photo = models.BooleanField(_("photo required"), default=False)
    requires_location = models.BooleanField(_("location required"), default=False)
    sensitive = models.BooleanField(_("sensitive (never public)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days__isnull=False, deadline_hours__isnull=True)
                | Q(deadline_days__isnull=True, deadline_hours__isnull=False),
                name="category_has_one_deadline_unit",
            )
        ]

    @property
    def description(self) -> str:
        return self.localized("description")


class CategoryAttribute(models.Model):
    """A typed extra field of a category (an Open311 service definition attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLE = "singlevaluelist", _("one choice")
        MULTI = "multivaluelist", _("several choices")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=60)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description_kk = models.CharField(_("question (Kazakh)"), max_length=300, blank=True)
    description_ru = models.CharField(_("question (Russian)"), max_length=300, blank=True)
    description_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    # For choice types: [{"key": "...", "name_kk": "...", "name_ru": "...", "name_en": "..."}]
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["category", "order", "code"]
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique_per_category")]

    def __str__(self):
        return f"{self.category.code}.{self.code}"


class RoutingRule(models.Model):
    """Category × district → body. A blank category or district is a fallback; the most specific
    rule wins (see signals/routing.py)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="routing_rules")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="routing_rules")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "district"], name="one_rule_per_place", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.category or '*'} × {self.district or '*'} → {self.body}"


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The reports `user` may see: prosecutors those of the districts their work covers
        (regional roles: the region), a body those routed to it, a registered citizen their own,
        partners none. Who may act on a visible report is signals.policy's to say."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.CITIZEN:
            return self.filter(reporter=user)
        if user.role == Role.BODY_OFFICER:
            return self.filter(body_id=user.organisation_id) if user.organisation_id else self.none()
        if user.role == Role.PARTNER or not user.organisation_id:
            return self.none()
        if is_region_wide(user):
            return self.filter(region_id=user.organisation.region_id)
        return self.filter(district_id__in=work_district_ids(user))

    def public(self):
        return self.filter(sensitive=False)


class Report(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("web form")
        API = "api", _("REST API")
        OPEN311 = "open311", _("Open311")
        HOTLINE = "hotline", _("hotline")
        RECEPTION = "reception", _("reception")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ROUTED = "routed", _("routed")
        ACCEPTED = "accepted", _("accepted by the body")
        ANSWERED = "answered", _("answered")
        RETURNED = "returned", _("returned for re-work")
        RESOLVED = "resolved", _("accepted as resolved")
        CLOSED = "closed", _("closed")
        REJECTED = "rejected", _("rejected")
        DUPLICATE = "duplicate", _("duplicate")
        REOPENED = "reopened", _("not resolved, says the reporter")

    class Registration(models.TextChoices):
        KUI = "kui", _("book of accounting of information (KUI)")
        ERDR = "erdr", _("unified register of pre-trial investigations (ERDR)")

    # Every index of this table is paid on each insert and on each update that moves it: the
    # foreign keys whose lookups a composite index below already serves have none of their own,
    # the rarely set ones have partial indexes, and the unique texts are constraints (no second
    # pattern index on PostgreSQL).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    reference = models.CharField(_("reference"), max_length=30)
    tracking_token_hash = models.CharField(max_length=64)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    body = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("body"),
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    attributes = models.JSONField(_("extra fields"), default=dict, blank=True)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    submitted_at = models.DateTimeField(_("submitted"))
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    # Set once by the deadline sweep when it marks the report overdue, and when it escalates it
    # to the regional office: the sweep's own claim, so a second run notifies nobody again.
    overdue_at = models.DateTimeField(_("marked overdue"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the regional office"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
        db_index=False,
    )
    registration = models.CharField(_("registered in"), max_length=10, choices=Registration.choices, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("reporter's rating of the answer"), null=True, blank=True)
    # The result of the answer that stands (pending or accepted; blank when none does, or it was
    # returned): kept by signals.services so oversight finds unregistered crimes by an index.
    answer_result = models.CharField(_("result of the answer"), max_length=30, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    public_answer = models.TextField(_("public answer"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        db_index=False,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    idempotency_key = models.CharField(max_length=100, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="report_reference_unique"),
            models.UniqueConstraint(fields=["tracking_token_hash"], name="report_tracking_token_unique"),
            models.UniqueConstraint(
                fields=["api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_report_per_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "submitted_at"]),
            models.Index(fields=["district", "submitted_at"]),
            models.Index(fields=["body", "status", "deadline_at"]),
            # The oversight's counts (overdue, returned, reopened in a region or its districts),
            # answered from the index alone.
            models.Index(fields=["region", "status", "district", "deadline_at"], name="report_region_status"),
            # The sweep's candidates: reports waiting for the body's answer. `overdue` is left out
            # of the condition on purpose: no index holds the columns the sweep sets (overdue,
            # overdue_at, escalated_at), so PostgreSQL updates those rows in place (HOT).
            models.Index(
                fields=["deadline_at"],
                condition=Q(status__in=["routed", "accepted", "returned"]),
                name="report_awaiting_answer",
            ),
            models.Index(fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="report_duplicate_of"),
            models.Index(fields=["reporter"], condition=Q(reporter__isnull=False), name="report_reporter"),
            models.Index(fields=["entered_by"], condition=Q(entered_by__isnull=False), name="report_entered_by"),
            models.Index(fields=["assignee"], condition=Q(assignee__isnull=False), name="report_assignee"),
            # Possible concealment from registration (signals.oversight).
            models.Index(
                fields=["region", "district", "answered_at"],
                condition=Q(answer_result="confirmed_criminal", registration_number=""),
                name="report_unregistered_crimes",
            ),
            # The summary's counts of a day of registrations, counted again (reporting.cells).
            models.Index(fields=["region", "registered_at"], condition=~Q(registration=""), name="report_registered"),
        ]

    def __str__(self):
        return self.reference


class ReporterContact(models.Model):
    """Who reported, when they chose to say: seen by prosecutors only, every view audited."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("email"), blank=True, validators=[validate_email])
    # Keyed hashes, so a prosecutor finds the same person's other reports (signals.selectors).
    phone_hash = KeyedHashField(source="phone", normalize=normalize_phone, db_index=True)
    email_hash = KeyedHashField(source="email", normalize=normalize_email, db_index=True)
    consent_at = models.DateTimeField(_("consent given"))

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def __str__(self):
        return f"{self.report} contact"


class ReportPhoto(models.Model):
    class Source(models.TextChoices):
        INTAKE = "intake", _("with the report")
        FOLLOW_UP = "follow_up", _("added by the reporter later")
        ANSWER = "answer", _("with the body's answer")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.INTAKE)
    answer = models.ForeignKey("Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="reports/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.report} photo {self.pk}"


class ReportEvent(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ROUTED = "routed", _("routed")
        TRIAGE = "triage", _("sent to the prosecutor's triage")
        REROUTED = "rerouted", _("re-routed")
        RECATEGORISED = "recategorised", _("re-categorised")
        STATUS = "status", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        FORWARDED = "forwarded", _("forwarded to another body")
        FORWARD_DECIDED = "forward_decided", _("forward reviewed by the prosecutor")
        EXTENSION_REQUESTED = "extension_requested", _("deadline extension asked")
        EXTENSION_DECIDED = "extension_decided", _("deadline extension decided")
        REGISTERED = "registered", _("registered as an offence")
        ANSWERED = "answered", _("answer given")
        OVERDUE = "overdue", _("deadline passed")
        ESCALATED = "escalated", _("escalated to the regional office")
        MERGED = "merged", _("merged")
        ME_TOO = "me_too", _("another reporter joined")
        FOLLOW_UP = "follow_up", _("reporter added information")
        RATED = "rated", _("reporter rated the answer")
        ACT = "act", _("act of prosecutorial response")

    # The most written table (two rows a submission, one per report the sweep marks): the
    # (report, at) index serves the report's lookups, actors have a partial index (the sweep's
    # events have none), the body, only ever read through the report, none, and the report's
    # state at a moment (signals.stocks) one partial index over the states awaiting an answer.
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    body = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    data = models.JSONField(default=dict, blank=True)
    # The report as it stood after this change is its state from `at` until its next event:
    # `to_status`, `body` and the deadline then in force are snapshots, `until` the moment the
    # next event superseded it (null: the report's state now). Each report has one open event;
    # signals.services.events.record_event keeps the chain, signals.stocks reads it.
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["report", "at"]),
            models.Index(fields=["actor"], condition=Q(actor__isnull=False), name="report_event_actor"),
            # The states awaiting the body's answer, by when they ended and began: the reports
            # overdue at any moment (signals.stocks.overdue_at). The statuses are listed as
            # signals.policy.AWAITING_ANSWER_IN_ORDER lists them (SQLite matches the text).
            models.Index(
                fields=["until", "at"],
                condition=Q(to_status__in=["routed", "accepted", "returned"]),
                name="report_event_awaiting",
            ),
            # A day's routings and reopenings, counted again for the summary (reporting.cells).
            models.Index(fields=["kind", "at"], name="report_event_kind_at"),
            # A day's states turning overdue (signals.stocks.overdue_enters), counted again for the
            # summary; the condition is signals.stocks.OVERDUE_MEMBER's, written the same way.
            models.Index(
                Greatest("at", "deadline_at"),
                condition=Q(to_status__in=["routed", "accepted", "returned"], deadline_at__isnull=False),
                name="report_event_overdue_from",
            ),
        ]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last public reference number given in a region and year (AKT-2025-000123)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_counter_per_region_year")]

    def __str__(self):
        return f"{self.region.short_code}-{self.year}: {self.last}"


class ReportSupporter(models.Model):
    """Another person following a report: a "me too" from the public form, or the reporter of a
    report merged into this one. Each has their own tracking link (only its hash is kept) and,
    with consent, contacts that prosecutors alone see."""

    class Kind(models.TextChoices):
        ME_TOO = "me_too", _("me too")
        MERGED = "merged", _("reporter of a merged report")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supporters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tracking_token_hash = models.CharField(max_length=64, blank=True)
    merged_from = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = EncryptedTextField(_("name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("email"), blank=True, validators=[validate_email])
    phone_hash = KeyedHashField(source="phone", normalize=normalize_phone, db_index=True)
    email_hash = KeyedHashField(source="email", normalize=normalize_email, db_index=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_token_hash"], condition=~Q(tracking_token_hash=""), name="supporter_token_unique"
            )
        ]

    def __str__(self):
        return f"{self.report} {self.kind}"


class Answer(models.Model):
    """What the body did about a report. The prosecutor accepts it (the report is resolved) or
    returns it for re-work with a reason; a returned report gets a new answer."""

    class Result(models.TextChoices):
        CONFIRMED_CRIMINAL = "confirmed_criminal", _("confirmed: a criminal offence")
        CONFIRMED_ADMINISTRATIVE = "confirmed_administrative", _("confirmed: an administrative offence")
        CONFIRMED_OTHER = "confirmed_other", _("confirmed: a violation, removed")
        NOT_CONFIRMED = "not_confirmed", _("not confirmed")

    class Measure(models.TextChoices):
        ADMIN_PROTOCOL = "admin_protocol", _("administrative protocol drawn up")
        PRETRIAL = "pretrial", _("pre-trial investigation started")
        GRAFFITI_REMOVED = "graffiti_removed", _("graffiti painted over")
        LINK_BLOCKING = "link_blocking", _("link sent for blocking")
        WARNING = "warning", _("warning issued")
        PREVENTIVE_TALK = "preventive_talk", _("preventive talk held")
        REFERRED = "referred", _("referred to a specialised service")
        OTHER = "other", _("other measures")

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting the prosecutor")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for re-work")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("body"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("answered"))
    result = models.CharField(_("result"), max_length=30, choices=Result.choices)
    measures = models.JSONField(_("measures taken"), default=list, blank=True)
    text = models.TextField(_("what was done"), max_length=4000)
    public_text = models.TextField(
        _("answer to the reporter"),
        max_length=2000,
        blank=True,
        help_text=_("Shown on the reporter's tracking page; no personal data of anyone."),
    )
    on_time = models.BooleanField(_("on time"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["body", "at"]),
            # A day's answers and returns, counted again for the summary (reporting.cells).
            models.Index(fields=["at"], name="answer_at"),
            models.Index(fields=["decided_at"], condition=Q(decision="returned"), name="answer_returned"),
        ]

    def __str__(self):
        return f"{self.report} answer {self.at:%Y-%m-%d}"

    @property
    def confirmed(self) -> bool:
        return self.result != self.Result.NOT_CONFIRMED


class AnswerTemplate(Localized):
    """A ready answer a body starts from (editable by the administrator): for a body type, or for
    one organisation, optionally for one category. `name_*` is the template's title."""

    body_type = models.CharField(_("body type"), max_length=30, choices=Organisation.Type.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    result = models.CharField(_("result"), max_length=30, choices=Answer.Result.choices)
    measures = models.JSONField(_("measures taken"), default=list, blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    @property
    def text(self) -> str:
        return self.localized("text")


class Forward(models.Model):
    """A body passed a report to another body, with a reason. It takes effect at once; the
    prosecutor reviews every forward and may send the report back, with its old deadline."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to be reviewed")
        UPHELD = "upheld", _("upheld")
        REVERSED = "reversed", _("sent back")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="forwards")
    from_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    previous_deadline = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("forwarded"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("forward")
        verbose_name_plural = _("forwards")
        indexes = [models.Index(fields=["decision", "at"])]

    def __str__(self):
        return f"{self.report} → {self.to_body}"


class ExtensionRequest(models.Model):
    """A body asks for more time before the deadline; the district prosecutor grants or refuses."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to be decided")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="extensions")
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("extra business days"))
    reason = models.TextField(_("reason"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("asked"))
    deadline_before = models.DateTimeField()
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    deadline_after = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        indexes = [models.Index(fields=["decision", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(decision="pending"), name="one_pending_extension_per_report"
            )
        ]

    def __str__(self):
        return f"{self.report} +{self.days}"
