"""Settings fail loudly on malformed environment variables, and are strict when DEBUG is off."""

import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# A production-like environment that loads: each test breaks one variable.
GOOD_ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
    "FIELD_ENCRYPTION_KEY": "dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0ISE=",
    "FIELD_HASH_KEY": "test-hash-key-not-for-production-0123456789",
    "AUDIT_KEY": "test-audit-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "tartip.example.kz",
    "DJANGO_SETTINGS_MODULE": "tartip.settings",
}
OUR_VARIABLES = {
    *GOOD_ENVIRONMENT,
    "DATABASE_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "TARTIP_TESTING",
    "TARTIP_VAR_DIR",
}
# Settings read with DEBUG off, printed as JSON by the child process.
PRINT_SECURITY_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")}))
"""


def run_python(*arguments: str, var_dir: Path | None = None, **variables: str | None) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with the good environment changed by `variables` (None: unset).
    Its var/ is `var_dir`, an empty one by default: a developer's var/secrets.env must not fill in
    the variable a test leaves out."""
    environment = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    environment.update(GOOD_ENVIRONMENT)
    for key, value in variables.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    with tempfile.TemporaryDirectory() as empty_dir:
        environment["TARTIP_VAR_DIR"] = str(var_dir or empty_dir)
        return subprocess.run(
            [sys.executable, *arguments], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
        )


def load_settings(**variables: str | None) -> subprocess.CompletedProcess:
    return run_python("-c", "import django; django.setup()", **variables)


def test_it_loads_with_a_good_environment():
    result = load_settings()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql:/bad"),
        ("DATABASE_URL", "postgres://u@h:notaport/db"),
        ("DATABASE_URL", "postgres://u@h:5432"),
        ("DEBUG", "maybe"),
        ("CACHE_URL", "memcache://h"),
        ("CACHE_URL", "redis://h:notaport/0"),
        ("CACHE_URL", "redis://"),
        ("EMAIL_URL", "smtp://u@h:notaport"),
        ("EMAIL_URL", "pigeon://h"),
        ("EMAIL_URL", "smtp://"),
        ("SESSION_IDLE_MINUTES", "half an hour"),
    ],
)
def test_it_stops_with_the_name_of_a_malformed_variable(name, value):
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert f"Environment variable {name} is malformed" in result.stderr


def test_it_requires_a_secret_key_when_debug_is_off():
    result = load_settings(SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_rejects_a_short_secret_key_when_debug_is_off():
    result = load_settings(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_stops_manage_py_check_on_a_malformed_database_url():
    result = run_python("manage.py", "check", DATABASE_URL="mysql:/bad")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FIELD_ENCRYPTION_KEY", None),
        ("FIELD_ENCRYPTION_KEY", "not-a-fernet-key"),
        ("FIELD_ENCRYPTION_KEY", "dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0ISE=,short"),
        ("FIELD_HASH_KEY", None),
        ("FIELD_HASH_KEY", "too-short"),
        ("FIELD_HASH_KEY", "dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0ISE="),  # the encryption key again
        ("AUDIT_KEY", None),
        ("AUDIT_KEY", "test-hash-key-not-for-production-0123456789"),  # the hash key again
    ],
)
def test_a_missing_or_malformed_key_stops_the_process_in_one_line(name, value):
    result = run_python("manage.py", "check", **{name: value})
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"Environment variable {name} is malformed" in result.stderr
    assert "Traceback" not in result.stderr


def test_gunicorn_refuses_to_start_on_a_bad_key_in_one_line():
    result = run_python(
        "-m", "gunicorn", "tartip.wsgi", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0", AUDIT_KEY="short"
    )
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if "Tartip cannot start" in line]
    assert ours == [
        "Tartip cannot start. Environment variable AUDIT_KEY is malformed: key 1 is shorter than 32 characters"
    ]
    assert "Traceback" not in result.stderr


def test_it_is_strict_when_debug_is_off():
    result = run_python("-c", PRINT_SECURITY_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_it_sends_a_csp_without_unsafe_script_sources(client):
    response = client.get("/accounts/login/", secure=True)
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["Strict-Transport-Security"].startswith("max-age=")


# --- var/secrets.env: the secrets of `make run`, read by every process (tartip/local_secrets.py) ---

SECRET_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY", "AUDIT_KEY")
PRINT_SECRETS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps([settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEYS, settings.AUDIT_KEYS, settings.DEBUG]))
"""


def without_secrets() -> dict[str, None]:
    return dict.fromkeys(SECRET_NAMES)


def generate_secrets(var_dir: Path) -> Path:
    result = run_python("-m", "tartip.local_secrets", str(var_dir / "secrets.env"), var_dir=var_dir)
    assert result.returncode == 0, result.stderr
    return var_dir / "secrets.env"


def test_make_runs_secrets_file_is_written_once_for_its_owner_only(tmp_path):
    secrets_file = generate_secrets(tmp_path)
    first = secrets_file.read_text()
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert {line.split("=")[0] for line in first.splitlines()} == set(SECRET_NAMES)
    generate_secrets(tmp_path)
    assert secrets_file.read_text() == first


def test_a_manage_py_command_with_debug_off_reads_the_secrets_file(tmp_path):
    generate_secrets(tmp_path)
    result = run_python("manage.py", "check", var_dir=tmp_path, **without_secrets())
    assert result.returncode == 0, result.stderr


def test_the_environment_wins_over_the_secrets_file(tmp_path):
    secrets_file = generate_secrets(tmp_path)
    result = run_python("-c", PRINT_SECRETS, var_dir=tmp_path, FIELD_ENCRYPTION_KEY=None, AUDIT_KEY=None)
    assert result.returncode == 0, result.stderr
    secret_key, encryption_keys, audit_keys, _ = json.loads(result.stdout.strip().splitlines()[-1])
    from_file = dict(line.split("=", 1) for line in secrets_file.read_text().splitlines())
    assert secret_key == GOOD_ENVIRONMENT["SECRET_KEY"]
    assert encryption_keys == [from_file["FIELD_ENCRYPTION_KEY"]]
    assert audit_keys == [from_file["AUDIT_KEY"]]


def test_development_writes_the_secrets_file_and_keeps_its_earlier_keys(tmp_path):
    # Data written under var/ before the file existed stays readable: the dev-* keys are taken over.
    (tmp_path / "dev-field-encryption-key").write_text(GOOD_ENVIRONMENT["FIELD_ENCRYPTION_KEY"])
    result = run_python("-c", PRINT_SECRETS, var_dir=tmp_path, DEBUG="1", **without_secrets())
    assert result.returncode == 0, result.stderr
    secret_key, encryption_keys, _, debug = json.loads(result.stdout.strip().splitlines()[-1])
    assert debug is True
    assert encryption_keys == [GOOD_ENVIRONMENT["FIELD_ENCRYPTION_KEY"]]
    assert f"SECRET_KEY={secret_key}\n" in (tmp_path / "secrets.env").read_text()


def test_make_run_turns_secure_cookies_off_by_name_only():
    result = run_python("-c", PRINT_SECURITY_SETTINGS, SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
