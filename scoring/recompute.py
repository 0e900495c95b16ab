"""The recompute pipeline: turn the database's current inputs into stored scores and ranks.

A recompute is a pure function of what is committed, so running it twice, late, or
concurrently gives the same result. Every score write happens under one PostgreSQL advisory
lock (transaction-scoped), and reads the problems' inputs_version before their inputs (see
selectors.score_inputs), so a recompute that raced a newer write stores the older
inputs_version and the problem stays stale until it is recomputed again.

Writes are set-based (scoring/stage.py): scores are staged batch by batch and applied in one
step, with the ranks and the history. Never a save() per problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import DataError, connection, transaction
from django.db.models import F
from django.utils import timezone

from intake.models import Problem

from .models import JobState, PipelineCounter, ProblemScore, RerankJob, ScoringPolicy
from .ranking import ranks_refresh
from .reweigh import reweigh_apply, reweigh_batch, reweigh_reset
from .selectors import (
    input_stale_problem_ids,
    policy_as_engine,
    policy_current,
    policy_stale_exists,
    rerank_jobs_unfinished,
)
from .stage import apply_incremental, is_postgres, score_rows, stage, stage_reset

logger = logging.getLogger(__name__)

VACUUM_MIN_DEAD_ROWS = 20_000
RECOMPUTE_LOCK_KEY = 0x5C0_4E  # pg_advisory_xact_lock: serialises every score and rank write
RERANK_LOCK_KEY = 0x5C0_4F  # pg_try_advisory_lock (session): at most one re-rank runs at a time

# Names of the PipelineCounter rows.
RUNS_TASK = "recompute_task_runs"  # coalesced recompute task executions (including ones with nothing to do)
RUNS_SWEEP = "sweep_runs"  # periodic sweep executions
RUNS_INLINE = "inline_runs"  # in-process recomputes (no broker)
RUNS_RECOMPUTE = "recompute_runs"  # recompute transactions that scored at least one problem, whatever started them
PROBLEMS_SCORED = "problems_scored"  # problems scored by those transactions
RERANK_RUNS = "rerank_runs"


def batch_size() -> int:
    return settings.SCORE_BATCH_SIZE


def _lock_recomputes() -> None:
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_KEY])


@contextmanager
def _rerank_lock() -> Iterator[bool]:
    """Try to become the one re-rank that runs; yields whether we did. The lock is the database
    session's, so it is released if the worker dies (PostgreSQL drops the connection)."""
    if not is_postgres():
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RERANK_LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RERANK_LOCK_KEY])


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _counters_bump(deltas: dict[str, int]) -> None:
    table = PipelineCounter._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        for name, delta in sorted(deltas.items()):
            cursor.execute(
                f"INSERT INTO {table} (name, value, updated_at) VALUES (%s, %s, %s)"
                f" ON CONFLICT (name) DO UPDATE SET value = {table}.value + excluded.value,"
                " updated_at = excluded.updated_at",
                [name, delta, now],
            )


def _recompute_locked(ids: Sequence[int]) -> int:
    """Inside a transaction holding the recompute lock: score `ids`, then apply scores, ranks, history."""
    if not ids:
        return 0
    policy = policy_as_engine(policy_current())
    now = timezone.now()
    stage_reset()
    for batch in _batches(ids, batch_size()):
        stage(score_rows(batch, policy=policy, now=now))
    _pause_for_tests()
    apply_incremental(now=now)
    _counters_bump({RUNS_RECOMPUTE: 1, PROBLEMS_SCORED: len(ids)})
    return len(ids)


def _pause_for_tests() -> None:
    """Worker tests set SCORE_TEST_PAUSE_SECONDS to hold a recompute open long enough to kill
    the worker in the middle of it. Zero (nothing happens) unless that setting says otherwise."""
    seconds = getattr(settings, "SCORE_TEST_PAUSE_SECONDS", 0)
    if seconds:
        import time

        time.sleep(seconds)


def score_table_tidy() -> bool:
    """VACUUM the score table once dead row versions pass half the live ones (PostgreSQL only,
    outside a transaction). Returns whether it ran.

    A recompute that moves a problem far rewrites the rank of every problem it passes, so the
    table can collect a table's worth of dead rows every second under a burst of evidence, far
    faster than autovacuum's defaults clean it (and autovacuum may be off); scans and updates
    then slow down with the bloat. SKIP_LOCKED: if another worker is vacuuming it, skip."""
    if not is_postgres() or connection.in_atomic_block:
        return False
    table = ProblemScore._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relid = %s::regclass", [table])
        row = cursor.fetchone()
        if row is None or row[1] < max(VACUUM_MIN_DEAD_ROWS, row[0] // 2):
            return False
        cursor.execute(f"VACUUM (ANALYZE, SKIP_LOCKED) {table}")
    return True


def scores_recompute(*, problem_ids: Iterable[int]) -> int:
    """Recompute these problems' scores and every open problem's rank, in one transaction."""
    ids = sorted(set(problem_ids))
    if not ids:
        return 0
    with transaction.atomic():
        _lock_recomputes()
        return _recompute_locked(ids)


def stale_scores_recompute(*, source: str) -> int:
    """Recompute every problem whose inputs changed since its score was stored; the coalesced
    recompute task, the sweep and in-process recomputes all come here. `source` names the
    PipelineCounter row to bump (RUNS_TASK, RUNS_SWEEP, RUNS_INLINE). Returns problems scored.

    The stale set is read under the lock, so a second worker that waited for the first finds
    what is left rather than redoing it. A policy change is the re-rank's job (rerank_run)."""
    with transaction.atomic():
        _lock_recomputes()
        scored = _recompute_locked(input_stale_problem_ids())
        if source == RUNS_SWEEP:
            ranks_refresh()  # nothing to do unless something wrote scores behind our back
        _counters_bump({source: 1})
    score_table_tidy()
    return scored


def problem_ids_all() -> list[int]:
    return list(Problem.objects.order_by("id").values_list("id", flat=True))


def rerank_run(*, job_id) -> bool:
    """Bring every score to the policy in force (re-weighed in SQL from its stored parts) and
    re-rank, then mark the unfinished jobs done.

    Safe to run twice, late or after a crash: it only re-weighs scores still under an older
    policy, and only one re-rank runs at a time (a second one returns at once; the running one
    looks for jobs created meanwhile before it stops). Jobs for older policies finish with the
    newest. Returns whether this call re-ranked.
    """
    job = RerankJob.objects.filter(pk=job_id).only("state").first()
    if job is None or job.state == JobState.DONE:
        return False
    ran = False
    while True:
        with _rerank_lock() as acquired:
            if not acquired:
                return ran  # the running re-rank finishes every unfinished job
            _rerank_until_current()
            ran = True
        score_table_tidy()
        # A job created while we held the lock may have found it taken: look once more.
        if not rerank_jobs_unfinished():
            return ran


def _rerank_until_current() -> None:
    while True:
        jobs = rerank_jobs_unfinished()
        if not jobs:
            return
        policy_row = policy_current()
        job_ids = [job.pk for job in jobs]
        total = Problem.objects.count()
        done = total - ProblemScore.objects.filter(policy_version__lt=policy_row.version).count()
        RerankJob.objects.filter(pk__in=job_ids).update(state=JobState.RUNNING, done=done, total=total, error="")
        try:
            finished = _rerank_pass(policy_row, job_ids)
        except Exception as exc:
            RerankJob.objects.filter(pk__in=job_ids).update(
                state=JobState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
            )
            raise
        if finished:
            RerankJob.objects.filter(pk__in=job_ids).update(
                state=JobState.DONE, done=F("total"), finished_at=timezone.now()
            )


def _progress_commit_async() -> None:
    """This transaction's commit need not wait for the disk (progress, and derived data that the
    sweep would rebuild if a crash lost it)."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _rerank_pass(policy_row: ScoringPolicy, job_ids: list) -> bool:
    """One pass for `policy_row`: re-weigh the stored scores batch by batch in SQL (scoring.reweigh;
    keyset pages over problem ids, the job's progress committed after each), then apply them in
    one transaction with every rank and the history, so listings never mix two policies. Problems
    whose inputs changed meanwhile (or never scored) are recomputed from their inputs in that same
    transaction. False when a newer policy appeared mid-way.

    PostgreSQL refuses a float multiplication that underflows (a part or a weight near 1e-308,
    where Python rounds to zero): then every problem is scored by the engine instead, in the same
    transaction. Slower, the same numbers."""
    policy = policy_as_engine(policy_row)
    reweigh_reset()
    after_id, in_sql = 0, True
    while True:
        try:
            count, after_id = reweigh_batch(policy, after_id=after_id, limit=batch_size())
        except DataError:
            in_sql = False
            break
        if not count:
            break
        with transaction.atomic():
            _progress_commit_async()
            RerankJob.objects.filter(pk__in=job_ids).update(done=F("done") + count)
    with transaction.atomic():
        _lock_recomputes()
        if policy_current().version != policy.version:
            return False
        # Scores are derived data: if this commit were lost in a crash, the policy would still be
        # ahead of them and the sweep would re-rank again. So it need not wait for the disk.
        _progress_commit_async()
        if in_sql:
            try:
                with transaction.atomic():
                    _recompute_locked(input_stale_problem_ids())
                    reweigh_apply(policy, now=timezone.now())
            except DataError:
                in_sql = False
        if not in_sql:
            logger.warning(
                "re-rank to policy %s: the database refused the arithmetic; scoring in Python", policy.version
            )
            _recompute_locked(problem_ids_all())
        _counters_bump({RERANK_RUNS: 1})
    return True


def rerank_resume() -> bool:
    """For the sweep: if problems are still scored under an older policy and no re-rank is
    running (its message was lost, or its worker died), make sure a job exists and run it.
    Returns whether a re-rank ran."""
    policy_row = policy_current()
    if not rerank_jobs_unfinished() and not policy_stale_exists(policy_row.version):
        return False
    if not RerankJob.objects.exclude(state=JobState.DONE).filter(policy_version=policy_row.version).exists():
        RerankJob.objects.create(policy_version=policy_row.version)
    job = rerank_jobs_unfinished()[-1]
    return rerank_run(job_id=job.pk)
