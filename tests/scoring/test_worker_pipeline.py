"""The recompute pipeline with a REAL Celery worker process, Redis and PostgreSQL (no eager mode).

Each test starts `celery -A config worker --beat` as a subprocess against the test database and a
private redis-server on settings.TEST_BROKER_PORT (never the shared Redis: these tests stop their
broker). This process writes through the services with CELERY_ENABLED on, exactly as the web
process does; the worker's sweep runs every 2 s. Waiting for the worker is bounded (WAIT), and
the catch-up after a broker outage by the 60 s of the issue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from redis import Redis

from intake.models import Evidence, Problem, Role
from intake.services import evidence_add
from scoring import recompute, services, tasks
from scoring.models import JobState, PipelineCounter, ProblemScore, RerankJob
from scoring.selectors import input_stale_problem_ids, stale_problem_ids
from tests.factories import UserFactory
from tests.processes import PrivateRedis, database_url_for_processes, wait_for

from .pipeline_support import expected_scores, stored_scores, submit

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    port = django_settings.TEST_BROKER_PORT
    redis = PrivateRedis(port, tmp_path_factory.mktemp("redis"))
    if redis.answers():
        pytest.fail(f"port {port} already has a Redis; worker tests need their own (set TEST_BROKER_PORT)")
    redis.start()
    yield redis
    redis.stop()


class Worker:
    """`celery -A config worker --beat` in its own process group, so SIGKILL takes the pool too."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env, self.log_path, self.process = env, log_path, None

    def start(self, **extra_env: str) -> Worker:
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--beat",
            "--schedule",
            str(self.log_path.with_suffix(".schedule")),
            "--concurrency",
            extra_env.pop("concurrency", "2"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        self.log_path.write_bytes(b"")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**self.env, **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: b" ready." in self.log_path.read_bytes() or self.process.poll() is not None, what="the worker")
        assert self.process.poll() is None, self.log_path.read_text()
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as the OOM killer or a pulled plug would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def worker(broker, tmp_path, settings, monkeypatch):
    """A not-yet-started worker against the test database; this process publishes to it too."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_processes(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_ENABLED": "true",
        "TEST_BROKER_PORT": str(broker.port),
        "SCORE_SWEEP_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_broker_retry_at", 0.0)
    monkeypatch.setattr(tasks, "_clients", {})
    Redis(port=broker.port).flushdb()
    process = Worker(env, tmp_path / "worker.log")
    yield process
    process.stop()


def counter(name: str) -> int:
    return PipelineCounter.objects.filter(name=name).values_list("value", flat=True).first() or 0


def all_fresh() -> bool:
    return stale_problem_ids() == []


@pytest.fixture
def people(users, other_site):
    return {
        "clinician": users[Role.CLINICIAN],
        "informatics": users[Role.INFORMATICS],
        "pm": users[Role.PRODUCT_MANAGER],
        "south": UserFactory(username="np.south", home_site=other_site, role=Role.CLINICIAN),
    }


def test_a_worker_killed_mid_recompute_then_restarted_leaves_every_score_correct(worker, people, site, other_site):
    # Given a worker that holds every recompute open for a long while once it has computed the scores
    worker.start(SCORE_TEST_PAUSE_SECONDS="60")
    problems = [
        submit(people["clinician"], site, "Med rec re-typed at discharge", m=3, f=10),
        submit(people["south"], other_site, "Duplicate lab results in the inbox", m=1, f=5),
        submit(people["south"], other_site, "Fax cover sheet asks twice", m=0.5, f=2),
    ]
    evidence_add(problem=problems[1], added_by=people["informatics"], kind="time_study", value=4, sample_size=5)
    wait_for(_worker_is_mid_recompute, what="the worker to be in the middle of a recompute")

    # When it is killed with SIGKILL
    worker.kill()

    # Then nothing half-done was stored: the problems are still stale, with no score
    assert input_stale_problem_ids() == sorted(p.pk for p in problems)
    assert ProblemScore.objects.count() == 0
    # and once a worker runs again, every score is what a fresh pure recompute gives
    worker.start()
    wait_for(all_fresh, what="the restarted worker to recompute")
    assert stored_scores() == expected_scores()


def _worker_is_mid_recompute() -> bool:
    """A worker session holds the recompute lock with its scores staged but not yet applied."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s AND a.pid <> pg_backend_pid()"
            " AND a.state = 'idle in transaction' AND a.query LIKE 'COPY scoring_stage%%'",
            [recompute.RECOMPUTE_LOCK_KEY],
        )
        return cursor.fetchone()[0] > 0


def test_with_the_broker_down_intake_still_stores_everything_and_scores_catch_up_once_it_is_back(
    worker, broker, people, site, other_site
):
    worker.start()
    first = submit(people["clinician"], site, "Med rec re-typed at discharge", m=3, f=10)
    wait_for(all_fresh, what="the first score")

    # When the broker goes away during intake
    broker.stop()
    second = submit(people["south"], other_site, "Duplicate lab results in the inbox", m=1, f=5)
    evidence = evidence_add(problem=first, added_by=people["informatics"], kind="ehr_metric", value=14, site=site)

    # Then the writes succeed and are stored, marked stale
    assert Problem.objects.filter(pk=second.pk).exists()
    assert Evidence.objects.filter(pk=evidence.pk, problem=first).exists()
    assert input_stale_problem_ids() == [first.pk, second.pk]

    # and within 60 s of the broker coming back, every score is right again
    broker.start()
    wait_for(all_fresh, timeout=60, what="scores to catch up after the broker came back")
    assert stored_scores() == expected_scores()
    assert ProblemScore.objects.get(problem=first).provider_hours_per_week == 10 * 14 * 4 * 3 / 60


def test_duplicate_deliveries_give_identical_scores(worker, people, site, other_site):
    worker.start(concurrency="1")  # one at a time, in order: a later marker task runs after the duplicates
    problems = [
        submit(people["clinician"], site, "Med rec re-typed at discharge", m=3, f=10),
        submit(people["south"], other_site, "Duplicate lab results in the inbox", m=1, f=5),
    ]
    wait_for(all_fresh, what="the first scores")

    # When the same recompute message is delivered three times right after a change
    evidence_add(problem=problems[0], added_by=people["informatics"], kind="time_study", value=6, sample_size=3)
    for _ in range(3):
        tasks.recompute_stale_task.apply_async(task_id="the-same-message")
    _wait_for_queue_drained()
    wait_for(all_fresh, what="the recompute")
    after_change = (stored_scores(), dict(ProblemScore.objects.values_list("problem_id", "scored_at")))

    # and a re-rank job is delivered twice, and the recompute twice more
    _, job = services.policy_update(
        reason="A test of the re-rank.",
        actor=people["pm"],
        after_hours_weight=1.0,
        patient_weight=0.5,
        breadth_weight=2.0,
        default_effort_weeks=3.0,
    )
    tasks.rerank_task.apply_async(args=[str(job.pk)], task_id="the-same-job")
    tasks.rerank_task.apply_async(args=[str(job.pk)], task_id="the-same-job")
    _wait_for_queue_drained()
    wait_for(lambda: RerankJob.objects.get(pk=job.pk).state == JobState.DONE, what="the re-rank")
    after_rerank = (stored_scores(), dict(ProblemScore.objects.values_list("problem_id", "scored_at")))
    tasks.recompute_stale_task.apply_async(task_id="the-same-message")
    tasks.recompute_stale_task.apply_async(task_id="the-same-message")
    _wait_for_queue_drained()

    # Then the scores are exactly the pure recompute, and the duplicates changed nothing at all
    assert after_change[0] != after_rerank[0]
    assert stored_scores() == expected_scores()
    assert (stored_scores(), dict(ProblemScore.objects.values_list("problem_id", "scored_at"))) == after_rerank
    assert RerankJob.objects.get(pk=job.pk).done == 2


def _wait_for_queue_drained() -> None:
    """Every message published so far has been taken and acknowledged (kombu's Redis layout:
    the `celery` list holds waiting messages, `unacked` those being worked on)."""
    redis = Redis(port=django_settings.TEST_BROKER_PORT)
    wait_for(
        lambda: redis.llen("celery") == 0 and redis.hlen("unacked") == 0 and not redis.exists(tasks.PENDING_KEY),
        what="the worker to take and finish every message",
    )


def test_a_burst_of_200_evidence_rows_runs_few_recomputes_and_ends_with_the_right_score(worker, people, site):
    worker.start()
    problem = submit(people["clinician"], site, "Med rec re-typed at discharge", m=3, f=10)
    wait_for(all_fresh, what="the first score")
    task_runs, recomputes = counter(recompute.RUNS_TASK), counter(recompute.RUNS_RECOMPUTE)

    # When 200 evidence rows arrive for it as fast as they can be written
    for i in range(200):
        evidence_add(
            problem=problem,
            added_by=people["informatics"],
            kind="time_study" if i % 2 else "ehr_metric",
            value=1 + (i % 17),
            sample_size=1 + (i % 5) if i % 2 else None,
            site=site,
        )
    wait_for(all_fresh, what="the burst to be recomputed")
    _wait_for_queue_drained()

    # Then they took at most 40 recompute task runs (0.2 per row), and the score is the pure one
    assert counter(recompute.RUNS_TASK) - task_runs <= 40
    assert counter(recompute.RUNS_RECOMPUTE) - recomputes <= 40
    assert stored_scores() == expected_scores()
    assert Evidence.objects.filter(problem=problem).count() == 200


def test_a_policy_change_reranks_every_open_problem_with_progress_visible_while_it_runs(worker, people, site):
    worker.start(SCORE_BATCH_SIZE="5")
    problems = [submit(people["clinician"], site, f"Problem number {i}", m=1 + i % 7, f=2 + i % 3) for i in range(23)]
    wait_for(all_fresh, what="the first scores")
    with connection.cursor() as cursor:  # every committed change of a job, in order
        cursor.execute("CREATE TABLE job_progress_log (n serial, state text, done int, total int)")
        cursor.execute(
            "CREATE FUNCTION log_job_progress() RETURNS trigger AS $$ BEGIN"
            " INSERT INTO job_progress_log (state, done, total) VALUES (NEW.state, NEW.done, NEW.total);"
            " RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER job_progress AFTER INSERT OR UPDATE ON scoring_rerankjob"
            " FOR EACH ROW EXECUTE FUNCTION log_job_progress()"
        )
    try:
        # When a product manager changes the policy
        policy, job = services.policy_update(
            reason="A test of the re-rank.",
            actor=people["pm"],
            after_hours_weight=0.0,
            patient_weight=0.0,
            breadth_weight=0.0,
            default_effort_weeks=4,
        )
        wait_for(lambda: RerankJob.objects.get(pk=job.pk).state == JobState.DONE, what="the re-rank job")

        # Then its progress went up batch by batch while it ran, and ended with every problem
        with connection.cursor() as cursor:
            cursor.execute("SELECT state, done, total FROM job_progress_log ORDER BY n")
            log = cursor.fetchall()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER job_progress ON scoring_rerankjob")
            cursor.execute("DROP FUNCTION log_job_progress()")
            cursor.execute("DROP TABLE job_progress_log")
    assert log == [
        ("queued", 0, 0),
        ("running", 0, 23),
        ("running", 5, 23),
        ("running", 10, 23),
        ("running", 15, 23),
        ("running", 20, 23),
        ("running", 23, 23),
        ("done", 23, 23),
    ]
    assert set(ProblemScore.objects.values_list("policy_version", flat=True)) == {policy.version}
    assert stored_scores() == expected_scores()
    assert len(problems) == ProblemScore.objects.filter(rank__isnull=False).count()
