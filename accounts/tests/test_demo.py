"""`manage.py demo`: demo accounts for every role, idempotent, never by accident in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts import demo
from accounts.models import Role, User


def run_demo(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def accounts_step_only(monkeypatch):
    """The accounts' own step: the other apps' (two years of reports, acts) are tested by their
    apps and take a minute a run."""
    from accounts.management.commands import demo as command

    steps = [builder for builder in command.demo_builders() if builder.path.startswith("accounts.")]
    assert steps, "the accounts app declares its demo step"
    monkeypatch.setattr(command, "demo_builders", lambda: steps)


def test_it_creates_an_account_for_every_role(db, debug_on):
    run_demo()
    roles = set(User.objects.filter(username__in=[d.username for d in demo.DEMO_USERS]).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.get(username="prosecutor.alga").check_password(demo.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser


def test_it_creates_no_duplicates_when_run_twice(db, debug_on):
    run_demo()
    count = User.objects.count()
    run_demo()
    assert User.objects.count() == count == len(demo.DEMO_USERS)


def test_it_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run_demo()
    assert not User.objects.exists()


def test_it_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    run_demo("--force")
    assert User.objects.filter(username="analyst").exists()


def test_it_does_nothing_with_if_empty_when_users_exist(db, debug_on, persona):
    persona("citizen")
    run_demo("--if-empty")
    assert User.objects.count() == 1


def test_it_lists_the_logins_and_the_password(db, debug_on):
    run_demo()
    out, _ = run_demo("--list")
    assert "prosecutor.temir" in out
    assert "akt-prok-temir" in out
    assert demo.DEMO_PASSWORD in out
    assert "authenticator" in out


def test_it_skips_a_person_whose_organisation_is_missing(db, debug_on, monkeypatch):
    ghost = demo.DemoUser("ghost", Role.BODY_OFFICER, "no-such-body", "A", "B")
    monkeypatch.setattr(demo, "DEMO_USERS", [*demo.DEMO_USERS, ghost])
    _, err = run_demo()
    assert "no-such-body" in err
    assert not User.objects.filter(username="ghost").exists()
