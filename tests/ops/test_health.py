"""GET /healthz and GET /readyz (docs/deploy.md): anonymous, no free text, never hanging.

/healthz says the process is up and touches nothing else; /readyz checks the database and the
broker and says how far recomputes are behind. A real broker (a private redis-server, a RabbitMQ
vhost of our own) answers or has been stopped; a "frozen" one accepts connections and never
answers. The database-down case runs gunicorn with production settings in a process of its own.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from intake.models import Problem, Role
from intake.services import evidence_add
from scoring import tasks
from tests.factories import UserFactory
from tests.processes import PrivateRedis, free_port, wait_for
from tests.scoring.pipeline_support import submit

from .support import VENV_BIN, BlackHole, Service, answers, app_env, http

ALL_WELL = {"status": "ok", "database": "ok", "broker": "ok", "stale_problems": 0, "oldest_stale_seconds": 0.0}


@pytest.fixture
def redis_broker(tmp_path, settings):
    """A private redis-server as the broker, on a free port."""
    redis = PrivateRedis(free_port(), tmp_path)
    redis.start()
    settings.CELERY_ENABLED = True
    settings.CELERY_BROKER_URL = redis.url()
    yield redis
    redis.stop()


@pytest.fixture
def problems(transactional_db, site, other_site):
    """Two scored problems, committed (the readiness check reads on a connection of its own)."""
    clinician = UserFactory(username="np.north", home_site=site, role=Role.CLINICIAN)
    south = UserFactory(username="np.south", home_site=other_site, role=Role.CLINICIAN)
    return [
        submit(clinician, site, "Med rec re-typed at discharge", m=3, f=10),
        submit(south, other_site, "Duplicate lab results in the inbox", m=1, f=5),
    ]


def test_healthz_says_ok_without_touching_the_database(client):
    # No database access is allowed in this test: pytest-django refuses any query with an error
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "no-store" in answer["Cache-Control"]


def test_readyz_with_database_and_broker_up_and_every_score_fresh(client, problems, redis_broker):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == ALL_WELL
    assert "no-store" in answer["Cache-Control"]


def test_readyz_with_the_broker_down_counts_what_waits_and_healthz_stays_up(
    client, problems, redis_broker, settings, monkeypatch, users
):
    # Given the broker (Redis) goes down, so changes cannot be queued for a worker
    monkeypatch.setattr(tasks, "_broker_retry_at", 0.0)
    monkeypatch.setattr(tasks, "_clients", {})
    settings.SCORE_COALESCE_URL = settings.CELERY_BROKER_URL
    redis_broker.stop()
    first, second = problems
    informatics = users[Role.INFORMATICS]
    # When evidence arrives for both problems, the first one two minutes ago
    evidence_add(problem=first, added_by=informatics, kind="time_study", value=6, sample_size=3)
    evidence_add(problem=second, added_by=informatics, kind="time_study", value=2, sample_size=3)
    Problem.objects.filter(pk=first.pk).update(inputs_changed_at=timezone.now() - timedelta(seconds=120))

    # Then /readyz is 503 naming the broker, with the two stale problems and the older one's wait
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    waited = body.pop("oldest_stale_seconds")
    assert body == {"status": "unavailable", "database": "ok", "broker": "unavailable", "stale_problems": 2}
    assert 120 <= waited < 180
    # and the broker's address appears nowhere in it
    assert str(redis_broker.port) not in answer.content.decode()
    # while /healthz still says the process is up
    assert (client.get("/healthz").status_code, client.get("/healthz").json()) == (200, {"status": "ok"})


def test_readyz_with_a_frozen_broker_answers_within_its_timeout_and_says_unavailable(client, problems, settings):
    # Given a broker that accepts connections and never answers
    frozen = BlackHole()
    settings.CELERY_ENABLED = True
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{frozen.port}/0"
    settings.READYZ_TIMEOUT_SECONDS = 1
    try:
        # When readiness is asked, Then it answers (it does not wait for the broker) and names it
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {**ALL_WELL, "status": "unavailable", "broker": "unavailable"}
    finally:
        frozen.close()


def test_readyz_with_the_score_table_locked_is_ready_and_leaves_the_stale_summary_out(client, problems, settings):
    # Given a long operation holding the score table (a migration, a VACUUM FULL) in another session
    settings.CELERY_ENABLED = False
    settings.READYZ_TIMEOUT_SECONDS = 1
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
    ) as other:
        other.execute("LOCK TABLE scoring_problemscore IN ACCESS EXCLUSIVE MODE")
        # When readiness is asked, Then the database answers, so the node is ready; the summary waits
        answer = client.get("/readyz")
        other.rollback()
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "disabled",
        "stale_problems": None,
        "oldest_stale_seconds": None,
    }


def test_readyz_probes_an_amqp_broker(client, problems, settings, rabbit_vhost):
    settings.CELERY_ENABLED = True
    settings.CELERY_BROKER_URL = rabbit_vhost.url()
    assert (client.get("/readyz").status_code, client.get("/readyz").json()) == (200, ALL_WELL)

    # A vhost the broker does not have (or wrong credentials) is a broker that is not usable
    settings.CELERY_BROKER_URL = rabbit_vhost.url().rsplit("/", 1)[0] + "/no-such-vhost"
    answer = client.get("/readyz")
    assert (answer.status_code, answer.json()["broker"]) == (503, "unavailable")


def test_readyz_without_celery_reports_the_broker_disabled(client, problems, settings):
    settings.CELERY_ENABLED = False  # `make run` without a broker: recomputes run in-process
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {**ALL_WELL, "broker": "disabled"}


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_with_the_database_down_under_production_settings_healthz_is_up_and_readyz_names_the_database(tmp_path):
    # Given gunicorn with production settings whose database and broker are frozen
    frozen_database, frozen_broker = BlackHole(), BlackHole()
    port = free_port()
    web = Service(
        [str(VENV_BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi"],
        env=app_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY="health-test-secret-key-not-for-production-0123456789abcdef",
            DJANGO_ALLOWED_HOSTS="bridge.example.org",
            DATABASE_URL=f"postgres://bridge@127.0.0.1:{frozen_database.port}/bridge",
            DB_CONNECT_TIMEOUT="2",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{frozen_broker.port}/0",
            READYZ_TIMEOUT_SECONDS="1",
            WEB_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            LOG_FORMAT="json",
        ),
        log=tmp_path / "web.log",
    ).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/healthz") or not web.alive(), what="gunicorn")
        assert web.alive(), web.output()

        # When a load balancer probes over plain HTTP with the site's Host header
        def probe(path):
            return http("GET", f"{base}{path}", headers={"Host": "bridge.example.org"})

        # Then /healthz is up, without a redirect to HTTPS
        health = probe("/healthz")
        assert (health.status, health.body) == (200, {"status": "ok"})
        # and /readyz answers at once that neither the database nor the broker is there
        ready = probe("/readyz")
        assert ready.status == 503
        assert ready.body == {
            "status": "unavailable",
            "database": "unavailable",
            "broker": "unavailable",
            "stale_problems": None,
            "oldest_stale_seconds": None,
        }
        # while every other page still goes to HTTPS
        assert probe("/login/").status == 301
    finally:
        web.stop()
        frozen_database.close()
        frozen_broker.close()
