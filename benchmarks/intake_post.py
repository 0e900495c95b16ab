"""Intake POST: one clinician at a time submits a problem, with a Celery worker consuming the recomputes.

Through `POST /api/v1/problems/` when the endpoint exists; otherwise through the service it
will call (`intake.services.problem_submit`), labelled as such, so the figure is never
mistaken for the HTTP one.
"""

from __future__ import annotations

import random
import time

from . import phrases
from .figures import http_call, latency_summary, missing

WARM_UP = 5


def _submission(rng: random.Random, site_codes: list[str]) -> dict:
    area = rng.choice(sorted(phrases.SUBJECTS))
    title, statement, solution = phrases.problem_text(rng, area)
    return {
        "title": title,
        "statement": statement,
        "workflow_area": area,
        "affected_roles": sorted({rng.choice(["physician", "app", "nurse", "ma"]) for _ in range(2)}),
        "proposed_solution": solution,
        "safety_concern": False,
        "site": rng.choice(site_codes),
        "minutes_lost_per_occurrence": round(rng.uniform(0.5, 10), 1),
        "occurrences_per_shift": round(rng.uniform(1, 20), 1),
        "providers_affected_pct": rng.choice([100, 80, 50]),
        "after_hours_pct": rng.choice([0, 10, 30]),
        "patient_wait_minutes": rng.choice([0, 5, 10]),
        "visits_affected_pct": rng.choice([0, 10, 20]),
    }


def _through_service(submissions: list[dict], username: str) -> tuple[list[float], dict[str, int]]:
    from django.core.exceptions import ValidationError

    from intake.models import Site, User
    from intake.services import ReportValues, problem_submit

    author = User.objects.get(username=username)
    sites = {s.code: s for s in Site.objects.all()}
    report_fields = ReportValues.__dataclass_fields__
    seconds, outcomes = [], {"created": 0, "refused": 0}
    for body in submissions:
        started = time.perf_counter()
        try:
            problem_submit(
                author=author,
                site=sites[body["site"]],
                title=body["title"],
                statement=body["statement"],
                workflow_area=body["workflow_area"],
                affected_roles=body["affected_roles"],
                proposed_solution=body["proposed_solution"],
                report=ReportValues(**{k: body[k] for k in report_fields}),
            )
        except ValidationError:
            outcomes["refused"] += 1
            continue
        outcomes["created"] += 1
        seconds.append(time.perf_counter() - started)
    return seconds, outcomes


def measure(ctx) -> dict:
    from intake.models import Site

    rng = random.Random(ctx.seed + 2)
    codes = sorted(Site.objects.filter(active=True).values_list("code", flat=True))
    submissions = [_submission(rng, codes) for _ in range(ctx.plan.intake_posts + WARM_UP)]
    headers = {"Authorization": f"Token {ctx.data.token}"}
    url = ctx.server.url + "/api/v1/problems/"
    with ctx.worker() as worker:
        status, body, _, _ = http_call("POST", url, headers=headers, body=submissions[0])
        if status in (404, 405):
            ctx.log("    POST /api/v1/problems/ is missing: timing intake.services.problem_submit instead")
            _through_service(submissions[1:WARM_UP], ctx.data.username)
            seconds, outcomes = _through_service(submissions[WARM_UP:], ctx.data.username)
            result = {
                "available": True,
                "path": "service",
                "label": "intake.services.problem_submit in-process (endpoint missing)",
                **latency_summary(seconds),
                "outcomes": outcomes,
            }
        elif status != 201:
            return {
                "available": False,
                "reason": f"not available (HTTP {status}: {body[:300].decode(errors='replace')})",
            }
        else:
            for submission in submissions[1:WARM_UP]:
                http_call("POST", url, headers=headers, body=submission)
            seconds, statuses = [], {}
            for submission in submissions[WARM_UP:]:
                status, _, elapsed, _ = http_call("POST", url, headers=headers, body=submission)
                if status == 201:  # a refusal is fast and says nothing about intake's cost
                    seconds.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            result = {
                "available": True,
                "path": "http",
                "label": "POST /api/v1/problems/ under gunicorn, 1 client",
                **latency_summary(seconds),
                "statuses": statuses,
            }
        result["worker_memory"] = worker.memory_mb()
    if not result["n"]:
        return missing(f"not available (every submission was refused: {result.get('statuses') or result['outcomes']})")
    ctx.log(f"    {result['label']}: p50 {result['p50_ms']:.1f} ms  p95 {result['p95_ms']:.1f} ms")
    return result
