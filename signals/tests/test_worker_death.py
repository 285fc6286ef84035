"""A worker killed in the middle of a task: the task is put back in the queue once its lease has
expired, and a fresh worker finishes it, so the body hears of its report once, in the app and by
mail, neither never nor twice.

Real processes on a database this test reads too: `manage.py db_worker` against the test database
(PostgreSQL's as it is; SQLite's, in this process's memory, copied to a file this test then uses),
its mail written to files by a backend that holds the second message (signals/tests/held_mail.py).
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django_tasks_db.models import DBTaskResult

from accounts.models import District, Notification, Organisation, Role, User
from signals.models import Report
from signals.services import report_submit
from signals.tasks import notify_body

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # the workers' TASK_LEASE_SECONDS: short, so that the test waits little
WAIT = 90  # seconds a worker may take to start and reach a point (a loaded machine)
SUCCESSFUL, RUNNING = "SUCCESSFUL", "RUNNING"
ALGA = "153200000"
OFFICERS = ("duty-1@police.example.kz", "duty-2@police.example.kz")


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The DATABASE_URL of a database a worker in another process opens too, and this test's."""
    if connection.vendor != "sqlite":
        yield _url_of(connection.settings_dict)
        return
    # SQLite's test database lives in this process's memory: copy it (schema, reference data, cache
    # table) to a file, and let this test's connection open the file instead until it ends.
    memory = connections[DEFAULT_DB_ALIAS]
    memory.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    with sqlite3.connect(path) as target:
        memory.connection.backup(target)
    target.close()
    shared = memory.copy()
    shared.settings_dict["NAME"] = str(path)
    connections[DEFAULT_DB_ALIAS] = shared
    try:
        yield f"sqlite:///{path}"
    finally:
        shared.close()
        connections[DEFAULT_DB_ALIAS] = memory


def _url_of(database: dict) -> str:
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{database['HOST']}{port}/{database['NAME']}"


class Mailbox:
    """The held backend's files: where the workers' mail goes, and the hold's two files."""

    def __init__(self, folder: Path):
        self.folder = folder / "mail"
        self.held = folder / "held"  # created by the backend when it holds a message
        self.release = folder / "release"  # never created: the held worker is killed instead

    def recipients(self) -> list[str]:
        text = "".join(path.read_text() for path in sorted(self.folder.glob("*.log")))
        return sorted(re.findall(r"^To: (.+)$", text, flags=re.MULTILINE))


def worker_command(worker_id: str, *options: str) -> list[str]:
    return [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1",
            "--worker-id", worker_id, *options]  # fmt: skip


def worker_environment(database_url: str, mailbox: Mailbox, *, hold_at: int) -> dict[str, str]:
    env = dict(os.environ)  # the test run's settings (keys...), then the worker's own
    env.update(
        DJANGO_SETTINGS_MODULE="signals.tests.worker_settings",
        DATABASE_URL=database_url,
        TASK_LEASE_SECONDS=str(LEASE),
        TEST_MAIL_DIR=str(mailbox.folder),
        TEST_MAIL_HOLD_AT=str(hold_at),
        TEST_MAIL_HELD=str(mailbox.held),
        TEST_MAIL_RELEASE=str(mailbox.release),
    )
    return env


def stop(process: subprocess.Popen) -> None:
    """Kill the worker's own process group (it was started in a session of its own)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=WAIT)


def wait_until(condition, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not get there in {WAIT} s:\n{log.read_text()}")
        time.sleep(0.1)


def officer(email: str) -> User:
    return User.objects.create(
        username=email,
        email=email,
        role=Role.BODY_OFFICER,
        organisation=Organisation.objects.get(code="akt-police-alga"),
        language="en",
    )


def routed_report() -> Report:
    """A report routed to the Alga police: its routing notice is a task (signals.tasks.notify_body)."""
    return report_submit(
        actor=None,
        category="public-order",
        description="Fights near the shop every night.",
        channel=Report.Channel.WEB,
        district=District.objects.get(kato=ALGA),
        address="Alga, Main street 1",
    ).report


def test_it_notifies_and_mails_the_body_once_though_its_worker_was_killed_mid_send(shared_database, tmp_path):
    staff = [officer(email) for email in OFFICERS]
    report = routed_report()
    mailbox = Mailbox(tmp_path)
    log = tmp_path / "first-worker.log"

    # The first worker runs the routing notice, then its mail task, and is held at the second mail.
    with log.open("wb") as output:
        first = subprocess.Popen(
            worker_command("first"),
            cwd=ROOT,
            env=worker_environment(shared_database, mailbox, hold_at=2),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(mailbox.held.exists, first, log)
        mail_task = DBTaskResult.objects.get(task_path="accounts.tasks.mail_notifications")
        assert mail_task.status == RUNNING
        rows = list(Notification.objects.filter(user__in=staff).order_by("user_id"))
        assert all(row.mail_claimed_at is not None for row in rows)  # both claimed by the UPDATE
        assert [row.mailed_at is not None for row in rows] == [True, False]  # the second is in flight
        os.kill(first.pid, signal.SIGKILL)  # the worker dies mid-send, its task RUNNING
        first.wait(timeout=WAIT)
    finally:
        stop(first)
    assert DBTaskResult.objects.get(pk=mail_task.pk).status == RUNNING
    assert mailbox.recipients() == [OFFICERS[0]]

    # Once the lease has expired (on the task and on its claim), the sweep puts the task back.
    claimed_at = max(row.mail_claimed_at for row in rows)
    time.sleep(max(0.0, (claimed_at.timestamp() + LEASE + 0.5) - time.time()))
    out = StringIO()
    call_command("requeue_stale_tasks", "--lease", str(LEASE), stdout=out)
    assert "Put 1 task(s)" in out.getvalue()
    assert DBTaskResult.objects.get(pk=mail_task.pk).status == "READY"
    # The routing notice comes a second time too (a task enqueued twice): it notifies nobody again.
    notify_body.enqueue(report.pk, report.body_id, "routed")

    second = subprocess.run(
        worker_command("second", "--batch"),
        cwd=ROOT,
        env=worker_environment(shared_database, mailbox, hold_at=0),
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert second.returncode == 0, second.stdout + second.stderr

    for user in staff:
        assert Notification.objects.filter(user=user).count() == 1
    assert mailbox.recipients() == sorted(OFFICERS)  # one mail each: the first's again, never
    finished = DBTaskResult.objects.get(pk=mail_task.pk)
    assert (finished.status, finished.worker_ids) == (SUCCESSFUL, ["first", "second"])
    assert finished.return_value == 1  # the second worker sent the mail left in flight
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {SUCCESSFUL}
    assert DBTaskResult.objects.filter(task_path="accounts.tasks.mail_notifications").count() == 1
