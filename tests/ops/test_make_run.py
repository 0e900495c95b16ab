"""`make run` (bin/run.sh) with RabbitMQ as the broker: its probe asks the broker through kombu, so it
finds an amqp:// broker as well as Redis, starts the supervised worker with beat, and that worker
recomputes what the server's API changes."""

from __future__ import annotations

from tests.processes import free_port, wait_for

from .conftest import INFORMATICS_PASSWORD
from .support import TASK_DONE, Service, answers, app_env, http, purge_celery_queue


def test_make_run_finds_an_amqp_broker_and_its_worker_recomputes(postgres, demo_copy, rabbit_vhost, tmp_path):
    # Given `make run`'s script with RabbitMQ as the broker and a deployment database
    purge_celery_queue(rabbit_vhost.url())
    port = free_port()
    script = Service(
        ["bin/run.sh"],
        env=app_env(
            DATABASE_URL=postgres.url(demo_copy),
            CELERY_BROKER_URL=rabbit_vhost.url(),
            PORT=str(port),
            WORKER_LOG=str(tmp_path / "celery.log"),
            TMPDIR=str(tmp_path),
        ),
        log=tmp_path / "run.log",
    ).start()
    base = f"http://127.0.0.1:{port}"
    try:
        # When it starts, Then its broker probe finds RabbitMQ and it starts a worker with beat
        wait_for(lambda: answers(f"{base}/healthz") or not script.alive(), what="make run's server")
        assert script.alive(), script.output()
        assert f"Scores: recomputed by a Celery worker with beat, broker {rabbit_vhost.url()}" in script.output()
        ready = http("GET", f"{base}/readyz")
        assert (ready.status, ready.body["broker"], ready.body["database"]) == (200, "ok", "ok")
        # and evidence posted through the API is recomputed by that worker
        token = http(
            "POST", f"{base}/api/v1/auth/token/", body={"username": "ops.informatics", "password": INFORMATICS_PASSWORD}
        ).body["token"]
        top = http("GET", f"{base}/api/v1/backlog/?page_size=1", token=token).body["results"][0]
        problem_url = f"{base}/api/v1/problems/{top['id']}/"
        posted = http(
            "POST", f"{problem_url}evidence/", token=token, body={"kind": "time_study", "value": 9, "sample_size": 2}
        )
        assert posted.status == 201, posted.body
        wait_for(lambda: not http("GET", problem_url, token=token).body["score"]["score_pending"], what="the recompute")
        assert TASK_DONE.search((tmp_path / "celery.log").read_text())
    finally:
        script.stop()
