"""Tartip settings: one module, driven by environment variables (see docs/architecture.md).

`DATABASE_URL` unset means the embedded SQLite database under var/. Every variable is
read through `tartip.env`, which stops the process with the variable's name when a
value is malformed.
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from tartip.env import (
    BadSetting,
    env_bool,
    env_cache,
    env_database,
    env_email,
    env_int,
    env_list,
    env_str,
    env_tile_url,
    fernet_keys,
    secret_keys,
)
from tartip.local_secrets import FILE_NAME as SECRETS_FILE_NAME
from tartip.local_secrets import read_secrets_file, write_secrets_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TARTIP_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

# A single-machine run keeps its secrets in var/secrets.env (tartip/local_secrets.py): `make run`
# writes it before starting, development writes it on first use. Unset variables are read from it
# whatever DEBUG is; with DEBUG off and neither the variable nor the file, the settings refuse.
SECRETS_FILE = VAR_DIR / SECRETS_FILE_NAME
if DEBUG:
    write_secrets_file(SECRETS_FILE)
read_secrets_file(SECRETS_FILE)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if not key:
        raise BadSetting("SECRET_KEY", "required when DEBUG is off")
    if not DEBUG and len(key) < 32:
        raise BadSetting("SECRET_KEY", "use at least 32 random characters in production")
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form answers the site's own 403 page, translated (Django's is English only).
CSRF_FAILURE_VIEW = "accounts.auth_views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "lib",
    "accounts",
    "signals",
    "supervision",
    # Indicators found in the offence reports (signals) and notices.
    "registry",
    # Board meetings and their directives under execution control.
    "board",
    # Reads the apps above through their metrics; comes after them.
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.RegionTimeZoneMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tartip.urls"
WSGI_APPLICATION = "tartip.wsgi.application"
ASGI_APPLICATION = "tartip.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "tartip.context_processors.map_tiles",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

SQLITE_DEFAULT = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": VAR_DIR / "tartip.sqlite3",
}
DATABASES = {"default": env_database("DATABASE_URL", SQLITE_DEFAULT)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE transactions take the write lock
    # up front, so the web server and the task worker queue politely instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Parameters are sent apart from the SQL (no quoting in Python). Statements are not prepared
    # (Django's default, kept): it saved about a fifth of PostgreSQL's CPU on intake, only through
    # generic plans, which made the oversight statistics job slower and can go far wrong on skewed
    # columns such as a status; with a plan for each execution it saved nothing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", env_bool("DB_SERVER_SIDE_BINDING", True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process (rate limits, locks, heartbeats): the database cache by default.
CACHES = {
    "default": env_cache(
        "CACHE_URL", {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tartip_cache"}
    )
}

TASKS = {"default": {"BACKEND": "lib.tasks.DatabaseBackend"}}

# --- Accounts, login, sessions ------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins are counted per username and address together, so nobody can lock a
# colleague out by typing their name from another machine.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.auth_views.locked_out"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_VERBOSE = False

# Second factor (TOTP) for the roles that see personal data.
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Tartip")

# Sessions end after a period without activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Keys for personal data and the audit log (lib/crypto.py, accounts/audit.py) ---------------
# Three secrets, each kept apart from the others and from the database: reading the table and one
# key must not give away what another protects. Each variable holds keys newest first, comma-
# separated: the newest writes, all read (`rotate_field_key` moves rows to the newest).


def _keys(name: str, parse) -> list[str]:
    keys = parse(name, env_str(name))
    if not keys:
        raise BadSetting(name, "required when DEBUG is off")
    return keys


FIELD_ENCRYPTION_KEYS = _keys("FIELD_ENCRYPTION_KEY", fernet_keys)
FIELD_HASH_KEYS = _keys("FIELD_HASH_KEY", secret_keys)
AUDIT_KEYS = _keys("AUDIT_KEY", secret_keys)
if set(FIELD_HASH_KEYS) & set(FIELD_ENCRYPTION_KEYS):
    raise BadSetting("FIELD_HASH_KEY", "must differ from FIELD_ENCRYPTION_KEY")
if set(AUDIT_KEYS) & (set(FIELD_ENCRYPTION_KEYS) | set(FIELD_HASH_KEYS)):
    raise BadSetting("AUDIT_KEY", "must differ from FIELD_ENCRYPTION_KEY and FIELD_HASH_KEY")

# --- Security when DEBUG is off -----------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # Cookies travel over HTTPS only. `make run` serves plain HTTP on this machine and says so
    # (SECURE_COOKIES=0, SECURE_SSL_REDIRECT=0): a browser would not send a secure cookie back there.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None

# No inline scripts and no eval: htmx runs with allowEval off, Vega through
# vega-interpreter. Every library is served by Tartip itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Base tiles under every map, from a tile server the office runs or trusts (MAP_TILES_URL, in
# Leaflet's form, with the attribution its licence asks for). None by default: on a closed network
# the maps show the district shapes alone. Images may come from that server only when it is set.
MAP_TILES_URL, _map_tiles_origin = env_tile_url("MAP_TILES_URL")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION")
if _map_tiles_origin:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_map_tiles_origin)

# --- Languages ----------------------------------------------------------------------------

LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kazakh number and date formats: ours are under tartip/formats/kk/.
FORMAT_MODULE_PATH = ["tartip.formats"]
USE_I18N = True
# The zone of a region whose own zone is not recorded (Region.time_zone; accounts.zones), and of
# whatever belongs to no region. Kazakhstan has been one zone, UTC+5, since 1 March 2024; before
# that Almaty (and the east) was UTC+6 and the west UTC+5. The embedded default's region has been
# UTC+5 throughout (its own zone is in its reference row), so the default is fixed UTC+5
# ("Etc/GMT-5": the IANA sign is reversed), right for every date it holds, 2024 included, and for
# the whole country since March 2024; Asia/Almaty would misdate its January and February 2024.
# Python code names no region (accounts/tests/test_reference.py), hence no region's zone here.
TIME_ZONE = env_str("TIME_ZONE", "Etc/GMT-5")
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tartip" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TARTIP_TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # The audit log's signed checkpoints (accounts/audit.py), apart from the database. Any Django
    # storage fits: an object store (django-storages' S3 backend) in production.
    "audit_checkpoints": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))},
    },
    # Banks' and the antifraud centre's notices as uploaded (registry.services.notices): outside
    # MEDIA_ROOT and with no URL, so no address ever serves them; read by the workers only.
    "notices": {
        "BACKEND": "lib.storages.PrivateFileSystemStorage",
        "OPTIONS": {"location": env_str("REGISTRY_NOTICE_DIR", str(VAR_DIR / "private" / "notices"))},
    },
    # Crime statistics' files as uploaded (supervision.services.crime): private, like the notices.
    "crime_imports": {
        "BACKEND": "lib.storages.PrivateFileSystemStorage",
        "OPTIONS": {"location": env_str("SUPERVISION_CRIME_DIR", str(VAR_DIR / "private" / "crime-imports"))},
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("TARTIP_TESTING", False)
# How often the head of the audit chain is checkpointed: rows newer than the last checkpoint are
# the ones that could be cut from the log unseen.
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 5, minimum=1)

# --- Email --------------------------------------------------------------------------------

_email = env_email("EMAIL_URL", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
globals().update({key: value for key, value in _email.items() if value is not None})
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tartip@localhost")
# The address staff open Tartip at, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- API ----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsVerifiedUser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tartip API",
    "DESCRIPTION": "The REST API of Tartip, the platform of a regional prosecutor's office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are public: integrators read them before they get a key.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI is served by Tartip itself (no CDN), its script apart from the page for the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Inputs apart from outputs, so a required text says it may not be empty (minLength 1).
    "COMPONENT_SPLIT_REQUEST": True,
    # The REST API only: Open311 has its own schema (/open311/v2/schema/).
    "PREPROCESSING_HOOKS": ["signals.open311_schema.without_open311"],
    "SCHEMA_PATH_PREFIX": "/api/",
    # Two "status" fields with their own choices: each enum named after what it answers.
    "ENUM_NAME_OVERRIDES": {"LookupStatusEnum": "registry.api.LOOKUP_STATUSES"},
}

# --- Offence reports: uploads and the public form -------------------------------------------

# Photos are decoded with a pixel limit and re-encoded without metadata (lib/photos.py).
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
REPORT_PHOTO_MAX_PIXELS = env_int("REPORT_PHOTO_MAX_PIXELS", 40_000_000, minimum=1)
REPORT_PHOTO_MAX_COUNT = env_int("REPORT_PHOTO_MAX_COUNT", 5, minimum=0)
# Anonymous reports per client address and hour (counted in the cache only: no address is stored).
ANON_REPORTS_PER_HOUR = env_int("ANON_REPORTS_PER_HOUR", 10, minimum=1)

# --- Health and scheduling ----------------------------------------------------------------

# A heartbeat older than this marks the worker or the scheduler as down in /healthz.
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 120, minimum=10)
# The periodic jobs are declared by the apps (their apps.py, lib.plugins.PeriodicJob); the
# scheduler enqueues each once per interval slot, whatever the number of schedulers running.
# A task still running this long after it started is taken for dead (its worker was killed) and put
# back in the queue (lib.tasks.requeue_stale_tasks); a task's claim on a mail expires after as long
# (lib.once, accounts.mail). Keep it above the longest task's run.
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 600, minimum=1)

# --- Offence reports: the deadline sweep and the daily digest ------------------------------

# A report still unanswered more than this many working days after its deadline is escalated
# to the regional office (signals/sweep.py).
OVERDUE_ESCALATION_WORKING_DAYS = env_int("OVERDUE_ESCALATION_WORKING_DAYS", 5, minimum=1)
# The local hour (the office's region's zone, accounts.zones) from which the district
# prosecutors' daily digest is mailed.
DIGEST_HOUR = env_int("DIGEST_HOUR", 8, minimum=0)
if DIGEST_HOUR > 23:
    raise BadSetting("DIGEST_HOUR", f"must be an hour from 0 to 23, got {DIGEST_HOUR}")

# --- The board: directives under execution control ---------------------------------------------

# The addressees of a directive are reminded this many working days before its deadline (and once
# more when it is overdue): board.tasks, scheduled.
BOARD_REMINDER_WORKING_DAYS = env_int("BOARD_REMINDER_WORKING_DAYS", 3, minimum=0)
# An execution report's evidence file, and a meeting report's file: past this size it is refused.
BOARD_FILE_MAX_BYTES = env_int("BOARD_FILE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracking tokens in paths are hidden before a line is written (lib.log_redaction).
    "filters": {"redact_secrets": {"()": "lib.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pymorphy3 says at INFO which dictionary it loaded, once per process.
    "loggers": {"axes": {"level": "WARNING"}, "pymorphy3": {"level": "WARNING"}},
}

# The registry ("Territory Without Fraud"): an indicator nobody confirmed is forgotten after this
# many days since it was last seen, with what it names (registry.services).
REGISTRY_UNCONFIRMED_DAYS = env_int("REGISTRY_UNCONFIRMED_DAYS", 180, minimum=1)
# The legal basis a new blocking request is prefilled with (the office's own text: Tartip ships none
# and cites no article of a law itself); the analyst completes it on each request.
REGISTRY_BLOCKING_LEGAL_BASIS = env_str("REGISTRY_BLOCKING_LEGAL_BASIS", "")
# A bank's or the antifraud centre's notice: the upload's size, and an XLSX's unpacked size and
# compression ratio, past which it is refused before it is opened (a zip bomb).
REGISTRY_NOTICE_MAX_BYTES = env_int("REGISTRY_NOTICE_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
REGISTRY_NOTICE_MAX_UNZIPPED_BYTES = env_int("REGISTRY_NOTICE_MAX_UNZIPPED_BYTES", 500 * 1024 * 1024, minimum=1)
REGISTRY_NOTICE_MAX_RATIO = env_int("REGISTRY_NOTICE_MAX_RATIO", 100, minimum=1)
# The offices' monthly figures are due by this day (1 to 28) of the next month: past it, the late ones are
# reminded (supervision.services.submissions).
SUPERVISION_SUBMISSION_DUE_DAY = env_int("SUPERVISION_SUBMISSION_DUE_DAY", 5, minimum=1)
# A crime statistics file (one row a registered offence: a year of a region is some 100 MB as a
# CSV), and an XLSX's unpacked size, past which it is refused before it is read.
SUPERVISION_CRIME_MAX_BYTES = env_int("SUPERVISION_CRIME_MAX_BYTES", 300 * 1024 * 1024, minimum=1)
SUPERVISION_CRIME_MAX_UNZIPPED_BYTES = env_int("SUPERVISION_CRIME_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024, minimum=1)
# An indicator linked to more than this many others is a hub (a bank's hotline quoted in a
# thousand reports): shown collapsed, joining no network, proposed for the allow-list.
REGISTRY_HUB_LINKS = env_int("REGISTRY_HUB_LINKS", 200, minimum=1)
