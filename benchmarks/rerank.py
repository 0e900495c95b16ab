"""Full re-rank after a policy change, against two baselines over the same rows.

- product: `scoring.services.policy_update` commits a new policy; after commit the re-rank job
  goes to a freshly started Celery worker, and the clock stops when the job is done. Two
  changes are made (new weights, then back to the defaults), so the data ends as it began and
  there are two samples. The worker's peak RSS comes from /proc (VmHWM of its pool process).
  After the first change every stored score and rank is compared with a full recompute by the
  engine in Python (computed into a temporary table, nothing written): the count of rows that
  differ must be 0. After the second, every priority must be the one it was before the first.
- ORM loop: each problem, its site reports and evidence loaded through the ORM, scored by the
  same pure function, and its score saved with `save()`; then each rank saved the same way.
  Timed on an evenly spread sample and extrapolated to every problem when the full loop would
  be too slow; always rolled back.
- bare SQL: one UPDATE touching every score row, the floor of writing them at all; rolled back.
"""

from __future__ import annotations

import time

DEFAULT_WEIGHTS = {
    "after_hours_weight": 0.5,
    "patient_weight": 0.25,
    "breadth_weight": 1.0,
    "default_effort_weeks": 2.0,
    "revenue_weight": 0.0,
}
CHANGED_WEIGHTS = {**DEFAULT_WEIGHTS, "after_hours_weight": 0.75, "breadth_weight": 1.5, "revenue_weight": 0.004}
REASONS = {"changed": "Benchmark: a new weight.", "default": "Benchmark: back to the defaults."}
JOB_TIMEOUT_SECONDS = 900


def _wait_for_job(job_id, *, timeout: float) -> tuple[str, float]:
    from scoring.models import JobState, RerankJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = RerankJob.objects.filter(pk=job_id).values_list("state", flat=True).first()
        if state in (JobState.DONE, JobState.FAILED):
            return state, time.perf_counter()
        time.sleep(0.05)
    return "timeout", time.perf_counter()


def _priorities() -> dict[int, float]:
    from scoring.models import ProblemScore

    return dict(ProblemScore.objects.values_list("problem_id", "priority"))


def differences_from_full_recompute() -> dict:
    """Rows whose stored score, or rank, differs from a full recompute by the engine in Python under
    the policy in force. The engine's scores go to the recompute stage (a temporary table), nothing
    is written; the comparison is SQL's IS DISTINCT FROM on every stored field, floats exact."""
    from django.db import connection
    from django.utils import timezone

    from scoring.ranking import rank_order_sql
    from scoring.recompute import problem_ids_all
    from scoring.selectors import policy_as_engine, policy_current
    from scoring.stage import SCORE_RESULT_FIELDS, STAGE, score_rows, stage, stage_reset

    policy, now, ids = policy_as_engine(policy_current()), timezone.now(), problem_ids_all()
    started = time.perf_counter()
    stage_reset()
    for start in range(0, len(ids), 2000):
        stage(score_rows(ids[start : start + 2000], policy=policy, now=now))
    fields = [*SCORE_RESULT_FIELDS, "inputs_version", "is_open"]
    stored, computed = ", ".join(f"s.{f}" for f in fields), ", ".join(f"t.{f}" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM scoring_problemscore s FULL JOIN {STAGE} t ON t.problem_id = s.problem_id"
            f" WHERE ({stored}) IS DISTINCT FROM ({computed})"
        )
        (scores,) = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM scoring_problemscore s JOIN ("
            f"  SELECT problem_id, CASE WHEN is_open THEN ROW_NUMBER() OVER ("
            f"    PARTITION BY is_open ORDER BY {rank_order_sql()}) END AS place FROM {STAGE}"
            f") t ON t.problem_id = s.problem_id WHERE s.rank IS DISTINCT FROM t.place"
        )
        (ranks,) = cursor.fetchone()
    stage_reset()
    return {"rows": len(ids), "scores_differing": scores, "ranks_differing": ranks,
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def product_rerank(ctx) -> dict:
    from intake.models import User
    from scoring.services import policy_update

    actor = User.objects.get(username=ctx.data.username)
    runs, before = [], _priorities()
    identical = {}
    with ctx.worker() as worker:
        idle = worker.memory_mb()
        for name, weights in (("changed", CHANGED_WEIGHTS), ("default", DEFAULT_WEIGHTS)):
            started = time.perf_counter()
            _, job = policy_update(actor=actor, reason=REASONS[name], **weights)
            state, finished = _wait_for_job(job.pk, timeout=JOB_TIMEOUT_SECONDS)
            runs.append({"weights": weights, "state": state, "seconds": round(finished - started, 2)})
            ctx.log(f"    policy change → re-rank job {state} in {finished - started:.1f}s")
            if name == "changed" and state == "done":
                identical = differences_from_full_recompute()
                ctx.log(
                    f"    against a full recompute in Python ({identical['seconds']}s): "
                    f"{identical['scores_differing']} score(s), {identical['ranks_differing']} rank(s) differ"
                )
        memory = worker.memory_mb()
    after = _priorities()
    unchanged = sum(1 for pid, priority in before.items() if after.get(pid) == priority)
    ctx.log(f"    back to the defaults: {unchanged:,} of {len(before):,} priorities as they were")
    done = [r["seconds"] for r in runs if r["state"] == "done"]
    return {
        "runs": runs,
        "seconds": max(done) if len(done) == len(runs) else None,
        "worker_idle_rss_mb": idle["pool_rss_mb"],
        "worker_peak_rss_mb": memory["pool_peak_rss_mb"],
        "worker_memory": memory,
        "vs_full_recompute": identical,
        "rows_differing": identical.get("scores_differing", 0) + identical.get("ranks_differing", 0)
        if identical
        else None,
        "priorities_restored": {"of": len(before), "identical": unchanged},
        "priorities_not_restored": len(before) - unchanged,
    }


def _evenly_spread(ids: list[int], count: int) -> list[int]:
    if count >= len(ids):
        return ids
    step = len(ids) / count
    return [ids[int(i * step)] for i in range(count)]


def _inputs_through_orm(problem, sites: dict, active_sites: int):
    """A problem's score inputs read the obvious way: its own and merged-in rows, related objects loaded."""
    from intake.evidence_kinds import SCORED_KINDS
    from intake.models import Evidence, Problem, SiteReport
    from intake.numbers import REPORT_NUMBER_NAMES
    from scoring.engine import Fact, Inputs, Report

    sources = [problem.pk, *Problem.objects.filter(merged_into=problem).values_list("pk", flat=True)]
    latest: dict[tuple[int, int], SiteReport] = {}
    for report in SiteReport.objects.filter(problem_id__in=sources).select_related("site").order_by("updated_at", "id"):
        latest[(report.site_id, report.reporter_id)] = report
    evidence = (
        Evidence.objects.filter(problem_id__in=sources, kind__in=SCORED_KINDS)
        .select_related("site")
        .order_by("created_at", "id")
    )
    facts = [
        Fact(
            kind=e.kind,
            value=e.value,
            created_at=e.created_at,
            order=e.id,
            site=e.site.code if e.site else None,
            sample_size=e.sample_size,
        )
        for e in evidence
    ]
    reports = [
        Report(site=r.site.code, **{name: getattr(r, name) for name in REPORT_NUMBER_NAMES}) for r in latest.values()
    ]
    used = {r.site for r in reports} | {f.site for f in facts if f.site}
    return Inputs(
        sites={code: facts_ for code, facts_ in sites.items() if code in used},
        reports=reports,
        evidence=facts,
        active_sites=active_sites,
        effort_weeks=problem.effort_weeks,
    )


def orm_loop(ctx) -> dict:
    """Load, score and save() each problem through the ORM, then save() each rank; on a sample, rolled back."""
    from django.db import transaction

    from intake.models import OPEN_STATUSES, Problem, Site
    from scoring.engine import SiteFacts, score
    from scoring.models import ProblemScore
    from scoring.ranking import SCORE_RANK_ORDER
    from scoring.selectors import policy_as_engine, policy_current
    from scoring.stage import SCORE_RESULT_FIELDS

    ids = list(Problem.objects.order_by("id").values_list("id", flat=True))
    sample = _evenly_spread(ids, ctx.plan.orm_sample)
    open_count = Problem.objects.filter(status__in=OPEN_STATUSES).count()
    with transaction.atomic():
        started = time.perf_counter()
        policy = policy_as_engine(policy_current())
        all_sites = list(Site.objects.all())
        sites = {s.code: SiteFacts(s.code, s.providers, s.shifts_per_week, s.visits_per_week) for s in all_sites}
        active_sites = sum(s.active for s in all_sites)
        for pid in sample:
            problem = Problem.objects.select_related("score").get(pk=pid)
            result = score(_inputs_through_orm(problem, sites, active_sites), policy)
            stored = problem.score
            for field in SCORE_RESULT_FIELDS:
                setattr(stored, field, getattr(result, field))
            stored.inputs_version = problem.inputs_version
            stored.is_open = problem.status in OPEN_STATUSES
            stored.save()
        per_problem = (time.perf_counter() - started) / len(sample)

        rank_sample = min(ctx.plan.orm_sample, open_count)
        started = time.perf_counter()
        ordered = ProblemScore.objects.filter(is_open=True).order_by(*SCORE_RANK_ORDER)
        for place, stored in enumerate(ordered[:rank_sample].iterator(), start=1):
            stored.rank = place
            stored.save(update_fields=["rank"])
        per_rank = (time.perf_counter() - started) / max(rank_sample, 1)
        transaction.set_rollback(True)
    estimate = per_problem * len(ids) + per_rank * open_count
    extrapolated = len(sample) < len(ids) or rank_sample < open_count
    return {
        "sample_problems": len(sample),
        "sample_ranks": rank_sample,
        "ms_per_problem": round(per_problem * 1000, 3),
        "ms_per_rank_save": round(per_rank * 1000, 3),
        "seconds": round(estimate, 1),
        "extrapolated": extrapolated,
    }


def bare_update(ctx) -> dict:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("UPDATE scoring_problemscore SET priority = priority, scored_at = now()")
        seconds = time.perf_counter() - started
        rows = cursor.rowcount
        transaction.set_rollback(True)
    return {"rows": rows, "seconds": round(seconds, 3)}


def measure(ctx) -> dict:
    from intake.models import OPEN_STATUSES, Problem

    result = {
        "problems": Problem.objects.count(),
        "open_problems": Problem.objects.filter(status__in=OPEN_STATUSES).count(),
        "product": product_rerank(ctx),
    }
    result["orm_loop"] = orm_loop(ctx)
    ctx.log(
        f"    ORM save loop: {result['orm_loop']['ms_per_problem']:.2f} ms/problem → "
        f"{result['orm_loop']['seconds']:.0f}s for all{' (extrapolated)' if result['orm_loop']['extrapolated'] else ''}"
    )
    result["bare_update"] = bare_update(ctx)
    ctx.log(f"    bare UPDATE of {result['bare_update']['rows']:,} rows: {result['bare_update']['seconds']:.2f}s")
    product_seconds = result["product"]["seconds"]
    if product_seconds:
        result["speedup_vs_orm_loop"] = round(result["orm_loop"]["seconds"] / product_seconds, 1)
        result["slowdown_vs_bare_update"] = round(product_seconds / max(result["bare_update"]["seconds"], 1e-6), 1)
    return result
