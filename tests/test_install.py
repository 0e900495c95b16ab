"""The runtime requirements are enough on their own (docs/deploy.md: `make install`, then `make worker`).

A virtual environment is built from requirements.txt alone, as `make install` builds it, so that
nothing the test tools bring in can hide a missing runtime dependency. In it, the broker transports
load and a supervised worker (bin/worker.sh, what `make worker` runs) answers a ping and stays up.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.processes import PrivateRedis, database_url_for_processes, free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def runtime_venv(tmp_path_factory) -> Path:
    """A venv with requirements.txt only (pip's cache makes this take seconds after the first time)."""
    venv = tmp_path_factory.mktemp("runtime") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    return venv


def test_runtime_requirements_load_every_broker_transport(runtime_venv):
    # Given a venv built from requirements.txt alone
    python = runtime_venv / "bin" / "python"

    # When the Celery app and the transports for Redis and RabbitMQ are imported there
    probe = subprocess.run(
        [str(python), "-c", "import config.celery, kombu.transport.redis, kombu.transport.pyamqp; print('ok')"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )

    # Then they load
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.strip() == "ok"


def test_make_worker_from_runtime_requirements_answers_a_ping_and_stays_up(runtime_venv, tmp_path, monkeypatch):
    # Celery's own environment variable would override the broker given to Celery(broker=...) below.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    # Given a broker of our own and the worker `make worker` runs, from the runtime venv only
    broker = PrivateRedis(free_port(), tmp_path)
    broker.start()
    broker_url = f"redis://127.0.0.1:{broker.port}/0"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "CELERY": str(runtime_venv / "bin" / "celery"),
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_URL": database_url_for_processes(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "PYTHONPATH": str(ROOT),
    }
    with open(log_path, "wb") as log:
        supervisor = subprocess.Popen(
            [
                "bin/worker.sh",
                "--beat",
                f"--schedule={tmp_path / 'beat-schedule'}",
                "--loglevel=INFO",
                "--concurrency=1",
                "--hostname=install-check@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # When it starts and is pinged through the broker
        wait_for(lambda: re.search(rb" ready\.|restarting", log_path.read_bytes()), what="the worker")
        assert b"restarting" not in log_path.read_bytes(), log_path.read_text()[-3000:]
        app = Celery(broker=broker_url)
        replies = wait_for(lambda: app.control.ping(timeout=5.0), timeout=60, what="a ping reply")
        time.sleep(3)  # bin/worker.sh restarts a crashed worker after 2 s: give a crash loop time to show

        # Then it answers, and it has never exited (no restart by the supervisor)
        assert [name for reply in replies for name in reply] == [f"install-check@{os.uname().nodename}"]
        assert supervisor.poll() is None
        output = log_path.read_text()
        assert "restarting" not in output, output[-3000:]
        assert output.count(" ready.") == 1, output[-3000:]
    finally:
        os.killpg(supervisor.pid, signal.SIGTERM)
        try:
            supervisor.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
        broker.stop()
