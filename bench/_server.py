"""Helpers for the benchmarks: a PostgreSQL database, Django in this process, the production web
server (gunicorn) in others, CPU time from /proc, and a keep-alive HTTP load driver.

Files of bench/ whose names start with "_" are helpers: `make bench` runs only the others.
Everything listens on and connects to the loopback interface only.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tartip_bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Production settings with throwaway keys: DEBUG off, no TLS redirect on the loopback.
BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": "YmVuY2gtZmllbGQta2V5LW5vdC1mb3ItcHJvZHVjdCE=",
    "FIELD_HASH_KEY": "bench-hash-key-not-for-production-0123456789",
    "AUDIT_KEY": "bench-audit-key-not-for-production-0123456789",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
    "OTP_REQUIRED": "1",
}


def bench_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BENCH_ENV)
    env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def ensure_database(database_url: str, *, fresh: bool = False) -> None:
    """Create the database named in the URL when missing (connecting to the `postgres` one);
    `fresh`: dropped first, so that a run starts from empty tables."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if fresh:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(database_url: str, **extra: str) -> None:
    """Configure Django in this process against the benchmark database."""
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = database_url
    os.environ.update(extra)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tartip.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The web server --------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    label: str

    def pids(self) -> list[int]:
        """The master and its workers."""
        return [self.process.pid, *children(self.process.pid)]

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server's own process group only
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def start_gunicorn(
    *,
    env: dict[str, str],
    workers: int,
    threads: int = 1,
    worker_class: str = "sync",
    settings_module: str = "tartip.settings",
    config: str | None = None,
    label: str = "",
    log: Path | None = None,
) -> Server:
    port = free_port()
    env = dict(env, DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(ROOT))
    command = [
        GUNICORN,
        "tartip.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "256",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    # The production settings file (gunicorn.conf.py), or a benchmark's own (the profiler's hooks).
    command += ["--config", config or str(ROOT / "gunicorn.conf.py")]
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True)
    server = Server(process=process, port=port, label=label or f"{worker_class} {workers}x{threads}")
    try:
        wait_until_listening(server, workers)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_listening(server: Server, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            if len(children(server.process.pid)) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


# --- CPU time from /proc ---------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (their children not included)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat: utime, stime
    return total / CLOCK_TICKS


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux keeps in it, across the
    exec that started the process, the peak of the parent that forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, writer, WAL writer...)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# --- Load -----------------------------------------------------------------------------------


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    web_cpu: float = 0.0
    db_cpu: float = 0.0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def drive(
    server: Server,
    *,
    path: str,
    bodies: list[bytes],
    headers: dict[str, str],
    clients: int,
    seconds: float,
    warmup: float,
    unique_header: str | None = None,
) -> LoadResult:
    """`clients` threads POST `bodies` in turn over keep-alive connections for `warmup` + `seconds`;
    only requests started and finished within the measured window count. CPU time of the server's
    processes and of PostgreSQL is read at the window's edges."""
    start_at = time.monotonic() + warmup
    stop_at = start_at + seconds
    lock = threading.Lock()
    result = LoadResult(seconds=seconds)
    counter = iter(range(10**12))
    barrier = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        latencies, statuses, errors = [], {}, []
        barrier.wait()
        while True:
            began = time.monotonic()
            if began >= stop_at:
                break
            with lock:
                index = next(counter)
            request_headers = dict(headers)
            if unique_header:
                request_headers[unique_header] = f"bench-{os.getpid()}-{number}-{index}"
            try:
                connection.request("POST", path, body=bodies[index % len(bodies)], headers=request_headers)
                response = connection.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                if began >= start_at:
                    errors.append(type(error).__name__)
                continue
            ended = time.monotonic()
            if began >= start_at and ended <= stop_at:
                statuses[code] = statuses.get(code, 0) + 1
                if 200 <= code < 300:
                    latencies.append(ended - began)
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors.extend(errors)
            for code, count in statuses.items():
                result.statuses[code] = result.statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(max(0.0, start_at - time.monotonic()))
    pids, db_pids = server.pids(), postgres_pids()
    web_before, db_before = cpu_seconds(pids), cpu_seconds(db_pids)
    time.sleep(max(0.0, stop_at - time.monotonic()))
    result.web_cpu = cpu_seconds(pids) - web_before
    result.db_cpu = cpu_seconds(db_pids) - db_before
    for thread in threads:
        thread.join(timeout=60)
    return result


# --- staff sessions --------------------------------------------------------------------------------


def logged_in_client(username: str, role: str, office, **client_options):
    """A test client logged in as a user of `role` in `office` (made on first use), the second
    factor passed, as the tests' personas are; its session cookie serves HTTP requests too."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user, _created = User.objects.get_or_create(username=username, defaults={"role": role, "organisation": office})
    client = Client(**client_options)
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else float("nan")
