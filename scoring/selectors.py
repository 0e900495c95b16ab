"""Reads for scoring: the plain-data inputs of the pure score function, loaded in batches.

The inputs reads are plain SQL over a batch of ids (a few queries per batch, whatever its size):
a full re-rank reads 100,000 problems' reports and evidence, and the ORM's per-row cost would
dominate it. They run unchanged on PostgreSQL and on the SQLite of `make run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from intake.evidence_kinds import SCORED_KINDS
from intake.models import Evidence, Problem, Site, SiteReport

from .engine import POLICY_WEIGHTS, Fact, Inputs, Policy, Report, SiteFacts
from .models import JobState, PipelineCounter, ProblemScore, RerankJob, ScoringPolicy
from .ranking import pending_sql


@dataclass(frozen=True)
class ProblemInputs:
    problem_id: int
    inputs_version: int
    status: str
    created_at: datetime
    inputs: Inputs


def policy_current() -> ScoringPolicy:
    policy = ScoringPolicy.objects.order_by("-version").first()
    if policy is None:  # the data migration creates version 1; this only guards a wiped table
        policy, _ = ScoringPolicy.objects.get_or_create(version=1)
    return policy


def policy_versions(*, limit: int = 20) -> list[ScoringPolicy]:
    """The latest policy versions, newest first, with who made them."""
    return list(ScoringPolicy.objects.select_related("created_by").order_by("-version")[:limit])


def policy_as_engine(policy: ScoringPolicy) -> Policy:
    return Policy(version=policy.version, **{weight.name: getattr(policy, weight.name) for weight in POLICY_WEIGHTS})


def site_facts() -> tuple[dict[int, SiteFacts], int]:
    """All sites by id, and the number of active sites (S of §4)."""
    facts, active = {}, 0
    for site in Site.objects.only("id", "code", "providers", "shifts_per_week", "visits_per_week", "active"):
        facts[site.id] = SiteFacts(
            code=site.code,
            providers=site.providers,
            shifts_per_week=site.shifts_per_week,
            visits_per_week=site.visits_per_week,
        )
        active += site.active
    return facts, active


def _in(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` is one of `ids`: one array parameter on PostgreSQL (one query text whatever the
    batch size), an IN list elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _aware(value) -> datetime:
    """PostgreSQL gives datetimes; SQLite gives the text Django stored (UTC)."""
    if value.__class__ is datetime:
        return value
    parsed = parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's compiled loader (Django's own is pure Python): the same aware UTC
            # datetimes, several times faster over the hundreds of thousands a re-rank reads.
            # Imported here: importing psycopg.types first, before psycopg, is a circular import.
            from psycopg.types.datetime import TimestamptzLoader

            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def score_inputs(
    problem_ids: Iterable[int], *, sites: tuple[dict[int, SiteFacts], int] | None = None
) -> list[ProblemInputs]:
    """Inputs for each problem (in id order): its own site reports and evidence plus those of
    the problems merged into it.

    Race reasoning: the problems' inputs_version is read first, by its own statement. A writer
    bumps inputs_version in the same transaction as its change, so any change committed before
    that read is visible to the reads that follow; a change committed after it makes the stored
    inputs_version older than the problem's, so the problem stays stale and is recomputed again.
    A score is never stored as fresh with older data. The sites are read after it too: a change
    of a site's size or active flag bumps the inputs_version of the problems it affects. So
    `sites` (site_facts() read earlier, to share between calls) is for readers that only display
    what they compute; recomputes never pass it.
    """
    ids = sorted(set(problem_ids))
    if not ids:
        return []
    problem_table = Problem._meta.db_table
    where, params = _in("id", ids)
    problems = _rows(
        f"SELECT id, inputs_version, status, created_at, effort_weeks FROM {problem_table} WHERE {where} ORDER BY id",
        params,
    )
    facts_by_id, active_sites = sites or site_facts()
    code_of = {site_id: facts.code for site_id, facts in facts_by_id.items()}
    facts_by_code = {facts.code: facts for facts in facts_by_id.values()}
    # Which requested problems each source row counts for: itself, and the problem it is merged into.
    # A merged problem that is itself requested keeps its own inputs as well.
    counts_for: dict[int, list[int]] = {pid: [pid] for pid, *_ in problems}
    where, params = _in("merged_into_id", [pid for pid, *_ in problems])
    for source_id, target_id in _rows(f"SELECT id, merged_into_id FROM {problem_table} WHERE {where}", params):
        counts_for.setdefault(source_id, []).append(target_id)
    sources = sorted(counts_for)

    # Per problem and (site, reporter), the latest report wins (a merge can bring two).
    latest_reports: dict[int, dict[tuple[int, int], tuple]] = {}
    where, params = _in("problem_id", sources)
    for row in _rows(
        "SELECT problem_id, site_id, reporter_id, minutes_lost_per_occurrence, occurrences_per_shift,"
        " providers_affected_pct, after_hours_pct, patient_wait_minutes, visits_affected_pct"
        f" FROM {SiteReport._meta.db_table} WHERE {where} ORDER BY updated_at, id",
        params,
    ):
        for target in counts_for[row[0]]:
            latest_reports.setdefault(target, {})[(row[1], row[2])] = row

    evidence: dict[int, list[Fact]] = {}
    where, params = _in("problem_id", sources)
    kinds = ", ".join(["%s"] * len(SCORED_KINDS))
    for problem_id, kind, site_id, value, sample_size, created_at, row_id in _rows(
        f"SELECT problem_id, kind, site_id, value, sample_size, created_at, id FROM {Evidence._meta.db_table}"
        f" WHERE {where} AND kind IN ({kinds}) ORDER BY created_at, id",
        [*params, *SCORED_KINDS],
    ):
        # Positional arguments (kind, value, created_at, order, site, sample_size): hundreds of
        # thousands of these in a re-rank.
        fact = Fact(kind, value, _aware(created_at), row_id, code_of[site_id] if site_id else None, sample_size)
        for target in counts_for[problem_id]:
            evidence.setdefault(target, []).append(fact)

    result = []
    for pid, inputs_version, status, created_at, effort_weeks in problems:
        # Report(site, minutes, occurrences, providers %, after-hours %, wait, visits %), positionally.
        reports = [Report(code_of[row[1]], *row[3:]) for row in latest_reports.get(pid, {}).values()]
        facts = evidence.get(pid, [])
        used = {r.site for r in reports} | {f.site for f in facts if f.site}
        result.append(
            ProblemInputs(
                problem_id=pid,
                inputs_version=inputs_version,
                status=status,
                created_at=_aware(created_at),
                inputs=Inputs(
                    sites={code: facts_by_code[code] for code in sorted(used)},
                    reports=reports,
                    evidence=facts,
                    active_sites=active_sites,
                    effort_weeks=effort_weeks,
                ),
            )
        )
    return result


def _stale_from(*, include_policy: bool) -> tuple[str, list]:
    """FROM and WHERE of "the problems whose score is pending" (p: the problem, s: its score)."""
    problem_table, score_table = Problem._meta.db_table, ProblemScore._meta.db_table
    # Pending (scoring.ranking): under any policy, or (a policy change being the re-rank's) under this one.
    policy_version = policy_current().version if include_policy else 0
    return f"FROM {problem_table} p LEFT JOIN {score_table} s ON s.problem_id = p.id WHERE {pending_sql()}", [
        policy_version
    ]


def _stale_sql(*, include_policy: bool) -> tuple[str, list]:
    from_where, params = _stale_from(include_policy=include_policy)
    return f"SELECT p.id {from_where} ORDER BY p.id", params


def stale_problem_ids(*, limit: int | None = None) -> list[int]:
    """Problems whose stored score is missing or older than their inputs or the policy in force."""
    sql, params = _stale_sql(include_policy=True)
    if limit:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    return [pid for (pid,) in _rows(sql, params)]


def input_stale_problem_ids(*, limit: int | None = None) -> list[int]:
    """Problems whose stored score is missing or older than their inputs (a policy change is the re-rank's)."""
    sql, params = _stale_sql(include_policy=False)
    if limit:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    return [pid for (pid,) in _rows(sql, params)]


@dataclass(frozen=True)
class StaleSummary:
    problems: int  # problems whose score is missing or older than their inputs
    oldest_seconds: float  # how long the longest-waiting of them has waited (0 when none)


def stale_summary() -> StaleSummary:
    """How far recomputes are behind: one aggregate over the input-stale problems (a policy
    change's re-rank reports its own progress). A problem waits from its last input change, or
    from its creation if it was never scored."""
    from_where, params = _stale_from(include_policy=False)
    # The database's clock on both sides: the marks were stamped by it, and a web host's may differ.
    [(count, oldest, now)] = _rows(f"SELECT count(*), min(p.inputs_changed_at), CURRENT_TIMESTAMP {from_where}", params)
    if not count:
        return StaleSummary(problems=0, oldest_seconds=0.0)
    waited = (_aware(now) - _aware(oldest)).total_seconds()
    return StaleSummary(problems=count, oldest_seconds=max(0.0, waited))


def policy_stale_exists(policy_version: int) -> bool:
    """Whether any stored score was computed under a policy older than `policy_version`."""
    return ProblemScore.objects.filter(policy_version__lt=policy_version).exists()


def rerank_job(job_id) -> RerankJob | None:
    return RerankJob.objects.filter(pk=job_id).first()


def rerank_job_latest() -> RerankJob | None:
    return RerankJob.objects.order_by("-created_at").first()


def rerank_jobs_unfinished() -> list[RerankJob]:
    """Jobs that are queued, running (or were, before a worker died) or failed, oldest policy first."""
    return list(RerankJob.objects.exclude(state=JobState.DONE).order_by("policy_version", "created_at"))


def pipeline_counters() -> dict[str, int]:
    """How many times each part of the pipeline ran (see scoring.recompute: RUNS_TASK and the others)."""
    return dict(PipelineCounter.objects.values_list("name", "value"))
