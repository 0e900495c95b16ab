"""Recompute services: turn the database's current inputs into stored scores and ranks.

A recompute is a pure function of what is committed, so running it twice, late, or
concurrently gives the same result. Writes are set-based: one upsert per batch of scores and
one UPDATE for the ranks, never a save() per problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from intake.models import OPEN_STATUSES, Problem

from .engine import score
from .models import ProblemScore, ScoreHistory
from .selectors import policy_as_engine, policy_current, score_inputs, site_facts

RECOMPUTE_LOCK_KEY = 0x5C0_4E  # pg_advisory_xact_lock key serialising score and rank writes
BATCH_SIZE = 2000

SCORE_FIELDS = [
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
]


def _lock_recomputes() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK_KEY])


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def ranks_refresh() -> int:
    """Set rank = place among open problems (priority desc, created_at asc, id asc). Returns rows changed."""
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


def _write_scores(problem_ids: list[int], *, sites, policy) -> dict[int, tuple[float, int | None]]:
    """Compute and upsert scores for one batch. Returns the previous (priority, rank) by id."""
    now = timezone.now()
    previous = {
        pid: (priority, rank)
        for pid, priority, rank in ProblemScore.objects.filter(problem_id__in=problem_ids).values_list(
            "problem_id", "priority", "rank"
        )
    }
    rows = []
    for item in score_inputs(problem_ids, sites=sites):
        result = score(item.inputs, policy)
        rows.append(
            ProblemScore(
                problem_id=item.problem_id,
                priority=result.priority,
                value_hours_per_week=result.value_hours_per_week,
                provider_hours_per_week=result.provider_hours_per_week,
                patient_hours_per_week=result.patient_hours_per_week,
                cost_hours_per_week=result.cost_hours_per_week,
                provider_hours_unweighted=result.provider_hours_unweighted,
                sites_affected=result.sites_affected,
                sites=result.sites,
                breadth=result.breadth,
                confidence=result.confidence,
                effort_weeks=result.effort_weeks,
                effort_estimated=result.effort_estimated,
                policy_version=result.policy_version,
                inputs_version=item.inputs_version,
                is_open=item.status in OPEN_STATUSES,
                created_at=item.created_at,
                scored_at=now,
            )
        )
    ProblemScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["problem"], update_fields=SCORE_FIELDS, batch_size=BATCH_SIZE
    )
    return previous


def _append_history(problem_ids: list[int], previous: dict[int, tuple[float, int | None]]) -> None:
    now = timezone.now()
    entries = [
        ScoreHistory(problem_id=pid, priority=priority, rank=rank, policy_version=policy_version, at=now)
        for pid, priority, rank, policy_version in ProblemScore.objects.filter(problem_id__in=problem_ids).values_list(
            "problem_id", "priority", "rank", "policy_version"
        )
        if previous.get(pid) != (priority, rank)
    ]
    ScoreHistory.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def scores_recompute(*, problem_ids: Iterable[int]) -> int:
    """Recompute these problems' scores and every open problem's rank, in one transaction."""
    ids = sorted(set(problem_ids))
    if not ids:
        return 0
    with transaction.atomic():
        _lock_recomputes()
        policy = policy_as_engine(policy_current())
        sites = site_facts()
        previous: dict[int, tuple[float, int | None]] = {}
        for batch in _batches(ids, BATCH_SIZE):
            previous |= _write_scores(batch, sites=sites, policy=policy)
        ranks_refresh()
        _append_history(ids, previous)
    return len(ids)


def problem_ids_all() -> list[int]:
    return list(Problem.objects.order_by("id").values_list("id", flat=True))


@transaction.atomic
def policy_update(
    *,
    actor,
    after_hours_weight: float,
    patient_weight: float,
    breadth_weight: float,
    default_effort_weeks: float,
):
    """Make a new policy version and a re-rank job for it; the job is queued after commit."""
    from .models import RerankJob, ScoringPolicy

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
    """Re-score every problem for the policy of `job_id`, batch by batch, reporting progress."""
    from .models import JobState, RerankJob

    job = RerankJob.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return
    ids = problem_ids_all()
    RerankJob.objects.filter(pk=job_id).update(state=JobState.RUNNING, total=len(ids), done=0)
    try:
        sites = site_facts()
        for batch in _batches(ids, BATCH_SIZE):
            with transaction.atomic():
                _lock_recomputes()
                policy = policy_as_engine(policy_current())
                _write_scores(batch, sites=sites, policy=policy)
            RerankJob.objects.filter(pk=job_id).update(done=F("done") + len(batch))
        with transaction.atomic():
            _lock_recomputes()
            ranks_refresh()
    except Exception as exc:
        RerankJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    RerankJob.objects.filter(pk=job_id).update(state=JobState.DONE, finished_at=timezone.now())
