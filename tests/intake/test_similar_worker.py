"""Sentence vectors computed by a REAL worker (what `make worker` runs), after commit, from the `similar` queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from redis import Redis

from intake.models import Problem
from intake.similar import dispatch
from intake.similar.models import SearchEntry
from intake.similar.selectors import problems_similar
from tests.processes import PrivateRedis, database_url_for_processes, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path, settings, monkeypatch):
    """A private broker and `bin/worker.sh --queues=celery,similar`, as `make worker` starts it."""
    broker = PrivateRedis(django_settings.TEST_BROKER_PORT, tmp_path)
    if broker.answers():
        pytest.fail(f"port {broker.port} already has a Redis; worker tests need their own")
    broker.start()
    Redis(port=broker.port).flushdb()
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(dispatch, "_broker_retry_at", 0.0)
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_processes(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_ENABLED": "true",
        "TEST_BROKER_PORT": str(broker.port),
        "PYTHONPATH": str(ROOT),
        "CELERY": str(Path(sys.executable).with_name("celery")),
    }
    command = [str(ROOT / "bin" / "worker.sh"), "--loglevel=INFO", "--concurrency=1", "--queues=celery,similar",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    wait_for(lambda: b" ready." in log_path.read_bytes() or process.poll() is not None, what="the worker")
    yield log_path
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    broker.stop()


def test_a_submitted_problem_is_found_at_once_and_gets_its_vector_from_the_worker(worker, api_as, clinician):
    response = api_as(clinician).post(
        "/api/v1/problems/",
        {
            "title": "Dictation microphones lose their pairing between rooms",
            "statement": "The wireless dictation microphones drop their pairing every time we change rooms.",
            "workflow_area": "charting",
            "site": "NORTH",
            "minutes_lost_per_occurrence": 2,
            "occurrences_per_shift": 6,
        },
        format="json",
    )
    assert response.status_code == 201
    problem = Problem.objects.get(pk=response.json()["id"])

    # Found by its words at once, whatever the worker is doing
    assert problems_similar("dragon mic disconnects between rooms")[0].problem == problem

    # and its vector arrives from the worker's `similar` queue
    wait_for(
        lambda: SearchEntry.objects.filter(problem=problem, vector__isnull=False).exists(),
        timeout=120,
        what="the worker to compute the vector",
    )
    entry = SearchEntry.objects.get(problem=problem)
    assert entry.vector_digest == entry.text_digest
    assert "intake.similar.tasks.similar_vectors_task" in worker.read_text()
