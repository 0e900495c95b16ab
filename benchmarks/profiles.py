"""Profiles behind the figures: cProfile of the hot paths and EXPLAIN ANALYZE of their main queries.

Written as text files beside the results, so a miss comes with the evidence of where the time
goes. Everything that writes is rolled back.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
from collections.abc import Callable
from pathlib import Path

from . import phrases

TOP = 30


def _cprofile(fn: Callable[[], object], repeat: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(TOP)
    stats.sort_stats("tottime").print_stats(TOP)
    return out.getvalue()


def _queries(fn: Callable[[], object]) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return list(captured.captured_queries)


def _explain(sql: str) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def _queries_report(queries: list[dict], *, explain_slowest: int = 2) -> str:
    lines = [f"{len(queries)} queries"]
    for q in queries:
        lines.append(f"  {float(q['time']) * 1000:8.2f} ms  {q['sql'][:300]}")
    # Captured times have millisecond resolution: the statements reading problems come first,
    # then the slowest, then the widest.
    selects = sorted(
        (q for q in queries if q["sql"].lstrip("( \n\t\r").upper().startswith("SELECT")),
        key=lambda q: ("intake_problem" not in q["sql"], -float(q["time"]), -len(q["sql"])),
    )
    for q in selects[:explain_slowest]:
        lines += ["", "EXPLAIN (ANALYZE, BUFFERS) of:", q["sql"], _explain(q["sql"])]
    return "\n".join(lines)


def _client_get(path: str, token: str):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    return lambda: client.get(path)


def backlog_profile(ctx) -> str:
    from django.urls import Resolver404, resolve

    parts = []
    for name, path in [
        ("product", "/api/v1/backlog/?page_size=50"),
        ("drf_baseline", "/bench/drf-baseline/?page_size=50"),
        ("floor", "/bench/floor/?page_size=50"),
    ]:
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            parts.append(f"== {name}: not available (endpoint missing)\n")
            continue
        call = _client_get(path, ctx.data.token)
        call()
        parts.append(f"== {name}: SQL of one request\n{_queries_report(_queries(call), explain_slowest=1)}\n")
        parts.append(f"== {name}: cProfile of 100 in-process requests\n{_cprofile(call, 100)}\n")
    return "\n".join(parts)


def similar_profile(ctx) -> str:
    from intake.similar.selectors import problems_similar

    queries = phrases.search_queries(random.Random(ctx.seed + 1), 20)
    first = _queries(lambda: list(problems_similar(queries[0])))
    it = iter(queries * 2)
    profile = _cprofile(lambda: list(problems_similar(next(it))), len(queries))
    return f"== selector SQL for {queries[0]!r}\n{_queries_report(first)}\n\n== cProfile of 20 queries\n{profile}"


BURST_PROBLEMS = 25  # what one coalesced run sees at 50 evidence rows/s and a 0.5 s window


def recompute_profile(ctx) -> str:
    """One recompute run as a burst of evidence causes it: 25 open problems with a new time study each."""
    from django.db import transaction

    from intake.models import OPEN_STATUSES, EvidenceKind, Problem, User
    from intake.services import evidence_add
    from scoring.recompute import scores_recompute

    rng = random.Random(ctx.seed + 4)
    ids = list(Problem.objects.filter(status__in=OPEN_STATUSES).values_list("id", flat=True))
    sample = sorted(rng.sample(ids, min(BURST_PROBLEMS, len(ids))))
    author = User.objects.get(username=ctx.data.username)
    captured: list[dict] = []
    with transaction.atomic():
        for problem in Problem.objects.filter(id__in=sample):
            evidence_add(
                problem=problem,
                added_by=author,
                kind=EvidenceKind.TIME_STUDY,
                value=round(rng.uniform(0.5, 15), 1),
                sample_size=10,
            )
        profile = _cprofile(lambda: captured.extend(_queries(lambda: scores_recompute(problem_ids=sample))), 1)
        transaction.set_rollback(True)
    total_ms = sum(float(q["time"]) for q in captured) * 1000
    slowest = sorted(captured, key=lambda q: -float(q["time"]))[:8]
    listing = "\n".join(f"  {float(q['time']) * 1000:8.1f} ms  {' '.join(q['sql'].split())[:200]}" for q in slowest)
    return (
        f"== scores_recompute over {len(sample)} problems that each just got a time study (rolled back)\n"
        f"{len(captured)} SQL statements, {total_ms:.0f} ms in the database; the slowest:\n{listing}\n\n{profile}"
    )


def rerank_profile(ctx) -> str:
    """One full re-rank in this process (the change), then back to the defaults unprofiled."""
    from django.test import override_settings

    from intake.models import User
    from scoring.services import policy_update

    from .rerank import CHANGED_WEIGHTS, DEFAULT_WEIGHTS, REASONS

    actor = User.objects.get(username=ctx.data.username)
    with override_settings(CELERY_ENABLED=False):  # the job runs in-process right after commit
        profile = _cprofile(lambda: policy_update(actor=actor, reason=REASONS["changed"], **CHANGED_WEIGHTS), 1)
        policy_update(actor=actor, reason=REASONS["default"], **DEFAULT_WEIGHTS)
    return f"== cProfile of policy_update + the full re-rank it triggers, in-process\n{profile}"


def intake_profile(ctx) -> str:
    """SQL of one intake POST and a cProfile of 20, in-process (the problems are trimmed afterwards)."""
    from django.urls import Resolver404, resolve
    from rest_framework.test import APIClient

    from intake.models import Site

    from .intake_post import _submission

    try:
        resolve("/api/v1/problems/")
    except Resolver404:
        return "POST /api/v1/problems/: not available (endpoint missing)"
    rng = random.Random(ctx.seed + 3)
    codes = sorted(Site.objects.filter(active=True).values_list("code", flat=True))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ctx.data.token}")
    bodies = iter([_submission(rng, codes) for _ in range(21)])

    def post():
        return client.post("/api/v1/problems/", next(bodies), format="json")

    sql = _queries_report(_queries(post), explain_slowest=0)
    return f"== SQL of one POST\n{sql}\n\n== cProfile of 20 POSTs\n{_cprofile(post, 20)}"


PROFILES = {
    "backlog": backlog_profile,
    "similar": similar_profile,
    "intake": intake_profile,
    "recompute": recompute_profile,
    "rerank": rerank_profile,
}


def write_profiles(ctx, directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, fn in PROFILES.items():
        try:
            text = fn(ctx)
        except Exception as exc:  # noqa: BLE001 - a profile that cannot run is reported, never fatal
            text = f"profile failed: {type(exc).__name__}: {exc}"
        path = directory / f"{name}.txt"
        path.write_text(text)
        written[name] = str(path)
    return written
