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

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from intake.models import Problem

from .models import JobState, PipelineCounter, ProblemScore, RerankJob, ScoringPolicy
from .ranking import ranks_refresh
from .selectors import (
    input_stale_problem_ids,
    policy_as_engine,
    policy_current,
    policy_stale_exists,
    policy_stale_ids_after,
    problems_scored_under,
    rerank_jobs_unfinished,
)
from .stage import apply_full, apply_incremental, is_postgres, score_rows, stage, stage_reset

VACUUM_MIN_DEAD_ROWS = 20_000
RECOMPUTE_LOCK_KEY = 0x5C0_4E  # pg_advisory_xact_lock: serialises every score and rank write
RERANK_LOCK_KEY = 0x5C0_4F  # pg_try_advisory_lock (session): at most one re-rank runs at a time

# Names of the PipelineCounter rows.
RUNS_TASK = "recompute_task_runs"  # coalesced recompute task executions (including ones with nothing to do)
RUNS_SWEEP = "sweep_runs"  # periodic sweep executions
RUNS_INLINE = "inline_runs"  # in-process recomputes (no broker)
RUNS_RECOMPUTE = "recompute_runs"  # recompute transactions that scored at least one problem, whatever started them
PROBLEMS_SCORED = "problems_scored"  # problems scored by those transactions
RERANK_BATCHES = "rerank_batches"
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
    """Re-score every problem not yet scored under the policy in force, batch by batch, then
    re-rank once; report progress on every unfinished job as it goes.

    Safe to run twice, late or after a crash: it only picks up problems still scored under an
    older policy (keyset pages over problem ids, so memory stays flat), and only one re-rank runs
    at a time (a second one returns at once). A policy changed mid-run restarts the pass with
    the newer policy; jobs for older policies finish with it. Returns whether this call re-ranked.
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
        done, total = problems_scored_under(policy_row.version)
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
    """Progress is a hint for people watching: its commit need not wait for the disk."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _rerank_pass(policy_row: ScoringPolicy, job_ids: list) -> bool:
    """One pass over the problems for `policy_row`: score them batch by batch into the stage
    (keyset pages over problem ids, so memory stays flat), then apply everything in one step,
    so listings never mix two policies. False when a newer policy appeared mid-way."""
    policy = policy_as_engine(policy_row)
    now = timezone.now()
    stage_reset()
    after_id, batches = 0, 0
    while True:
        ids = policy_stale_ids_after(after_id=after_id, policy_version=policy.version, limit=batch_size())
        if not ids:
            break
        stage(score_rows(ids, policy=policy, now=now))
        with transaction.atomic():
            _progress_commit_async()
            RerankJob.objects.filter(pk__in=job_ids).update(done=F("done") + len(ids))
        batches += 1
        after_id = ids[-1]
    with transaction.atomic():
        _lock_recomputes()
        if policy_current().version != policy.version:
            return False
        apply_full(now=now)
        _counters_bump({RERANK_RUNS: 1, RERANK_BATCHES: batches})
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
