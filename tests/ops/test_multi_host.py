"""Beyond one machine (docs/deploy.md): a web host and a worker host, each in a network namespace
of its own, against one PostgreSQL and one broker on this (the "database") host, with Redis and with
RabbitMQ as the broker.

Each host has only a veth link to this namespace: its own loopback is its own, so it reaches
PostgreSQL (and RabbitMQ) through a forwarder bound to this end of its link, and the private Redis
listens on those addresses only. The web host runs gunicorn as bridge-web.service does (the same
gunicorn config file, production logging); the worker host runs the supervised worker (bin/worker.sh)
without beat, so every recompute below was queued by the web host and run by the worker host.
"""

from __future__ import annotations

import json
import socket
import sys

import pytest

from tests.processes import PrivateRedis, wait_for

from .conftest import INFORMATICS_PASSWORD
from .support import (
    TASK_DONE,
    VENV_BIN,
    Forwarder,
    Service,
    TestNetwork,
    answers,
    app_env,
    http,
    purge_celery_queue,
    run,
)

pytestmark = pytest.mark.multihost

WEB_PORT = 8000
EVIDENCE_NOTE = "Measured with a stopwatch over three night shifts by the informatics team"
SEARCH_TEXT = "fax cover sheet night shift"


@pytest.fixture
def network():
    net = TestNetwork(["web", "worker"])
    try:
        yield net.up()
    finally:
        net.down()


def counters(postgres, database: str) -> dict[str, int]:
    return dict(postgres.rows(database, "SELECT name, value FROM scoring_pipelinecounter"))


def stale_count(postgres, database: str) -> int:
    [(count,)] = postgres.rows(
        database,
        "SELECT count(*) FROM intake_problem p LEFT JOIN scoring_problemscore s ON s.problem_id = p.id"
        " WHERE s.problem_id IS NULL OR s.inputs_version <> p.inputs_version",
    )
    return count


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("broker_kind", ["redis", "rabbitmq"])
def test_web_and_worker_on_separate_hosts_share_one_database_and_one_broker(
    broker_kind, network, postgres, demo_database, demo_copy, rabbit_vhost, tmp_path
):
    web, worker = network.hosts["web"], network.hosts["worker"]
    gateways = [web.gateway, worker.gateway]
    stops = []
    try:
        # Given one PostgreSQL and one broker on this host, reachable over each host's link
        database = Forwarder([(gateway, 5432) for gateway in gateways], (postgres.host, postgres.port)).start()
        stops.append(database.stop)
        if broker_kind == "redis":
            redis = PrivateRedis(6379, tmp_path, addresses=tuple(gateways))
            redis.start()
            stops.append(redis.stop)

            def broker_url(host):
                return redis.url(host.gateway)
        else:
            rabbit = Forwarder([(gateway, 5672) for gateway in gateways], ("127.0.0.1", 5672)).start()
            stops.append(rabbit.stop)
            purge_celery_queue(rabbit_vhost.url())

            def broker_url(host):
                return rabbit_vhost.url(host.gateway)

        def environment(host, **extra):
            return app_env(
                DATABASE_URL=postgres.url(demo_copy, host=host.gateway, port=5432),
                CELERY_BROKER_URL=broker_url(host),
                CELERY_ENABLED="true",
                DJANGO_DEBUG="false",
                DJANGO_SECRET_KEY="multi-host-test-secret-key-not-for-production-0123456789",
                DJANGO_ALLOWED_HOSTS=web.address,
                LOG_FORMAT="json",
                **extra,
            )

        # and a worker host running the supervised worker, a web host running gunicorn
        worker_service = Service(
            worker.command("bin/worker.sh", "--loglevel=INFO", "--concurrency=1", "--without-mingle"),
            env=environment(worker),
            log=tmp_path / "worker.log",
        ).start()
        stops.append(worker_service.stop)
        web_service = Service(
            web.command(str(VENV_BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi"),
            env=environment(web, WEB_BIND=f"{web.address}:{WEB_PORT}", WEB_CONCURRENCY="2"),
            log=tmp_path / "web.log",
        ).start()
        stops.append(web_service.stop)
        base = f"http://{web.address}:{WEB_PORT}"
        wait_for(lambda: answers(f"{base}/healthz") or not web_service.alive(), what="gunicorn on the web host")
        assert web_service.alive(), web_service.output()
        wait_for(lambda: "ready." in worker_service.output() or not worker_service.alive(), what="the worker host")
        assert worker_service.alive(), worker_service.output()

        # The hosts are really apart: the database host's loopback PostgreSQL is not reachable from them
        probe = "import socket; socket.create_connection(('127.0.0.1', %d), timeout=2)"
        for host in (web, worker):
            refused = run(host.command(sys.executable, "-c", probe % postgres.port), check=False)
            assert refused.returncode != 0
        # and the web host says it is ready: database and broker reachable over its link, nothing stale
        ready = http("GET", f"{base}/readyz")
        assert (ready.status, ready.body) == (  # and says nothing of hosts or credentials
            200,
            {"status": "ok", "database": "ok", "broker": "ok", "stale_problems": 0, "oldest_stale_seconds": 0.0},
        )

        # When an informatics user posts evidence through the web host's API
        token = http(
            "POST",
            f"{base}/api/v1/auth/token/",
            body={"username": "ops.informatics", "password": INFORMATICS_PASSWORD},
        ).body["token"]
        top = http("GET", f"{base}/api/v1/backlog/?page_size=1", token=token).body["results"][0]
        problem_url = f"{base}/api/v1/problems/{top['id']}/"
        before = http("GET", problem_url, token=token).body["score"]
        assert before["score_pending"] is False
        counted = counters(postgres, demo_copy)
        minutes = [8, 12, 14]
        for value in minutes:
            posted = http(
                "POST",
                f"{problem_url}evidence/",
                token=token,
                body={"kind": "time_study", "value": value, "sample_size": 4, "note": EVIDENCE_NOTE},
            )
            assert posted.status == 201, posted.body
        search = http("GET", f"{base}/api/v1/problems/similar/?q={SEARCH_TEXT.replace(' ', '+')}", token=token)
        assert search.status == 200

        # Then the worker host recomputes the score: fresh, changed, and computed by a queued task
        def fresh_score():
            score = http("GET", problem_url, token=token).body["score"]
            return score if not score["score_pending"] else None

        after = wait_for(fresh_score, what="the worker host to recompute the score")
        assert after["provider_hours_per_week"] != before["provider_hours_per_week"]
        assert stale_count(postgres, demo_copy) == 0
        wait_for(
            lambda: len(TASK_DONE.findall(worker_service.output())) >= (3 if broker_kind == "rabbitmq" else 1),
            what="the worker's task lines",
        )
        now = counters(postgres, demo_copy)
        task_runs = now.get("recompute_task_runs", 0) - counted.get("recompute_task_runs", 0)
        assert now.get("inline_runs", 0) == counted.get("inline_runs", 0)  # the web host never recomputed itself
        assert now.get("sweep_runs", 0) == counted.get("sweep_runs", 0)  # no beat here: no sweep did it
        if broker_kind == "rabbitmq":
            # No Redis, so no coalescing mark (SCORE_COALESCE_URL is empty): every change queued one run
            assert task_runs == len(minutes)
        else:
            assert 1 <= task_runs <= len(minutes)
        web_log, worker_log = web_service.output(), worker_service.output()
        assert len(TASK_DONE.findall(worker_log)) == task_runs

        # and both hosts logged JSON lines without the evidence note or the search text
        requests = [line for line in json_lines(web_log) if line["logger"] == "bridge.request"]
        evidence_lines = [line for line in requests if line["path"] == f"/api/v1/problems/{top['id']}/evidence/"]
        assert [(line["method"], line["status"], line["user_id"]) for line in evidence_lines] == [
            ("POST", 201, demo_database.user_id)
        ] * len(minutes)
        assert [line["path"] for line in requests if line["route"] == "api/v1/problems/similar/"] == [
            "/api/v1/problems/similar/"
        ]
        for log in (web_log, worker_log):
            assert EVIDENCE_NOTE not in log
            assert "fax cover sheet" not in log
            assert (redis.password if broker_kind == "redis" else "guest:guest") not in log
        assert json_lines(worker_log), worker_log
    finally:
        for stop in reversed(stops):
            stop()


def test_namespaced_hosts_cannot_reach_a_forwarder_they_were_not_given(network, postgres):
    # Given a forwarder bound to the web host's link only
    web, worker = network.hosts["web"], network.hosts["worker"]
    forward = Forwarder([(web.gateway, 5432)], (postgres.host, postgres.port)).start()
    try:
        probe = "import socket; socket.create_connection(('%s', 5432), timeout=2).close()"
        # When each host connects to the web host's gateway address
        from_web = run(web.command(sys.executable, "-c", probe % web.gateway), check=False)
        from_worker = run(worker.command(sys.executable, "-c", probe % web.gateway), check=False)
        # Then only the web host gets through (the worker host has no route there): the forwarders
        # expose the shared PostgreSQL on the test links only
        assert from_web.returncode == 0, from_web.stderr
        assert from_worker.returncode != 0
    finally:
        forward.stop()
    with pytest.raises(OSError):
        socket.create_connection((web.gateway, 5432), timeout=2).close()
