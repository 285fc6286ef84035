import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.audit import (
    GENESIS_MAC,
    audit_record,
    chain_head,
    latest_checkpoint,
    verify_audit_chain,
    write_checkpoint,
)
from accounts.audit_hooks import audit_denied
from accounts.auth_views import permission_denied
from accounts.models import AuditEvent, AuditLogIsAppendOnly, Role, User
from accounts.tasks import write_audit_checkpoint
from conftest import PASSWORD
from lib.plugins import periodic_jobs

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
    assert verify_audit_chain().intact


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
    assert events[1].previous_mac == events[0].mac
    assert events[2].previous_mac == events[1].mac
    assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
    if first_ever:
        assert events[0].previous_mac == GENESIS_MAC and events[0].seq == 1


def raw_sql(sql: str, params=()) -> None:
    """A change made past the model's guards, as somebody with write access to the table could."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def findings() -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in verify_audit_chain().findings]


def chain_of(count: int) -> list[AuditEvent]:
    return [audit_record(action=Action.LOGIN, target=f"t{i}", details={"n": i}) for i in range(count)]


def test_it_names_an_edited_row(persona):
    events = chain_of(4)
    assert "Audit chain intact: 4 rows" in verify_output()
    raw_sql("UPDATE accounts_auditevent SET details = %s WHERE id = %s", ['{"n": 99}', events[2].id])
    assert findings() == [("edited", f"row 3 (id {events[2].id}) was edited: its MAC no longer matches its content")]
    with pytest.raises(CommandError, match="Audit log NOT intact: 1 problem"):
        call_command("verify_audit")


def test_it_names_a_row_whose_mac_was_replaced(persona):
    events = chain_of(3)
    raw_sql("UPDATE accounts_auditevent SET mac = %s WHERE id = %s", ["f" * 64, events[1].id])
    assert [kind for kind, _text in findings()] == ["edited"]
    assert f"id {events[1].id}" in findings()[0][1]


def test_it_names_deleted_rows(persona):
    events = chain_of(5)
    raw_sql("DELETE FROM accounts_auditevent WHERE id IN (%s, %s)", [events[1].id, events[2].id])
    assert findings() == [("deleted", "rows 2 to 3 deleted (the chain goes on at row 4)")]


def test_it_names_an_inserted_row(persona):
    events = chain_of(3)
    # A forged row slipped between the first two: the attacker has no key, so its MAC is a guess.
    for event in reversed(events[1:]):  # one by one, from the end: the column is unique
        raw_sql("UPDATE accounts_auditevent SET seq = seq + 1 WHERE id = %s", [event.id])
    raw_sql(
        "INSERT INTO accounts_auditevent (seq, previous_mac, key_id, mac, at, action, actor_label, target, details) "
        "VALUES (2, %s, %s, %s, %s, 'login', 'intruder', 'x', '{}')",
        [events[0].mac, events[0].key_id, "e" * 64, events[0].at],
    )
    forged = AuditEvent.objects.get(actor_label="intruder")
    result = findings()
    assert ("inserted", f"row id {forged.id} was inserted: it is not part of the chain (its MAC is wrong)") in result


def test_a_chain_recomputed_without_the_key_is_refused(persona, settings):
    """Somebody with write access rewrites a row and the whole chain after it, as the old unkeyed
    SHA-256 chain allowed: without AUDIT_KEY every MAC they compute is wrong."""
    events = chain_of(3)
    settings.AUDIT_KEYS = ["a-guess-at-the-key-by-the-intruder-0123456789"]
    forged = [audit_record(action=Action.LOGIN, target="rewritten") for _ in range(2)]
    settings.AUDIT_KEYS = ["test-audit-key-not-for-production-0123456789"]
    assert [kind for kind, _ in findings()] == ["unknown_key", "unknown_key"]
    assert all(str(f.id) in text for f, (_kind, text) in zip(forged, findings(), strict=True))
    assert events  # the rows before the forgery still verify


def test_a_checkpoint_shows_rows_cut_from_the_end(persona):
    chain_of(4)
    checkpoint = write_checkpoint()
    assert (checkpoint.seq, checkpoint.mac) == chain_head()
    assert write_checkpoint() is None  # the head has not moved: nothing new to sign
    assert "Last checkpoint: 4 rows" in verify_output()

    raw_sql("DELETE FROM accounts_auditevent WHERE seq >= 3")
    result = findings()
    assert len(result) == 1 and result[0][0] == "truncated"
    assert result[0][1].startswith("rows 3 to 4 were cut from the end: the checkpoint of ")


def test_it_says_which_rows_are_not_yet_covered_by_a_checkpoint(persona):
    chain_of(2)
    assert "No checkpoint yet" in verify_output()
    write_checkpoint()
    chain_of(3)
    output = verify_output()
    assert "3 row(s) written since that checkpoint could be cut unseen until the next one (every 5 minute(s))" in output


def test_a_forged_checkpoint_is_refused(persona, settings):
    chain_of(2)
    settings.AUDIT_KEYS = ["a-guess-at-the-key-by-the-intruder-0123456789", *settings.AUDIT_KEYS]
    write_checkpoint()  # signed with a key the verifier will not have
    settings.AUDIT_KEYS = settings.AUDIT_KEYS[1:]
    assert [kind for kind, _ in findings()] == ["checkpoint"]


def test_a_rolled_back_append_leaves_no_gap(persona):
    chain_of(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=Action.LOGIN, target="rolled back")
        raise RuntimeError
    chain_of(1)
    assert findings() == []


def test_the_scheduler_writes_checkpoints(persona):
    chain_of(1)
    assert "audit-checkpoint" in periodic_jobs()
    assert periodic_jobs()["audit-checkpoint"].seconds == 300
    write_audit_checkpoint.call()
    assert latest_checkpoint().seq == chain_head()[0]


def test_it_keeps_the_chain_when_an_account_is_deleted(persona):
    user = User.objects.create_user("leaving", role=Role.CITIZEN)
    audit_record(action=Action.LOGIN, actor=user)
    user.delete()
    assert verify_audit_chain().intact
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
    assert verify_audit_chain().intact


def audit_columns() -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, AuditEvent._meta.db_table)
    return sorted(column.name for column in description)


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_rows_stored_before_it():
    """Migration 0005 alone is unapplied and applied again: the migrations after it (0006, the
    regions' time zone; 0007, the actions' choices; the other apps') leave the audit table as 0005
    made it, so the rest of the project stays migrated (unapplying and applying it all again took
    most of a minute and a half per database)."""
    executor = MigrationExecutor(connection)
    sealing = executor.loader.get_migration("accounts", "0005_audit_mac_chain")
    unkeyed = ("accounts", "0004_notification_once")
    unkeyed_state = executor.loader.project_state(unkeyed)

    executor.unapply_migration(unkeyed_state.clone(), sealing)
    assert "previous_hash" in audit_columns() and "seq" not in audit_columns()
    for n in range(3):
        raw_sql(
            "INSERT INTO accounts_auditevent (at, action, actor_label, target, details, previous_hash, hash) "
            "VALUES (%s, 'login', '', %s, '{}', %s, %s)",
            ["2026-01-01T00:00:00+00:00", f"old {n}", str(n) * 64, str(n + 1) * 64],
        )
    executor.apply_migration(unkeyed_state.clone(), sealing)
    # What 0005 alone makes of the table is what the model reads today.
    assert audit_columns() == sorted(field.column for field in AuditEvent._meta.concrete_fields)
    assert list(AuditEvent.objects.values_list("seq", "target")) == [(1, "old 0"), (2, "old 1"), (3, "old 2")]
    assert verify_audit_chain().intact
    raw_sql("UPDATE accounts_auditevent SET target = 'changed' WHERE seq = 2")
    assert [finding.kind for finding in verify_audit_chain().findings] == ["edited"]

    # Back to the unkeyed chain, which is whole again (the edit included), then forward once more.
    executor.unapply_migration(unkeyed_state.clone(), sealing)
    old_events = unkeyed_state.apps.get_model("accounts", "AuditEvent").objects.order_by("id")
    migration = importlib.import_module("accounts.migrations.0005_audit_mac_chain")
    previous = "0" * 64
    assert [event.target for event in old_events] == ["old 0", "changed", "old 2"]
    for event in old_events:
        assert (event.previous_hash, event.hash) == (previous, migration._old_hash(event, previous))
        previous = event.hash
    executor.apply_migration(unkeyed_state.clone(), sealing)
    assert verify_audit_chain().intact
    assert MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_rows_cut_and_written_again_are_seen_and_stop_the_checkpoints(persona, caplog):
    """Cutting the end and letting the log grow again must not be signed over by the next checkpoint."""
    chain_of(5)
    write_checkpoint()
    raw_sql("DELETE FROM accounts_auditevent WHERE seq >= 4")
    chain_of(3)  # rows 4, 5, 6 again, each with a valid MAC
    assert write_checkpoint() is None
    assert "no longer holds what checkpoint" in caplog.text
    assert [kind for kind, _ in findings()] == ["rewritten"]

    # Once looked into, the break is recorded and checkpoints go on from the chain as it is.
    out = StringIO()
    call_command("verify_audit", "--accept-break", stdout=out, stderr=StringIO())
    assert "The break is recorded in the log" in out.getvalue()
    assert AuditEvent.objects.filter(details__operation="break accepted").exists()
    assert verify_audit_chain().intact


def test_a_deleted_row_before_an_edited_one_is_named_too(persona):
    events = chain_of(5)
    raw_sql("DELETE FROM accounts_auditevent WHERE seq = 3")
    raw_sql("UPDATE accounts_auditevent SET target = 'changed' WHERE id = %s", [events[3].id])
    assert [kind for kind, _ in findings()] == ["deleted", "edited"]


def test_a_damaged_checkpoint_is_named_and_the_one_before_still_counts(persona, settings):
    chain_of(3)
    first = write_checkpoint()
    chain_of(1)
    second = write_checkpoint()
    location = settings.STORAGES["audit_checkpoints"]["OPTIONS"]["location"]
    (Path(location) / second.file_name).write_text("{not json")
    raw_sql("DELETE FROM accounts_auditevent WHERE seq >= 3")
    kinds = [kind for kind, _ in findings()]
    assert kinds == ["checkpoint", "truncated"]
    assert verify_audit_chain().checkpoint == first
