"""Processes tests start for themselves: a private redis-server, and web apps served by gunicorn.

Everything listens on 127.0.0.1 on a port chosen free at start, and is stopped by the test that
started it (never the shared Redis or PostgreSQL).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from redis import Redis

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float = 60.0, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


class PrivateRedis:
    """A redis-server of our own, so a test can stop it without touching anyone else's."""

    def __init__(self, port: int, workdir: Path):
        self.port, self.workdir, self.process = port, workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            return Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except OSError:
            return False
        except Exception:  # noqa: BLE001 - redis raises its own connection errors
            return False

    def start(self) -> None:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def database_url_of_this_test() -> str:
    """The database this test runs on (pytest-django's test database), as a URL for another process."""
    return f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def gunicorn(
    wsgi: str, env: dict[str, str], *, log_path: Path, ready_path: str = "/login/", port: int | None = None
) -> Iterator[Served]:
    """Serve `wsgi` with one sync worker on `port` (default: a free one) until the block ends.

    The app connects to the database afresh for each request (DB_CONN_MAX_AGE=0), so it holds no
    connection when pytest-django empties or drops the test database.
    """
    port = port or free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        wsgi,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--timeout",
        "60",
        "--graceful-timeout",
        "2",
        "--log-level",
        "warning",
    ]
    full_env = {**os.environ, "DB_CONN_MAX_AGE": "0", **env}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", ready_path)
            connection.getresponse().read()  # any answer, a redirect to HTTPS included
        except OSError:
            return False
        finally:
            connection.close()
        return True

    try:
        wait_for(answers, timeout=60, what=f"gunicorn serving {wsgi} on {url}")
        yield Served(url=url, process=process, log_path=log_path)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
