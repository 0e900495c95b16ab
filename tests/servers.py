"""Web apps that tests serve with gunicorn, each in its own process on a free port of 127.0.0.1.

(A private redis-server, free ports and bounded waits are in tests.processes.)
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.processes import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent


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
