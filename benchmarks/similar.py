"""Similar-problem lookup: speed and quality, the product's search beside the old one, in the same run.

Speed: what intake runs as a clinician types (fragments of the phrase grammar the problems were
written in, so most have real matches), called directly and over HTTP.

Quality: the labelled clinician queries of tests/data/similar/ (tuning and held-back sets), whose
target problems the reference data carries among all the others (refdata._eval_slots): recall@1,
recall@5, MRR, and the false "likely the same" rate (a query about a problem that does not exist
whose first answer reaches intake.similar.scoring.LIKELY_SAME). Plus the old probe: an existing
title typed exactly, is it among the answers?

Baseline: the search before intake/similar (title trigrams, benchmarks/old_similar.py), on the
same queries and the same data.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from urllib.parse import quote

from . import phrases
from .figures import endpoint_missing, http_call, latency_summary

WARM_UP = 10
TITLE_PROBES = 50
EVAL_DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "similar"
EVAL_SETS = {"tuning": EVAL_DATA / "eval.jsonl", "held_back": EVAL_DATA / "heldback.jsonl"}


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


def eval_quality(problems_similar, targets: dict[str, int]) -> dict:
    """recall@1, recall@5, MRR and the false 'likely the same' rate over both labelled sets."""
    from intake.similar.scoring import LIKELY_SAME

    if not targets:
        return {"available": False, "reason": "reference data without the labelled queries' targets"}
    ranks, absent, false_likely, seconds = [], 0, 0, []
    for path in EVAL_SETS.values():
        for line in path.read_text(encoding="utf-8").splitlines():
            query = json.loads(line)
            started = time.perf_counter()
            answers = list(problems_similar(query["q"]))
            seconds.append(time.perf_counter() - started)
            if query["target"] is None:
                absent += 1
                false_likely += bool(answers) and answers[0].similarity >= LIKELY_SAME
                continue
            ids = [answer.problem.pk for answer in answers]
            target = targets[query["target"]]
            ranks.append(ids.index(target) + 1 if target in ids else None)
    return {
        "available": True,
        "queries": len(ranks),
        "absent_queries": absent,
        "recall_at_1": round(sum(rank == 1 for rank in ranks) / len(ranks), 3),
        "recall_at_5": round(sum(rank is not None for rank in ranks) / len(ranks), 3),
        "mrr": round(sum(1 / rank for rank in ranks if rank) / len(ranks), 3),
        "false_likely_rate": round(false_likely / absent, 3),
        "eval_p95_ms": latency_summary(seconds)["p95_ms"],
    }


def _selector(problems_similar, queries: list[str], seed: int, targets: dict[str, int]) -> dict:
    for query in queries[:WARM_UP]:
        list(problems_similar(query))
    seconds, found = [], []
    for query in queries:
        started = time.perf_counter()
        matches = list(problems_similar(query))
        seconds.append(time.perf_counter() - started)
        found.append(len(matches))
    return {
        "available": True,
        "callable": f"{problems_similar.__module__}.{problems_similar.__qualname__}",
        **latency_summary(seconds),
        "mean_matches": round(sum(found) / len(found), 2),
        "queries_without_match": sum(1 for n in found if n == 0),
        "exact_title_found_rate": exact_title_found_rate(problems_similar, seed),
        "quality": eval_quality(problems_similar, targets),
    }


def measure(ctx) -> dict:
    from intake.similar.models import SearchEntry
    from intake.similar.selectors import problems_similar

    from .old_similar import problems_similar as old_problems_similar

    targets = getattr(ctx.data, "eval_targets", {}) or {}
    entries = SearchEntry.objects.count()
    vectors = SearchEntry.objects.filter(vector__isnull=False).count()
    queries = phrases.search_queries(random.Random(ctx.seed + 1), ctx.plan.similar_queries)
    started = time.perf_counter()
    list(problems_similar(queries[0]))
    cold_seconds = time.perf_counter() - started
    selector = {
        **_selector(problems_similar, queries, ctx.seed + 5, targets),
        "first_call_s": round(cold_seconds, 2),
        "search_entries": entries,
        "vectors": vectors,
    }
    if vectors < entries:
        reason = f"vectors for {vectors:,} of {entries:,} problems (BENCH_SIMILAR_VECTORS): quality not representative"
        selector["quality"] = {"available": False, "reason": reason, "measured_anyway": selector["quality"]}
        ctx.log(f"    {reason}")
    quality = selector["quality"]
    ctx.log(
        f"    selector: p50 {selector['p50_ms']:.1f} ms  p95 {selector['p95_ms']:.1f} ms over {len(queries)} queries"
        f" (first call, loading the index: {cold_seconds:.1f} s);"
        f" exact title found {selector['exact_title_found_rate']:.0%}"
    )
    if quality["available"]:
        ctx.log(
            f"    quality:  recall@1 {quality['recall_at_1']:.3f}  recall@5 {quality['recall_at_5']:.3f}"
            f"  MRR {quality['mrr']:.3f}  false 'likely the same' {quality['false_likely_rate']:.3f}"
            f" ({quality['queries']} paraphrases, {quality['absent_queries']} absent problems)"
        )
    old = _selector(old_problems_similar, queries, ctx.seed + 5, targets)
    ctx.log(
        f"    old search (title trigrams): p95 {old['p95_ms']:.1f} ms; exact title found"
        f" {old['exact_title_found_rate']:.0%}; recall@5 {old['quality'].get('recall_at_5', 'n/a')}"
    )

    headers = {"Authorization": f"Token {ctx.data.token}"}
    base = ctx.server.url + "/api/v1/problems/similar/?q="
    status, body, _, _ = http_call("GET", base + quote(queries[0]), headers=headers)
    if status != 200:
        http = endpoint_missing(status, body)
    else:
        # Every gunicorn worker loads its index on its first search: warm them all before timing.
        for query in queries[: max(WARM_UP, 4 * 8)]:
            http_call("GET", base + quote(query), headers=headers)
        seconds, statuses = [], {}
        for query in queries:
            status, _, elapsed, _ = http_call("GET", base + quote(query), headers=headers)
            seconds.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
        http = {"available": True, "clients": 1, **latency_summary(seconds), "statuses": statuses}
        ctx.log(f"    HTTP:     p50 {http['p50_ms']:.1f} ms  p95 {http['p95_ms']:.1f} ms  statuses {statuses}")
    return {"selector": selector, "old_selector": old, "http": http}
