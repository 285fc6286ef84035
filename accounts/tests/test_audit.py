import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.audit import GENESIS_HASH, audit_record, verify_audit_chain
from accounts.audit_hooks import audit_denied
from accounts.auth_views import permission_denied
from accounts.models import AuditEvent, AuditLogIsAppendOnly, Role, User
from conftest import PASSWORD

Action = AuditEvent.Action


def staff_client(address="10.1.2.3") -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_it_records_a_staff_login_with_the_address(persona):
    officer = persona("alga_officer")
    log_in(staff_client("10.1.2.3"), "alga_officer")
    event = AuditEvent.objects.filter(action=Action.LOGIN).latest("id")
    assert event.actor == officer
    assert event.actor_label == "alga_officer"
    assert event.address == "10.1.2.3"


def test_it_records_no_address_for_a_citizen(persona):
    persona("citizen")
    log_in(staff_client("10.1.2.3"), "citizen")
    event = AuditEvent.objects.filter(action=Action.LOGIN).latest("id")
    assert event.actor_label == "citizen"
    assert event.address is None


def test_it_records_a_failed_login_without_the_password(persona):
    persona("alga_officer")
    log_in(staff_client(), "alga_officer", "secret-guess-123")
    log_in(staff_client(), "no-such-user", "secret-guess-123")
    failures = list(AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("id"))
    assert [event.target for event in failures] == ["alga_officer", "no-such-user"]
    assert failures[0].address == "10.1.2.3"
    assert failures[1].actor is None and failures[1].address is None
    assert not any("secret-guess" in str(event.details) for event in failures)


def test_it_records_a_logout(persona):
    persona("alga_officer")
    client = staff_client()
    log_in(client, "alga_officer")
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor_label="alga_officer").exists()


def test_it_records_an_admin_change(persona):
    admin = persona("administrator")
    citizen = persona("citizen")
    LogEntry.objects.log_actions(
        user_id=admin.pk,
        queryset=[citizen],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Email address"]}}],
        single_object=True,
    )
    event = AuditEvent.objects.filter(action=Action.ADMIN_CHANGE).latest("id")
    assert event.actor == admin
    assert event.target == f"accounts.user:{citizen.pk}"
    assert event.details["object"] == "citizen"
    assert event.details["operation"] == "change"
    assert "Email address" in event.details["change"]


def test_it_records_a_bulk_deletion_in_the_admin(login):
    client = login("administrator")
    doomed = [User.objects.create_user(f"spare{i}", role=Role.CITIZEN) for i in range(2)]
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [user.pk for user in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(username__startswith="spare").exists()
    event = AuditEvent.objects.filter(action=Action.ADMIN_CHANGE).latest("id")
    assert event.details == {"operation": "delete", "objects": ["spare0", "spare1"]}
    assert verify_audit_chain() is None


def test_it_records_a_refusal(persona):
    officer = persona("alga_officer")
    request = RequestFactory().get("/signals/42/", REMOTE_ADDR="10.9.9.9")
    request.user = officer
    audit_denied(request, "signals.report:42")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.target, event.address) == (Action.ACCESS_DENIED, "signals.report:42", "10.9.9.9")


def test_it_records_a_403_from_the_handler(persona):
    request = RequestFactory().get("/board/secret/")
    request.user = persona("alga_officer")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert AuditEvent.objects.latest("id").target == "/board/secret/"


def test_it_chains_each_row_to_the_one_before(persona):
    first_ever = not AuditEvent.objects.exists()
    actor = persona("analyst")
    events = [audit_record(action=Action.PERSONAL_DATA_VIEW, actor=actor, target=f"t{i}") for i in range(3)]
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    if first_ever:
        assert events[0].previous_hash == GENESIS_HASH


def test_it_verifies_the_chain_and_names_an_edited_row(persona):
    actor = persona("analyst")
    events = [audit_record(action=Action.PERSONAL_DATA_VIEW, actor=actor, details={"n": i}) for i in range(4)]
    assert "Audit chain intact:" in verify_output()

    with connection.cursor() as cursor:  # an edit that bypasses the model's guards
        cursor.execute("UPDATE accounts_auditevent SET details = %s WHERE id = %s", ['{"n": 99}', events[2].id])
    assert verify_audit_chain() == events[2].id
    with pytest.raises(CommandError, match=f"event {events[2].id}"):
        call_command("verify_audit")


def test_it_names_the_row_after_an_edited_hash(persona):
    events = [audit_record(action=Action.LOGIN, target=str(i)) for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[1].id])
    # The row's own hash no longer matches its content.
    assert verify_audit_chain() == events[1].id


def test_it_names_the_row_after_a_removed_one(persona):
    events = [audit_record(action=Action.LOGIN, target=str(i)) for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].id])
    assert verify_audit_chain() == events[2].id


def test_it_keeps_the_chain_when_an_account_is_deleted(persona):
    user = User.objects.create_user("leaving", role=Role.CITIZEN)
    audit_record(action=Action.LOGIN, actor=user)
    user.delete()
    assert verify_audit_chain() is None
    assert AuditEvent.objects.latest("id").actor_id is not None


def test_it_refuses_to_change_or_remove_audit_rows(persona):
    event = audit_record(action=Action.LOGIN, target="x")
    event.target = "y"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(id=event.id).update(target="y")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(action=Action.LOGIN)])
    event.refresh_from_db()
    assert event.target == "x"
    assert verify_audit_chain() is None
