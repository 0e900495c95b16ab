"""Similar-problem lookup: what intake runs as a clinician types, called directly and over HTTP.

The queries are fragments of the same phrase grammar the problems were written in (a subject
and the start of a failure), so most of them have real matches, as in production.
"""

from __future__ import annotations

import random
import time
from urllib.parse import quote

from . import phrases
from .figures import endpoint_missing, http_call, latency_summary

WARM_UP = 10
TITLE_PROBES = 50


def exact_title_found_rate(problems_similar, seed: int) -> float:
    """Type an existing problem's exact title: how often is a problem with that title among the answers?

    Every probe has at least one perfect match (the problem itself), so a search that ranks
    what it finds should score 1.0; speed bought by looking at too few candidates shows here.
    """
    from intake.models import Problem, Status

    rows = list(Problem.objects.exclude(status=Status.MERGED).order_by("id").values_list("id", "title"))
    probes = random.Random(seed).sample(rows, min(TITLE_PROBES, len(rows)))
    found = 0
    for _, title in probes:
        titles = [getattr(match, "problem", match).title for match in problems_similar(title)]
        found += title in titles
    return round(found / len(probes), 3)


def measure(ctx) -> dict:
    from intake.selectors import problems_similar

    queries = phrases.search_queries(random.Random(ctx.seed + 1), ctx.plan.similar_queries)
    for query in queries[:WARM_UP]:
        list(problems_similar(query))
    seconds, found = [], []
    for query in queries:
        started = time.perf_counter()
        matches = list(problems_similar(query))
        seconds.append(time.perf_counter() - started)
        found.append(len(matches))
    selector = {
        "available": True,
        "callable": f"{problems_similar.__module__}.{problems_similar.__qualname__}",
        **latency_summary(seconds),
        "mean_matches": round(sum(found) / len(found), 2),
        "queries_without_match": sum(1 for n in found if n == 0),
        "exact_title_found_rate": exact_title_found_rate(problems_similar, ctx.seed + 5),
    }
    ctx.log(
        f"    selector: p50 {selector['p50_ms']:.1f} ms  p95 {selector['p95_ms']:.1f} ms over {len(queries)} queries;"
        f" an existing title finds its match {selector['exact_title_found_rate']:.0%} of the time"
    )

    headers = {"Authorization": f"Token {ctx.data.token}"}
    base = ctx.server.url + "/api/v1/problems/similar/?q="
    status, body, _, _ = http_call("GET", base + quote(queries[0]), headers=headers)
    if status != 200:
        http = endpoint_missing(status, body)
    else:
        for query in queries[:WARM_UP]:
            http_call("GET", base + quote(query), headers=headers)
        seconds, statuses = [], {}
        for query in queries:
            status, _, elapsed, _ = http_call("GET", base + quote(query), headers=headers)
            seconds.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
        http = {"available": True, "clients": 1, **latency_summary(seconds), "statuses": statuses}
        ctx.log(f"    HTTP:     p50 {http['p50_ms']:.1f} ms  p95 {http['p95_ms']:.1f} ms  statuses {statuses}")
    return {"selector": selector, "http": http}
