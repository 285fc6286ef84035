"""Who is who, and where: regions, their units, organisations, users, the calendar, the audit log."""

from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The roles live in accounts.roles (no model there, so anything may import them); they are named
# here too, where most code looks for them.
from accounts.roles import PERSONAL_DATA_ROLES, PROSECUTOR_ROLES, REGION_WIDE_ROLES, Role  # noqa: F401
from accounts.scoping import visible_districts, visible_organisations, visible_users
from accounts.time_zones import region_zone, validate_time_zone
from lib.i18n import localized as localized_text


class Localized(models.Model):
    """Names kept in the three interface languages; `name` picks the active one."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def localized(self, field: str, language: str | None = None) -> str:
        return localized_text(self, field, language)

    @property
    def name(self) -> str:
        return self.localized("name")


class Sourced(models.Model):
    """Reference values say where they come from; a blank value was not verifiable."""

    source = models.TextField(_("source"), blank=True)

    class Meta:
        abstract = True


class Region(Localized, Sourced):
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    short_code = models.CharField(
        _("short code"), max_length=8, unique=True, help_text=_("Prefix of public references, e.g. AKT")
    )
    centre_lat = models.DecimalField(_("centre latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    centre_lon = models.DecimalField(_("centre longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.CharField(_("population as of"), max_length=100, blank=True)
    outline = models.JSONField(_("outline (GeoJSON geometry)"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            'IANA time zone name, e.g. Asia/Almaty; periods, deadlines and "today" are the region\'s local '
            "days in it. Blank: not verified, settings.TIME_ZONE is used."
        ),
    )

    class Meta:
        ordering = ["kato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    @property
    def zone(self) -> ZoneInfo:
        """The region's zone (accounts.zones.region_zone): settings.TIME_ZONE when not recorded."""
        return region_zone(self)


class DistrictQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_districts(user, self)

    def for_choices(self):
        """For lists and dropdowns: with the region, without the shapes (GeoJSON, large)."""
        return self.select_related("region").defer("boundary", "region__outline")


class District(Localized, Sourced):
    """A unit of a region: a city of regional significance, a city district or a district."""

    class Kind(models.TextChoices):
        CITY = "city", _("city of regional significance")
        CITY_DISTRICT = "city_district", _("city district")
        DISTRICT = "district", _("district")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region"))
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("part of")
    )
    centre_kk = models.CharField(_("centre (Kazakh)"), max_length=200, blank=True)
    centre_ru = models.CharField(_("centre (Russian)"), max_length=200, blank=True)
    centre_en = models.CharField(_("centre (English)"), max_length=200, blank=True)
    centre_lat = models.DecimalField(_("centre latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    centre_lon = models.DecimalField(_("centre longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.CharField(_("population as of"), max_length=100, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    boundary_approximate = models.BooleanField(_("boundary is approximate"), default=True)
    boundary_source = models.TextField(_("boundary source"), blank=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["region", "kato"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def centre(self) -> str:
        return self.localized("centre")


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_organisations(user, self)


class Organisation(Localized, Sourced):
    """A prosecutor's office, a body that must act on reports, or an external partner."""

    class Kind(models.TextChoices):
        PROSECUTOR_OFFICE = "prosecutor_office", _("prosecutor's office")
        BODY = "body", _("responsible body")
        PARTNER = "partner", _("external partner")

    class Type(models.TextChoices):
        # prosecutor's offices
        REGIONAL_OFFICE = "regional_office", _("regional prosecutor's office")
        REGIONAL_DEPARTMENT = "regional_department", _("department of the regional prosecutor's office")
        CITY_OFFICE = "city_office", _("city prosecutor's office")
        CITY_DISTRICT_OFFICE = "city_district_office", _("city district prosecutor's office")
        DISTRICT_OFFICE = "district_office", _("district prosecutor's office")
        SPECIALISED_OFFICE = "specialised_office", _("specialised prosecutor's office")
        # bodies
        POLICE = "police", _("police department")
        POLICE_UNIT = "police_unit", _("district police unit")
        AKIMAT = "akimat", _("akimat")
        EDUCATION = "education", _("education")
        HEALTH = "health", _("health")
        SOCIAL_PROTECTION = "social_protection", _("social protection")
        JUVENILE_COMMISSION = "juvenile_commission", _("juvenile affairs commission")
        EMERGENCIES = "emergencies", _("emergencies")
        LAND = "land", _("land relations")
        TAX = "tax", _("tax")
        ECOLOGY = "ecology", _("ecology")
        STATE_REVENUE = "state_revenue", _("state revenue")
        # external partners
        BANK = "bank", _("bank")
        ANTIFRAUD_CENTRE = "antifraud_centre", _("antifraud centre")
        MINISTRY = "ministry", _("ministry")
        PLATFORM = "platform", _("platform representative")

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("part of")
    )
    districts = models.ManyToManyField(District, blank=True, related_name="organisations", verbose_name=_("serves"))
    bank_code = models.CharField(
        _("IBAN bank code"), max_length=3, blank=True, help_text=_("Three digits after KZ and the check digits")
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "type", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class UserQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_users(user, self)


class TartipUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.CITIZEN)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)

    objects = TartipUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="citizen") | models.Q(organisation__isnull=False) | models.Q(role="admin"),
                name="staff_belongs_to_an_organisation",
            )
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role != Role.CITIZEN

    @property
    def needs_second_factor(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES

    @property
    def region(self):
        return self.organisation.region if self.organisation_id else None


class CalendarOverride(models.Model):
    """A day the calendar package does not know yet (a new order moving a day off)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKING_DAY = "working_day", _("working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove audit events through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    # Bulk writes would bypass the hash chain (accounts.audit.audit_record is the only way in).
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be updated")

    def delete(self):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be updated")

    def bulk_create(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events are appended one by one by accounts.audit.audit_record")


class AuditEvent(models.Model):
    """Append-only record of security-relevant events, chained by a keyed MAC (see accounts/audit.py)."""

    class Action(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        LOCKED_OUT = "locked_out", _("locked out")
        ACCESS_DENIED = "access_denied", _("access denied")
        SECOND_FACTOR = "second_factor", _("second factor")
        ADMIN_CHANGE = "admin_change", _("admin change")
        PERSONAL_DATA_VIEW = "personal_data_view", _("personal data viewed")
        # A batch of partners' lookups, each by the keyed hash of the value asked (never the value).
        LOOKUPS = "lookups", _("lookups by partners' systems")
        # A document of the office's results downloaded (a summary's PDF, DOCX, XLSX, a press release).
        DOWNLOAD = "download", _("document downloaded")

    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # The actor's id is part of the row's hash: deleting an account must leave it in place
    # (SET_NULL would break the chain), so no database constraint and no cascade.
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # The chain (accounts/audit.py): the row's place (1, 2, 3… without gaps), the MAC of the row
    # before, the id of the AUDIT_KEY that signed it, and its own MAC.
    seq = models.PositiveBigIntegerField(unique=True)
    previous_mac = models.CharField(max_length=64)
    key_id = models.CharField(max_length=8)
    mac = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now):
        not_expired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        return self.filter(not_expired, revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key of an integrated system, scoped to one organisation.

    Only the SHA-256 of the key is stored: a key has 256 random bits, so a fast hash is safe and
    keeps the check cheap on every request. The key itself is shown once, at creation.
    """

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("organisation")
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, help_text=_("Shown to tell keys apart"))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        """Not revoked, not expired (the same test as ApiKey.objects.usable(now))."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Notification(models.Model):
    """An entry in a user's in-app list of notifications (accounts.notifications sends them, by
    mail too). Sensitive reports' notifications carry no content, only the link.

    Written and mailed once though the task doing it runs twice: `key` names what the notification
    is about (one per user and key), and the mail is claimed (`mail_claimed_at`, a lease of
    settings.TASK_LEASE_SECONDS) before it is sent and marked (`mailed_at`) after (accounts.mail)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    at = models.DateTimeField(_("time"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    key = models.CharField(_("what it is about"), max_length=100, blank=True)
    mail_claimed_at = models.DateTimeField(_("mail claimed"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"),
        ]

    def __str__(self):
        return self.subject
