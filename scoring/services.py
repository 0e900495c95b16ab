"""Recompute services: turn the database's current inputs into stored scores and ranks.

A recompute is a pure function of what is committed, so running it twice, late, or
concurrently gives the same result. Every score write happens under one PostgreSQL advisory
lock (transaction-scoped), and reads the problems' inputs_version before their inputs (see
selectors.score_inputs), so a recompute that raced a newer write stores the older
inputs_version and the problem stays stale until it is recomputed again.

Writes are set-based: one bulk statement per batch of scores (COPY into a temporary table and
one INSERT ... ON CONFLICT on PostgreSQL), one UPDATE for the ranks, one INSERT for the history.
Never a save() per problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from intake.models import OPEN_STATUSES, Problem, User

from .engine import Policy, score
from .models import JobState, PipelineCounter, ProblemScore, RerankJob, ScoreHistory, ScoringPolicy
from .selectors import (
    input_stale_problem_ids,
    policy_as_engine,
    policy_current,
    policy_stale_exists,
    policy_stale_ids_after,
    problems_scored_under,
    rerank_jobs_unfinished,
    score_inputs,
)

VACUUM_MIN_DEAD_ROWS = 20_000
RECOMPUTE_LOCK_KEY = 0x5C0_4E  # pg_advisory_xact_lock: serialises every score and rank write
RERANK_LOCK_KEY = 0x5C0_4F  # pg_try_advisory_lock (session): at most one re-rank runs at a time

# Column order of the bulk score write; `sites` is JSON text.
SCORE_COLUMNS = (
    "problem_id",
    "priority",
    "value_hours_per_week",
    "provider_hours_per_week",
    "patient_hours_per_week",
    "cost_hours_per_week",
    "provider_hours_unweighted",
    "sites_affected",
    "sites",
    "breadth",
    "confidence",
    "effort_weeks",
    "effort_estimated",
    "policy_version",
    "inputs_version",
    "is_open",
    "created_at",
    "scored_at",
)

# The stored score's fields (everything but the problem, and the rank).
SCORE_FIELDS = [c for c in SCORE_COLUMNS if c != "problem_id"]

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


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _lock_recomputes() -> None:
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_KEY])


@contextmanager
def _rerank_lock() -> Iterator[bool]:
    """Try to become the one re-rank that runs; yields whether we did. The lock is the database
    session's, so it is released if the worker dies (PostgreSQL drops the connection)."""
    if not _is_postgres():
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


_OPEN = frozenset(str(status) for status in OPEN_STATUSES)


@lru_cache(maxsize=8192)
def _sites_json(sites: tuple[str, ...]) -> str:
    return json.dumps(list(sites))


def _score_rows(problem_ids: Sequence[int], *, policy: Policy, now: datetime) -> list[tuple]:
    """Score one batch with the pure function; rows in SCORE_COLUMNS order, ready to stage."""
    postgres = _is_postgres()
    adapt = connection.ops.adapt_datetimefield_value  # SQLite wants its text form
    scored_at = adapt(now)
    rows = []
    for item in score_inputs(problem_ids):
        result = score(item.inputs, policy)
        rows.append(
            (
                item.problem_id,
                result.priority,
                result.value_hours_per_week,
                result.provider_hours_per_week,
                result.patient_hours_per_week,
                result.cost_hours_per_week,
                result.provider_hours_unweighted,
                result.sites_affected,
                _sites_json(tuple(result.sites)),
                result.breadth,
                result.confidence,
                result.effort_weeks,
                result.effort_estimated,
                result.policy_version,
                item.inputs_version,
                item.status in _OPEN,
                item.created_at if postgres else adapt(item.created_at),
                scored_at,
            )
        )
    return rows


# Computed scores wait in a temporary table (the database session's own) until they are applied
# in one set-based step: _stage_reset, _stage (per batch), then _stage_apply_incremental (a
# recompute of some problems) or _stage_apply_full (a re-rank of all of them).
STAGE, PLACED = "scoring_stage", "scoring_placed"
_STAGE_TYPES = {
    "problem_id": "bigint",
    "sites_affected": "integer",
    "sites": "jsonb",
    "effort_estimated": "boolean",
    "policy_version": "integer",
    "inputs_version": "integer",
    "is_open": "boolean",
    "created_at": "timestamptz",
    "scored_at": "timestamptz",
}


def _stage_reset() -> None:
    postgres = _is_postgres()
    columns = ", ".join(
        f"{c} {_STAGE_TYPES.get(c, 'double precision') if postgres else ''}".strip() for c in SCORE_COLUMNS
    )
    # What the stored score was before this recompute (for history and the rank range).
    columns += ", had_score boolean, old_priority double precision, old_rank integer"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ({columns})")
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {PLACED} (problem_id bigint, place integer)")
        cursor.execute(f"DELETE FROM {STAGE}")


def _stage(rows: list[tuple]) -> None:
    """Add scored rows to the stage: COPY on PostgreSQL (the cheapest way to ship thousands of rows)."""
    if not rows:
        return
    columns = ", ".join(SCORE_COLUMNS)
    with connection.cursor() as cursor:
        if _is_postgres():
            with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(SCORE_COLUMNS))
            cursor.executemany(f"INSERT INTO {STAGE} ({columns}) VALUES ({placeholders})", rows)


def _stage_apply_full(*, now: datetime) -> int:
    """Apply the staged scores of a re-rank (typically every problem), with every open
    problem's rank and the history, set-based: one window over all open problems, and each
    score row written once, with its new rank. Under the recompute lock. Returns rows written."""
    table, history = ProblemScore._meta.db_table, ScoreHistory._meta.db_table
    score_columns = SCORE_FIELDS  # created_at too: the score copies the problem's, whatever it is now
    with connection.cursor() as cursor:
        # A staged row never replaces a score computed from newer inputs or under a newer policy
        # (only possible when recomputes are not serialised, i.e. on SQLite).
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = {STAGE}.problem_id"
            f" AND (s.inputs_version > {STAGE}.inputs_version OR s.policy_version > {STAGE}.policy_version))"
        )
        # The place of every open problem once the staged scores are in (the §4 rank order).
        cursor.execute(f"DELETE FROM {PLACED}")
        cursor.execute(
            f"""
            INSERT INTO {PLACED} (problem_id, place)
            SELECT problem_id, ROW_NUMBER() OVER (ORDER BY priority DESC, created_at ASC, problem_id ASC)
            FROM (
                SELECT s.problem_id, COALESCE(t.priority, s.priority) AS priority, s.created_at,
                       COALESCE(t.is_open, s.is_open) AS is_open
                FROM {table} s LEFT JOIN {STAGE} t ON t.problem_id = s.problem_id
                UNION ALL
                SELECT t.problem_id, t.priority, t.created_at, t.is_open
                FROM {STAGE} t WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = t.problem_id)
            ) AS scores
            WHERE is_open
            """
        )
        # History: a point for each staged problem whose priority or rank changes (or is new).
        cursor.execute(
            f"""
            INSERT INTO {history} (problem_id, priority, rank, policy_version, at)
            SELECT t.problem_id, t.priority, p.place, t.policy_version, %s
            FROM {STAGE} t
            LEFT JOIN {PLACED} p ON p.problem_id = t.problem_id
            LEFT JOIN {table} s ON s.problem_id = t.problem_id
            WHERE s.problem_id IS NULL OR s.priority <> t.priority
               OR (s.rank IS NULL AND p.place IS NOT NULL) OR (s.rank IS NOT NULL AND p.place IS NULL)
               OR s.rank <> p.place
            """,
            [connection.ops.adapt_datetimefield_value(now)],
        )
        columns = ", ".join(SCORE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, rank) SELECT {', '.join('t.' + c for c in SCORE_COLUMNS)}, p.place"
            f" FROM {STAGE} t LEFT JOIN {PLACED} p ON p.problem_id = t.problem_id"
            f" WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = t.problem_id)"
        )
        inserted = cursor.rowcount
        assignments = ", ".join(f"{c} = t.{c}" for c in score_columns)
        cursor.execute(
            f"UPDATE {table} SET {assignments}, rank = p.place"
            f" FROM {STAGE} t LEFT JOIN {PLACED} p ON p.problem_id = t.problem_id"
            f" WHERE {table}.problem_id = t.problem_id"
        )
        updated = cursor.rowcount
        # Everyone else moves only when staged problems passed them.
        cursor.execute(
            f"UPDATE {table} SET rank = p.place FROM {PLACED} p"
            f" WHERE {table}.problem_id = p.problem_id AND ({table}.rank IS NULL OR {table}.rank <> p.place)"
        )
        cursor.execute(f"UPDATE {table} SET rank = NULL WHERE NOT is_open AND rank IS NOT NULL")
    return inserted + updated


def _moved_ranges(staged: list[tuple]) -> tuple[list[tuple[float, float]], int]:
    """The priority ranges whose ranks a recompute can change, top first, and the change in the
    number of ranked problems. `staged` holds (old priority, new priority, was ranked, is open).

    Each staged problem spans its old priority (if it was ranked) and its new one (if open);
    overlapping spans merge. If any problem enters or leaves the ranking, everyone below it moves,
    so one range from the lowest to the highest span is renumbered (and the rest shifted)."""
    spans = []
    for old, new, was_ranked, is_open in staged:
        points = ([old] if was_ranked else []) + ([new] if is_open else [])
        if points:
            spans.append((min(points), max(points)))
    delta = sum(1 for *_, is_open in staged if is_open) - sum(1 for _, _, was_ranked, _ in staged if was_ranked)
    if not spans:
        return [], delta
    if any(bool(was_ranked) != bool(is_open) for _, _, was_ranked, is_open in staged):
        return [(min(lo for lo, _ in spans), max(hi for _, hi in spans))], delta
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(spans, key=lambda span: -span[1]):
        if merged and hi >= merged[-1][0]:
            merged[-1] = (min(lo, merged[-1][0]), merged[-1][1])
        else:
            merged.append((lo, hi))
    return merged, delta


def _stage_apply_incremental(*, now: datetime) -> int:
    """Apply a few staged scores, renumbering only the ranks that can change. Under the recompute lock.

    Relies on the stored ranks being exact before (every score write keeps them so; the sweep
    repairs any drift with ranks_refresh). For each priority range of _moved_ranges, the open
    problems above it keep their ranks (no staged problem passed them), so the range is renumbered
    by one window starting after the rank of the last problem above it; problems between and below
    the ranges keep theirs, or all move by the change in the number of ranked problems.
    Returns the scores written."""
    table, history = ProblemScore._meta.db_table, ScoreHistory._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = {STAGE}.problem_id"
            f" AND (s.inputs_version > {STAGE}.inputs_version OR s.policy_version > {STAGE}.policy_version))"
        )
        cursor.execute(
            f"UPDATE {STAGE} SET had_score = EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = {STAGE}.problem_id),"
            f" old_priority = (SELECT s.priority FROM {table} s WHERE s.problem_id = {STAGE}.problem_id),"
            f" old_rank = (SELECT s.rank FROM {table} s WHERE s.problem_id = {STAGE}.problem_id)"
        )
        cursor.execute(f"SELECT old_priority, priority, old_rank IS NOT NULL, is_open FROM {STAGE}")
        ranges, delta = _moved_ranges(cursor.fetchall())

        columns = ", ".join(SCORE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGE} t"
            f" WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.problem_id = t.problem_id)"
        )
        written = cursor.rowcount
        assignments = ", ".join(f"{c} = t.{c}" for c in SCORE_FIELDS)
        cursor.execute(
            f"UPDATE {table} SET {assignments}, rank = CASE WHEN t.is_open THEN {table}.rank END"
            f" FROM {STAGE} t WHERE {table}.problem_id = t.problem_id"
        )
        written += cursor.rowcount
        for lo, hi in ranges:
            cursor.execute(
                f"SELECT rank FROM {table} WHERE is_open AND priority > %s"
                " ORDER BY priority ASC, created_at DESC, problem_id DESC LIMIT 1",
                [hi],
            )
            above = cursor.fetchone()
            cursor.execute(
                f"""
                UPDATE {table} SET rank = ranked.place
                FROM (
                    SELECT problem_id, %s + ROW_NUMBER() OVER (
                        ORDER BY priority DESC, created_at ASC, problem_id ASC
                    ) AS place
                    FROM {table} WHERE is_open AND priority >= %s AND priority <= %s
                ) AS ranked
                WHERE {table}.problem_id = ranked.problem_id
                  AND ({table}.rank IS NULL OR {table}.rank <> ranked.place)
                """,
                [above[0] if above else 0, lo, hi],
            )
        if ranges and delta:  # one range then (see _moved_ranges): everyone below it moves
            below = f"UPDATE {table} SET rank = rank + %s WHERE is_open AND priority < %s"
            cursor.execute(below, [delta, ranges[0][0]])
        # History: a point for each staged problem whose priority or rank changed (or is new).
        cursor.execute(
            f"""
            INSERT INTO {history} (problem_id, priority, rank, policy_version, at)
            SELECT s.problem_id, s.priority, s.rank, s.policy_version, %s
            FROM {STAGE} t JOIN {table} s ON s.problem_id = t.problem_id
            WHERE NOT t.had_score OR s.priority <> t.old_priority
               OR (s.rank IS NULL AND t.old_rank IS NOT NULL) OR (s.rank IS NOT NULL AND t.old_rank IS NULL)
               OR s.rank <> t.old_rank
            """,
            [connection.ops.adapt_datetimefield_value(now)],
        )
    return written


def ranks_refresh() -> int:
    """Set rank = place among open problems (priority desc, created_at asc, id asc) from the stored
    priorities. Returns rows changed. Recomputes keep ranks right themselves (_stage_apply_*); the
    sweep runs this as a repair, and it is the definition tests hold them to."""
    table = ProblemScore._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET rank = NULL WHERE NOT is_open AND rank IS NOT NULL")
        cleared = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {table} SET rank = ranked.place
            FROM (
                SELECT problem_id, ROW_NUMBER() OVER (
                    ORDER BY priority DESC, created_at ASC, problem_id ASC
                ) AS place
                FROM {table} WHERE is_open
            ) AS ranked
            WHERE {table}.problem_id = ranked.problem_id
              AND ({table}.rank IS NULL OR {table}.rank <> ranked.place)
            """
        )
        return cleared + cursor.rowcount


def _recompute_locked(ids: Sequence[int]) -> int:
    """Inside a transaction holding the recompute lock: score `ids`, then apply scores, ranks, history."""
    if not ids:
        return 0
    policy = policy_as_engine(policy_current())
    now = timezone.now()
    _stage_reset()
    for batch in _batches(ids, batch_size()):
        _stage(_score_rows(batch, policy=policy, now=now))
    _pause_for_tests()
    _stage_apply_incremental(now=now)
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
    if not _is_postgres() or connection.in_atomic_block:
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


@transaction.atomic
def policy_update(
    *,
    actor: User | None,
    after_hours_weight: float,
    patient_weight: float,
    breadth_weight: float,
    default_effort_weeks: float,
) -> tuple[ScoringPolicy, RerankJob]:
    """Make a new policy version and a re-rank job for it; the job is queued after commit.

    Making the new version is what marks every problem stale (its score's policy_version is now
    older), in this same transaction."""
    current = ScoringPolicy.objects.select_for_update().order_by("-version").first()
    policy = ScoringPolicy.objects.create(
        version=(current.version if current else 0) + 1,
        after_hours_weight=after_hours_weight,
        patient_weight=patient_weight,
        breadth_weight=breadth_weight,
        default_effort_weeks=default_effort_weeks,
        created_by=actor,
    )
    job = RerankJob.objects.create(policy_version=policy.version, created_by=actor)
    from .dispatch import rerank_dispatch

    transaction.on_commit(lambda: rerank_dispatch(job.pk))
    return policy, job


def rerank_run(*, job_id) -> None:
    """Re-score every problem not yet scored under the policy in force, batch by batch, then
    re-rank once; report progress on every unfinished job as it goes.

    Safe to run twice, late or after a crash: it only picks up problems still scored under an
    older policy (keyset pages over problem ids, so memory stays flat), and only one re-rank runs
    at a time (a second one returns at once). A policy changed mid-run restarts the pass with
    the newer policy; jobs for older policies finish with it.
    """
    job = RerankJob.objects.filter(pk=job_id).only("state").first()
    if job is None or job.state == JobState.DONE:
        return
    while True:
        with _rerank_lock() as acquired:
            if not acquired:
                return  # the running re-rank finishes every unfinished job
            _rerank_until_current()
        score_table_tidy()
        # A job created while we held the lock may have found it taken: look once more.
        if not rerank_jobs_unfinished():
            return


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
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _rerank_pass(policy_row: ScoringPolicy, job_ids: list) -> bool:
    """One pass over the problems for `policy_row`: score them batch by batch into the stage
    (keyset pages over problem ids, so memory stays flat), then apply everything in one step,
    so listings never mix two policies. False when a newer policy appeared mid-way."""
    policy = policy_as_engine(policy_row)
    now = timezone.now()
    _stage_reset()
    after_id, batches = 0, 0
    while True:
        ids = policy_stale_ids_after(after_id=after_id, policy_version=policy.version, limit=batch_size())
        if not ids:
            break
        _stage(_score_rows(ids, policy=policy, now=now))
        with transaction.atomic():
            _progress_commit_async()
            RerankJob.objects.filter(pk__in=job_ids).update(done=F("done") + len(ids))
        batches += 1
        after_id = ids[-1]
    with transaction.atomic():
        _lock_recomputes()
        if policy_current().version != policy.version:
            return False
        _stage_apply_full(now=now)
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
    rerank_run(job_id=job.pk)
    return True
