"""Settings fail loudly on malformed environment variables, and are strict when DEBUG is off."""

import json
import os
import subprocess
import sys
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
OUR_VARIABLES = {*GOOD_ENVIRONMENT, "DATABASE_URL", "CACHE_URL", "EMAIL_URL", "SECURE_SSL_REDIRECT", "TARTIP_TESTING"}
# Settings read with DEBUG off, printed as JSON by the child process.
PRINT_SECURITY_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")}))
"""


def run_python(*arguments: str, **variables: str | None) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with the good environment changed by `variables` (None: unset)."""
    environment = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    environment.update(GOOD_ENVIRONMENT)
    for key, value in variables.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
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
