"""Reporters' contacts are encrypted at rest (lib.crypto): the raw rows hold no plain value, several
keys work together, a retired key is named and never crashes a page, the same person is found again
by keyed hash, `rotate_field_key` moves every row to the newest keys and resumes when interrupted,
and the migration encrypts the rows stored before it."""

import base64
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import translation

from lib import crypto
from lib.key_rotation import protected_models, rotate_model
from signals import services
from signals.models import ReporterContact, ReportSupporter
from signals.notices import reporter_addresses
from signals.tests.test_intake_web import anonymous, form_data, make_report

OLD_KEY = base64.urlsafe_b64encode(b"old-field-key-for-tests-only-32b").decode()
NEW_KEY = base64.urlsafe_b64encode(b"new-field-key-for-tests-only-32b").decode()
OLD_HASH_KEY = "old-hash-key-for-tests-only-0123456789"
NEW_HASH_KEY = "new-hash-key-for-tests-only-0123456789"
CONTACT = {"name": "Aigerim Nurlanovna", "phone": "+7 701 234 5678", "email": "Aigerim@Example.kz"}


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's table
        return cursor.fetchall()


def stored(model, *fields) -> list[tuple]:
    """The values as stored, not decrypted by the fields."""
    raw = {f"raw_{name}": Cast(name, TextField()) for name in fields}
    return list(model.objects.annotate(**raw).values_list("report_id", *raw))


def assert_no_plain_value(table: str, plain_values) -> None:
    rows = raw_rows(table)
    assert rows, f"{table} is empty: nothing was checked"
    stored = " ".join(str(value) for row in rows for value in row)
    for plain in plain_values:
        for form in {plain, plain.lower(), plain.replace(" ", ""), hashlib.sha256(plain.encode()).hexdigest()}:
            assert form not in stored, f"{form!r} is stored in {table}"


def test_the_raw_rows_hold_no_plain_contact(db):
    response = anonymous().post(
        "/report/",
        form_data(
            contact_consent="on",
            contact_name=CONTACT["name"],
            contact_phone=CONTACT["phone"],
            contact_email=CONTACT["email"],
        ),
    )
    assert response.status_code == 302
    report = ReporterContact.objects.get().report
    services.report_me_too(report=report, contact={**CONTACT, "name": "Serik Bolatuly"})

    assert_no_plain_value(ReporterContact._meta.db_table, [*CONTACT.values(), "77012345678", "aigerim@example.kz"])
    assert_no_plain_value(ReportSupporter._meta.db_table, ["Serik Bolatuly", *CONTACT.values()])
    # Read through the model, the values are the ones typed.
    contact = ReporterContact.objects.get()
    assert (contact.name, contact.phone, contact.email) == tuple(CONTACT.values())
    assert contact.phone_hash.startswith(crypto.current_hash_key_id() + "$")


def test_the_newest_key_encrypts_and_every_key_decrypts(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    report, _ = make_report(contact=CONTACT)
    old_id = crypto.key_id(OLD_KEY)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert ReporterContact.objects.get(report=report).name == CONTACT["name"]
    newer, _ = make_report(contact=CONTACT)
    names = dict(stored(ReporterContact, "name"))
    assert names[report.pk].startswith(old_id + "$")
    assert names[newer.pk].startswith(crypto.key_id(NEW_KEY) + "$")


def test_a_retired_key_is_named_and_the_page_still_shows(db, settings, login):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    report, _ = make_report(contact=CONTACT)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    contact = ReporterContact.objects.get(report=report)
    assert isinstance(contact.name, crypto.UnreadableValue)
    assert crypto.key_id(OLD_KEY) in contact.name and CONTACT["name"] not in contact.name

    response = login("alga_prosecutor").get(f"/signals/{report.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    # In the page's language (Kazakh by default), naming the key.
    with translation.override("kk"):
        message = str(crypto.UnreadableValue("", crypto.key_id(OLD_KEY)))
    assert crypto.key_id(OLD_KEY) in message and message in html
    assert CONTACT["name"] not in html

    # Saved again as it was read, the row keeps its ciphertext: the value comes back with its key.
    contact.save()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert ReporterContact.objects.get(report=report).name == CONTACT["name"]


def test_an_encrypted_field_refuses_a_search_by_value(db):
    with pytest.raises(TypeError, match="keyed hash"):
        list(ReporterContact.objects.filter(phone=CONTACT["phone"]))
    assert not ReporterContact.objects.filter(phone="").exists()


def test_the_keyed_hash_finds_a_phone_however_it_was_typed_and_needs_its_key(settings):
    field = ReporterContact._meta.get_field("phone_hash")
    assert field.hash_of("8 701 234 56 78") == field.hash_of("+7 (701) 234-56-78")
    assert field.hash_of("+77012345678").split("$")[1] != hashlib.sha256(b"+77012345678").hexdigest()
    settings.FIELD_HASH_KEYS = [NEW_HASH_KEY, OLD_HASH_KEY]
    under_new = field.hash_of("87012345678")
    settings.FIELD_HASH_KEYS = [OLD_HASH_KEY]
    assert field.hash_of("87012345678") != under_new
    settings.FIELD_HASH_KEYS = [NEW_HASH_KEY, OLD_HASH_KEY]
    assert len(field.candidates("87012345678")) == 2


def test_a_prosecutor_sees_the_same_persons_other_reports_in_scope_only(db, login, settings):
    settings.FIELD_HASH_KEYS = [OLD_HASH_KEY]
    first, _ = make_report(contact=CONTACT)
    # Another key since: the earlier report is still found (every configured key is tried).
    settings.FIELD_HASH_KEYS = [NEW_HASH_KEY, OLD_HASH_KEY]
    second, _ = make_report(contact={"phone": "8 (701) 234 56 78"})
    elsewhere, _ = make_report(kato="155600000", contact={"phone": "87012345678", "email": "aigerim@example.kz"})
    stranger, _ = make_report(contact={"phone": "+7 702 000 0000"})

    html = login("alga_prosecutor").get(f"/signals/{second.reference}/").content.decode()
    assert first.reference in html
    assert elsewhere.reference not in html  # Temir's report: not in the Alga prosecutor's scope
    assert stranger.reference not in html

    regional = login("regional_prosecutor").get(f"/signals/{second.reference}/").content.decode()
    assert first.reference in regional and elsewhere.reference in regional

    officer = login("alga_officer").get(f"/signals/{second.reference}/")
    assert officer.status_code in (200, 404)
    assert "same phone or email" not in officer.content.decode()


def _under_old_keys(settings, count: int) -> list:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.FIELD_HASH_KEYS = [OLD_HASH_KEY]
    reports = [make_report(contact={**CONTACT, "name": f"Reporter {n}"})[0] for n in range(count)]
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    settings.FIELD_HASH_KEYS = [NEW_HASH_KEY, OLD_HASH_KEY]
    return reports


def _all_under_new_keys() -> bool:
    new_id, new_hash_id = crypto.key_id(NEW_KEY), crypto.key_id(NEW_HASH_KEY)
    encrypted = stored(ReporterContact, "name", "phone", "email")
    hashes = ReporterContact.objects.values_list("phone_hash", "email_hash")
    return all(value.startswith(new_id + "$") for _report, *values in encrypted for value in values) and all(
        value.startswith(new_hash_id + "$") for pair in hashes for value in pair
    )


def test_rotate_field_key_moves_every_row_to_the_newest_keys_and_resumes(db, settings, capsys):
    reports = _under_old_keys(settings, 5)
    contacts = next(p for p in protected_models() if p.model is ReporterContact)

    class Interrupted(Exception):
        pass

    def interrupt(progress):
        raise Interrupted

    with pytest.raises(Interrupted):
        rotate_model(contacts, batch_size=2, on_batch=interrupt)
    # The first batch was committed under the new keys, the rest is still under the old ones.
    call_command("rotate_field_key", "--dry-run")
    assert "signals.ReporterContact: 3 row(s) under an older key" in capsys.readouterr().out

    call_command("rotate_field_key", "--batch-size", "2")
    assert "signals.ReporterContact: 3 row(s) rewritten, 0 unreadable" in capsys.readouterr().out
    assert _all_under_new_keys()
    # The old keys can go: every value reads back, and the person is found by the new hash alone.
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    settings.FIELD_HASH_KEYS = [NEW_HASH_KEY]
    names = sorted(ReporterContact.objects.values_list("name", flat=True))
    assert names == [f"Reporter {n}" for n in range(5)]
    phone_hash = ReporterContact._meta.get_field("phone_hash").hash_of(CONTACT["phone"])
    assert ReporterContact.objects.filter(phone_hash=phone_hash).count() == len(reports)


def test_rotate_field_key_names_a_missing_key_and_leaves_its_rows(db, settings):
    _under_old_keys(settings, 2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(CommandError, match=crypto.key_id(OLD_KEY)):
        call_command("rotate_field_key")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert sorted(ReporterContact.objects.values_list("name", flat=True)) == ["Reporter 0", "Reporter 1"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_stored_before_it():
    """Migration 0007 alone is unapplied and applied again: no migration after it touches the
    contacts' tables, so the rest of the project stays migrated (unapplying and applying again all
    that depends on it took half a minute per database)."""
    # Written before going back: the report table is the same on both sides of the migration.
    report, _ = make_report()
    executor = MigrationExecutor(connection)
    encrypting = executor.loader.get_migration("signals", "0007_encrypt_reporter_contacts")
    plain_state = executor.loader.project_state(("signals", "0006_event_indexes"))
    executor.unapply_migration(plain_state.clone(), encrypting)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO signals_reportercontact (report_id, name, phone, email, consent_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            [report.pk, CONTACT["name"], CONTACT["phone"], CONTACT["email"], report.submitted_at],
        )
    executor.apply_migration(plain_state.clone(), encrypting)
    assert MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes()) == []
    # What 0007 alone makes of the contacts' tables is what their models read today.
    for model in (ReporterContact, ReportSupporter):
        with connection.cursor() as cursor:
            description = connection.introspection.get_table_description(cursor, model._meta.db_table)
        assert sorted(column.name for column in description) == sorted(f.column for f in model._meta.concrete_fields)

    assert_no_plain_value(ReporterContact._meta.db_table, CONTACT.values())
    contact = ReporterContact.objects.get()
    assert (contact.name, contact.phone, contact.email) == tuple(CONTACT.values())
    assert contact.phone_hash == ReporterContact._meta.get_field("phone_hash").hash_of(CONTACT["phone"])


def test_a_contact_under_a_retired_key_does_not_stop_the_others_mail(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    report, _ = make_report(contact=CONTACT)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    services.report_me_too(report=report, contact={"email": "serik@example.kz"})
    assert reporter_addresses(report) == ["serik@example.kz"]


def test_a_value_in_plain_text_is_read_as_it_is_and_encrypted_by_the_rotation(db, settings):
    report, _ = make_report(contact=CONTACT)
    # As a process older than the encryption would have written it, during a deploy.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE signals_reportercontact SET name = %s WHERE report_id = %s", ["Plain Name", report.pk])
    assert ReporterContact.objects.get(report=report).name == "Plain Name"
    call_command("rotate_field_key", stdout=StringIO())
    ((_report, raw_name),) = stored(ReporterContact, "name")
    assert raw_name.startswith(crypto.current_encryption_key_id() + "$")
    assert ReporterContact.objects.get(report=report).name == "Plain Name"


def test_an_altered_value_says_so_and_is_not_taken_for_a_missing_key(db, settings):
    report, _ = make_report(contact=CONTACT)
    ((_report, raw_name),) = stored(ReporterContact, "name")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE signals_reportercontact SET name = %s WHERE report_id = %s", [raw_name[:-6] + "AAAAAA", report.pk]
        )
    name = ReporterContact.objects.get(report=report).name
    assert not crypto.readable(name) and name.damaged and "does not decrypt" in name
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, *settings.FIELD_ENCRYPTION_KEYS]
    out = StringIO()
    call_command("rotate_field_key", stdout=out)  # its key is configured: no missing key to name
    assert "signals.ReporterContact: 0 row(s) rewritten, 1 unreadable" in out.getvalue()


def test_other_lookups_of_an_encrypted_field_are_refused(db):
    with pytest.raises(FieldError):
        list(ReporterContact.objects.filter(phone__in=[CONTACT["phone"]]))
    with pytest.raises(FieldError):
        list(ReporterContact.objects.filter(name__icontains="Aigerim"))
