"""Processes that tests start themselves: a private redis-server, free ports, bounded waits."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from django.db import connection
from redis import Redis

WAIT = 60.0


def wait_for(predicate, *, timeout: float = WAIT, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for_processes() -> str:
    """The URL of the database this test runs against, for processes the test starts."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class PrivateRedis:
    """A redis-server of our own, so a test can stop the broker without touching anyone else's.

    By default on 127.0.0.1 without a password; bound to other `addresses` (a test host's link),
    it has a password, as a Redis that other hosts reach must (protected mode refuses them otherwise)."""

    def __init__(self, port: int, workdir: Path, *, addresses: tuple[str, ...] = ("127.0.0.1",)):
        self.port, self.workdir, self.addresses, self.process = port, workdir, addresses, None
        self.password = None if addresses == ("127.0.0.1",) else uuid.uuid4().hex

    def url(self, address: str = "127.0.0.1", db: int = 0) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{address}:{self.port}/{db}"

    def answers(self) -> bool:
        try:
            return Redis(
                host=self.addresses[0], port=self.port, password=self.password, socket_connect_timeout=0.2
            ).ping()
        except OSError:
            return False
        except Exception:  # noqa: BLE001 - redis raises its own connection errors
            return False

    def start(self) -> None:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        auth = ["--requirepass", self.password] if self.password else []
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", *self.addresses, *auth, "--save", "", "--appendonly", "no"],
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
