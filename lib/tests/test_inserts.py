import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Notification
from conftest import make_persona
from lib.inserts import insert_new

pytestmark = pytest.mark.django_db


def test_it_inserts_rows_in_order_and_gives_each_its_primary_key():
    user = make_persona("citizen")
    now = timezone.now()
    rows = [Notification(user=user, at=now - timedelta(minutes=n), subject=f"subject {n}") for n in range(3)]
    insert_new(rows)
    for n, row in enumerate(rows):
        stored = Notification.objects.get(pk=row.pk)
        assert (stored.subject, stored.at, stored.user_id) == (f"subject {n}", row.at, user.pk)
        assert not row._state.adding and row._state.db == "default"
    # The saved instance behaves as after create(): a save() updates instead of inserting again.
    rows[0].subject = "changed"
    rows[0].save()
    assert Notification.objects.count() == 3
    assert Notification.objects.get(pk=rows[0].pk).subject == "changed"


def test_it_prepares_values_as_the_orm_does():
    """Defaults, auto_now_add, JSON and a UUID primary key, stored as create() stores them."""
    now = timezone.now()
    row = DBTaskResult(
        args_kwargs={"args": [1, "ә"], "kwargs": {"a": None}},
        task_path="lib.tasks.worker_heartbeat",
        backend_name="default",
        run_after=now,
    )
    insert_new([row])
    twin = DBTaskResult.objects.create(
        args_kwargs={"args": [1, "ә"], "kwargs": {"a": None}},
        task_path="lib.tasks.worker_heartbeat",
        backend_name="default",
        run_after=now,
    )
    stored = DBTaskResult.objects.get(pk=row.pk)
    assert isinstance(row.pk, uuid.UUID) and row.pk == stored.pk  # a key of its own stays as it was
    assert stored.enqueued_at is not None and row.enqueued_at == stored.enqueued_at
    for field in ("args_kwargs", "priority", "queue_name", "status", "worker_ids", "return_value", "run_after"):
        assert getattr(stored, field) == getattr(twin, field), field


def test_a_refused_row_raises_the_orms_integrity_error_and_leaves_nothing():
    user = make_persona("citizen")
    rows = [Notification(user=user, at=timezone.now(), subject="fine"), Notification(user=user, at=None, subject="")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(rows)
    assert not Notification.objects.exists()
    assert rows[0].pk is None and rows[0]._state.adding


def test_it_sends_pre_save_and_post_save_as_create_does():
    """django_tasks_db fills run_after in a pre_save receiver; a post_save receiver sees the pk."""
    from django.db.models.signals import post_save

    seen = []

    def saved(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(saved, sender=DBTaskResult)
    try:
        row = DBTaskResult(args_kwargs={}, task_path="lib.tasks.worker_heartbeat", backend_name="default")
        insert_new([row])
    finally:
        post_save.disconnect(saved, sender=DBTaskResult)
    assert seen == [(row.pk, True)]
    assert DBTaskResult.objects.get(pk=row.pk).run_after.year == 9999


def test_a_failed_insert_marks_the_atomic_block_for_rollback_as_save_does():
    from django.db.transaction import TransactionManagementError

    user = make_persona("citizen")
    with pytest.raises(TransactionManagementError), transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_new([Notification(user=user, at=None, subject="")])
        Notification.objects.create(user=user, at=timezone.now(), subject="after the failure")
    assert not Notification.objects.exists()


def test_it_refuses_a_model_with_its_own_save():
    from accounts.models import User

    assert User.save is not Model.save
    with pytest.raises(NotImplementedError):
        insert_new([User(username="x")])


def test_insert_rows_writes_plain_rows_as_the_orm_would(db):
    from lib.inserts import insert_rows
    from lib.models import WorkClaim

    now = timezone.now()
    insert_rows(
        WorkClaim, ("key", "claimed_at", "done_at", "keep_until"), [("a", now, None, None), ("b", now, now, None)]
    )
    stored = {claim.key: claim for claim in WorkClaim.objects.filter(key__in=["a", "b"])}
    assert stored["a"].claimed_at == now and stored["a"].done_at is None and stored["b"].done_at == now


def test_insert_rows_keeps_text_that_copy_must_escape(db):
    from lib.inserts import insert_rows
    from lib.models import WorkClaim

    now = timezone.now()
    awkward = "tab\there\\N back\\slash\nnew line\r\nend"
    insert_rows(WorkClaim, ("key", "claimed_at", "done_at", "keep_until"), [(awkward, now, None, now)])
    stored = WorkClaim.objects.get(key=awkward)
    assert (stored.claimed_at, stored.done_at, stored.keep_until) == (now, None, now)


def test_one_of_finds_the_rows_of_thousands_of_values(db):
    from lib.inserts import insert_rows, one_of
    from lib.models import WorkClaim

    now = timezone.now()
    insert_rows(WorkClaim, ("key", "claimed_at", "done_at", "keep_until"), [("k-1", now, None, None)])
    wanted = [f"k-{number}" for number in range(5000)]
    found = WorkClaim.objects.filter(key__in=one_of(WorkClaim, wanted, "text")).values_list("key", flat=True)
    assert list(found) == ["k-1"]
    with pytest.raises(ValueError):
        one_of(WorkClaim, wanted, "text[]); DROP TABLE x; --")


def test_array_literal_is_read_back_by_postgresql_as_the_values_it_was_given(db):
    from django.db import connection

    from lib.inserts import array_literal

    texts = ["plain", 'with "quotes"', "back\\slash", "comma, {braces}", "NULL", "", None, "тенге"]
    numbers, times = [1, None, 10**12], [timezone.now(), None]
    assert array_literal([1, None, 3]) == "{1,NULL,3}"
    if connection.vendor != "postgresql":
        pytest.skip("the literal is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::timestamptz[]",
            [array_literal(texts), array_literal(numbers), array_literal(times)],
        )
        assert cursor.fetchone() == (texts, numbers, times)


def test_lines_formatted_for_copy_are_read_back_as_the_values_they_were(db):
    from decimal import Decimal

    from django.db import connection

    from lib.inserts import copy_line, insert_lines
    from lib.models import WorkClaim

    now = timezone.now()
    awkward = "tab\there\\N back\\slash\nnew line\r\nend"
    assert copy_line([None, 12, Decimal("59500.00"), "a\tb", now]) == f"\\N\t12\t59500.00\ta\\tb\t{now.isoformat()}"
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    insert_lines(WorkClaim, ("key", "claimed_at", "done_at", "keep_until"), [copy_line([awkward, now, None, now])])
    stored = WorkClaim.objects.get(key=awkward)
    assert (stored.claimed_at, stored.done_at, stored.keep_until) == (now, None, now)
