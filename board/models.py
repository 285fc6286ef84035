"""The board: its meetings (board, coordination and working-group meetings), the reports heard at
them, the directives they issue, followed addressee by addressee until executed, the projects and
interdepartmental working groups the board runs, and the resolution (постановление) that lists a
meeting's directives.

Every state change appends an event (MeetingEvent, DirectiveEvent, ProjectEvent,
WorkingGroupEvent): the timelines, the reminders and the board's metrics read them. Who may do
what is board.policy's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Localized, Organisation, Region
from lib.metrics import Area
from lib.models import Event

from .scoping import addressed_to, meetings_for


class Project(Localized):
    """A project the board runs with its partners ("<the city> — Territory Without Fraud", "Law and
    Order" prevention, the children's-rights projects with the akimat). `code` is what the outreach
    log names (registry's Outreach.project); `metric_codes` are the catalogue's metrics it tracks."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("under way")
        COMPLETED = "completed", _("completed")
        SUSPENDED = "suspended", _("suspended")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    code = models.SlugField(_("code"), max_length=40)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    lead = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("leading office"))
    partners = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("partners"))
    # The summary's area the project works in (the children's-rights projects count as such).
    area = models.CharField(_("area"), max_length=30, choices=Area.choices, blank=True)
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    metric_codes = models.JSONField(_("metrics it tracks"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="board_project_code_per_region")]


class ProjectEvent(Event):
    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        STATUS = "status", _("status changed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("project event")
        verbose_name_plural = _("project events")


class WorkingGroup(Localized):
    """An interdepartmental working group: its members are offices and bodies (and, by name, the
    people who sit for them); it meets (Meeting.Kind.WORKING_GROUP) and may run projects."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("office it works under")
    )
    members = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("member offices and bodies"))
    people = models.TextField(_("members by name"), blank=True)
    projects = models.ManyToManyField(Project, blank=True, related_name="working_groups", verbose_name=_("projects"))
    created_on = models.DateField(_("created"))
    dissolved_on = models.DateField(_("dissolved"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["created_on", "id"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")


class WorkingGroupEvent(Event):
    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        MEMBERS = "members", _("members changed")
        DISSOLVED = "dissolved", _("dissolved")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("working-group event")
        verbose_name_plural = _("working-group events")


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        return meetings_for(user, self)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("board meeting")
        COORDINATION = "coordination", _("coordination meeting")
        WORKING_GROUP = "working_group", _("working-group meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BOARD)
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    held_on = models.DateField(_("date"))
    # The period whose results the meeting reviews: the results summary of it, as of the meeting's day.
    period_start = models.DateField(_("period reviewed from"))
    period_end = models.DateField(_("period reviewed to"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    chair = models.CharField(_("chair"), max_length=200)
    participants = models.TextField(_("participants"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # The resolution (постановление коллегии): numbered per region and year when it is issued.
    resolution_number = models.PositiveIntegerField(_("resolution number"), null=True, blank=True)
    resolution_year = models.PositiveSmallIntegerField(null=True, blank=True)
    resolution_on = models.DateField(_("resolution date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"))

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["region", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="working_group", working_group__isnull=False)
                | (~Q(kind="working_group") & Q(working_group__isnull=True)),
                name="board_meeting_group_iff_group_meeting",
            ),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="board_meeting_period"),
            models.UniqueConstraint(
                fields=["region", "resolution_year", "resolution_number"],
                condition=Q(resolution_number__isnull=False),
                name="board_resolution_number_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"


class MeetingReport(models.Model):
    """A report heard at the meeting: a deputy, a city or district prosecutor, a head of department."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speaker = models.CharField(_("speaker"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    office = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    topic = models.CharField(_("topic"), max_length=500)
    file = models.FileField(_("file"), upload_to="board/reports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("report heard")
        verbose_name_plural = _("reports heard")

    def __str__(self):
        return f"{self.speaker}: {self.topic}"


class MeetingEvent(Event):
    class Kind(models.TextChoices):
        PLANNED = "planned", _("planned")
        CHANGED = "changed", _("changed")
        REPORT_ADDED = "report_added", _("report added")
        HELD = "held", _("held")
        CARRIED = "carried", _("open directives carried to its agenda")
        RESOLUTION = "resolution", _("resolution issued")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")


class Directive(models.Model):
    """A directive (поручение) of a meeting: its text, area, deadline and controller, and the
    metrics it aims to move. It is followed per addressee (DirectiveAddressee): one directive to
    five district offices is five executions, each with its status."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="directives", verbose_name=_("meeting"))
    number = models.PositiveSmallIntegerField(_("item"))
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    deadline = models.DateField(_("deadline"))
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("controlled by")
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="directives", verbose_name=_("project")
    )
    metric_codes = models.JSONField(_("metrics it aims to move"), default=list, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issued by")
    )
    # The later meetings whose agenda it was carried to while unexecuted.
    carried_to = models.ManyToManyField(Meeting, blank=True, related_name="carried_directives")

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="board_directive_item_once")]

    def __str__(self):
        return f"{self.meeting} #{self.number}"


class AddresseeQuerySet(models.QuerySet):
    def for_user(self, user):
        return addressed_to(user, self)


class DirectiveAddressee(models.Model):
    """One addressee's execution of a directive: issued → in progress → reported → executed, or
    reported → returned (with a comment) → in progress / reported again. Overdue is lib.deadlines'
    lateness against `deadline_at` (the end of the directive's deadline day, in the region's zone)
    while not executed."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        IN_PROGRESS = "in_progress", _("in progress")
        REPORTED = "reported", _("reported as executed")
        RETURNED = "returned", _("returned for more work")
        EXECUTED = "executed", _("accepted as executed")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="addressees")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("addressee")
    )
    # Copied from the directive, so overdue lists are one indexed filter.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    deadline_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    changed_at = models.DateTimeField(_("status since"))
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed"), null=True, blank=True)
    comment = models.TextField(_("last comment"), blank=True)
    # Claimed by the reminder sweep (a conditional update), so that a run twice sends once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notice_at = models.DateTimeField(null=True, blank=True)

    objects = AddresseeQuerySet.as_manager()

    class Meta:
        ordering = ["directive", "organisation__code"]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        constraints = [
            models.UniqueConstraint(fields=["directive", "organisation"], name="board_addressee_once"),
            models.CheckConstraint(
                condition=~Q(status="executed") | Q(executed_at__isnull=False), name="board_executed_has_moment"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["region", "status", "deadline_at"]),
        ]

    def __str__(self):
        return f"{self.directive} → {self.organisation}"


class ExecutionReport(models.Model):
    """What an addressee reports: progress, or the directive executed (`final`), with evidence."""

    addressee = models.ForeignKey(DirectiveAddressee, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("what was done"))
    final = models.BooleanField(_("reported as executed"), default=False)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")

    def __str__(self):
        return f"{self.addressee} {self.at:%d.%m.%Y}"


class Evidence(models.Model):
    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="board/evidence/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name


class DirectiveEvent(Event):
    class Kind(models.TextChoices):
        ISSUED = "issued", _("issued")
        CHANGED = "changed", _("changed")
        PROGRESS = "progress", _("progress reported")
        REPORTED = "reported", _("reported as executed")
        ACCEPTED = "accepted", _("accepted as executed")
        RETURNED = "returned", _("returned with a comment")
        REMINDED = "reminded", _("reminder sent")
        OVERDUE = "overdue", _("overdue notice sent")
        CARRIED = "carried", _("carried to the next meeting")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="events")
    # The addressee the event is about; none for the directive as a whole (issued, changed, carried).
    addressee = models.ForeignKey(
        DirectiveAddressee, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("directive event")
        verbose_name_plural = _("directive events")
        indexes = [models.Index(fields=["kind", "at"])]
