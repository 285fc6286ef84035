"""The production configuration as `make run` serves it, through HTTP: DEBUG off, the secrets read
from var/secrets.env, static files collected with their manifest, gunicorn with gunicorn.conf.py;
and honcho's supervision of the Procfile (a dead web server stops the worker and the scheduler).

Each server runs in its own process group on a free port, against a var/ folder of its own, and
is stopped by that group at the end."""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# The variables `make run` sets (Makefile: RUN_ENV); the secrets come from the var/ folder's file.
RUN_ENVIRONMENT = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "tartip.settings",
}
# The test run's own settings, left out so the servers read what `make run` gives them.
LEFT_OUT = {"TARTIP_TESTING", "DATABASE_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY", "AUDIT_KEY"}


def run_environment(var_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in LEFT_OUT}
    environment.update(RUN_ENVIRONMENT, TARTIP_VAR_DIR=str(var_dir))
    return environment


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    """A var/ folder prepared as `make setup` does: secrets, a migrated SQLite database, the cache
    table and the static files collected by the production storage."""
    folder = tmp_path_factory.mktemp("var")
    environment = run_environment(folder)
    steps = (
        ["-m", "tartip.local_secrets", str(folder / "secrets.env")],
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "createcachetable"],
        ["manage.py", "collectstatic", "--noinput", "-v0"],
    )
    for step in steps:
        subprocess.run([sys.executable, *step], cwd=BASE_DIR, env=environment, check=True, capture_output=True)
    assert (folder / "static" / "staticfiles.json").exists()
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], var_dir: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=run_environment(var_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )


def stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def fetch(url: str, headers: dict | None = None, data: bytes | None = None) -> tuple[int, dict, bytes]:
    try:
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - a loopback URL
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a loopback URL
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for_http(url: str, process: subprocess.Popen, log: Path, *, healthy: bool = False) -> None:
    """Until the server answers (with 200 when `healthy`: the worker's and scheduler's heartbeats in)."""
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with contextlib.suppress(OSError):
            status, _, _ = fetch(url)
            if status == 200 or not healthy:
                return
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer in time:\n{log.read_text()}")


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                # The parent is the fourth field, after the command's name in parentheses.
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def alive(pid: int) -> bool:
    state = ""
    with contextlib.suppress(OSError):
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    return state not in ("", "Z")  # a zombie has ended; only its parent's wait is missing


def test_the_production_configuration_serves_each_kind_of_page(var_dir, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "tartip.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    server = start([*command, "--workers", "1", "--access-logfile", "-"], var_dir, log)
    try:
        wait_for_http(f"{base}/healthz", server, log)

        status, headers, body = fetch(f"{base}/")
        assert status == 200 and headers["Content-Type"].startswith("text/html"), body[:500]
        # The manifest's hashed names: a stylesheet and a script of the page, each served.
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', body.decode())
        assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets), assets
        for asset in assets:
            status, headers, _ = fetch(base + asset)
            assert status == 200, asset
            assert "immutable" in headers.get("Cache-Control", ""), asset

        status, _, body = fetch(f"{base}/accounts/login/")
        assert status == 200 and b'name="password"' in body

        status, headers, body = fetch(f"{base}/no-such-page/")
        assert status == 404 and headers["Content-Type"].startswith("text/html")
        assert b"URLconf" not in body and b"technical_404" not in body  # not Django's debug list

        # A form posted without its CSRF token: the site's own 403 page, not Django's.
        status, headers, body = fetch(f"{base}/accounts/login/", data=b"username=a&password=b")
        assert status == 403 and headers["Content-Type"].startswith("text/html")
        assert b'<html lang="' in body and b"CSRF verification failed" not in body

        status, headers, body = fetch(f"{base}/api/schema/?format=json")
        assert status == 200 and headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
        assert json.loads(body)["openapi"].startswith("3.")

        status, _, body = fetch(f"{base}/healthz")
        assert json.loads(body)["database"]["status"] == "up"  # no worker here: "degraded" and 503 is right

        # A tracking token stays out of the server's log: in the request line, Django's "Not Found"
        # line, and the Referer of a stylesheet the tracking page loads.
        token = "Tq3v" * 8
        status, _, body = fetch(f"{base}/track/{token}/")
        assert status == 404
        status, _, _ = fetch(base + assets[0], headers={"Referer": f"{base}/track/{token}/"})
        assert status == 200
    finally:
        stop_group(server)
    output = log.read_text()
    assert "/track/***/" in output and f'"{base}/track/***/"' in output, output[-3000:]
    assert token not in output, output[-3000:]


def test_honcho_stops_everything_with_a_message_when_the_web_server_dies(var_dir, tmp_path):
    port = free_port()
    log = tmp_path / "honcho.log"
    supervisor = start([str(BIN / "honcho"), "start", "-f", "Procfile", "-p", str(port)], var_dir, log)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", supervisor, log, healthy=True)
        processes = descendants(supervisor.pid)
        web_server = min(pid for pid in processes if "gunicorn" in command_line(pid))  # the master
        assert any("db_worker" in command_line(pid) for pid in processes)
        assert any("manage.py scheduler" in command_line(pid) for pid in processes)

        os.kill(web_server, signal.SIGKILL)
        supervisor.wait(timeout=30)

        output = log.read_text()
        assert supervisor.returncode != 0
        assert "web.1 stopped" in output and "sending SIGTERM to worker.1" in output, output
        assert "sending SIGTERM to scheduler.1" in output, output
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in processes if alive(pid)], output
    finally:
        stop_group(supervisor)
