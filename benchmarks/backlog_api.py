"""Backlog API, first page of 50, at 8 concurrent clients under gunicorn: product vs the two baselines.

wrk drives the endpoints in turns (product, DRF baseline, floor, then again) against the same
server with the same token, after a short warm-up each; the headline of an endpoint is its
round with the median throughput. The product's rows are compared with the floor's, so a fast endpoint that answers
something else is caught rather than praised.
"""

from __future__ import annotations

import json

from .figures import endpoint_missing, http_call

ENDPOINTS = {
    "product": "/api/v1/backlog/?page_size=50",
    "drf_baseline": "/bench/drf-baseline/?page_size=50",
    "floor": "/bench/floor/?page_size=50",
}


def _rows(body: bytes) -> list[dict]:
    data = json.loads(body)
    return data.get("results", []) if isinstance(data, dict) else data


def rows_compare(product: list[dict], floor: list[dict]) -> dict:
    """Same ids in the same order, and the same values for the fields both carry?"""
    same_order = [r.get("id") for r in product] == [r.get("id") for r in floor]
    shared = sorted(set(product[0]) & set(floor[0])) if product and floor else []
    differing = sorted({k for p, f in zip(product, floor, strict=False) for k in shared if p.get(k) != f.get(k)})
    return {
        "same_ids_in_order": same_order,
        "fields_only_in_product": sorted(set(product[0]) - set(floor[0])) if product and floor else [],
        "fields_only_in_floor": sorted(set(floor[0]) - set(product[0])) if product and floor else [],
        "fields_differing": differing,
        "match": same_order and not differing and bool(product),
    }


def _median_round(rounds: list[dict]) -> dict:
    """The round with the median throughput, reported whole (its own percentiles, not a blend)."""
    ordered = sorted(rounds, key=lambda r: r["rps"])
    return ordered[(len(ordered) - 1) // 2]


def measure(ctx) -> dict:
    headers = {"Authorization": f"Token {ctx.data.token}"}
    rounds = ctx.plan.wrk_rounds
    seconds = ctx.plan.wrk_seconds / rounds
    result: dict = {
        "clients": ctx.clients,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "server": ctx.server_description,
    }
    urls, bodies = {}, {}
    for name, path in ENDPOINTS.items():
        url = ctx.server.url + path
        status, body, _, answer_headers = http_call("GET", url, headers=headers)
        if status != 200:
            result[name] = endpoint_missing(status, body)
            continue
        if name == "floor":
            result["floor_source"] = answer_headers.get("X-Bench-Floor-Source")
        urls[name], bodies[name] = url, _rows(body)
        ctx.wrk(url, headers=headers, seconds=ctx.plan.warmup_seconds)
    # Endpoints take turns (A B C A B C …) so a change in background load hits all of them alike.
    ctx.log(f"    wrk: {ctx.clients} connections, {rounds} round(s) of {seconds:.0f}s per endpoint, in turns")
    runs: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            runs[name].append(ctx.wrk(url, headers=headers, seconds=seconds))
    for name, figures in runs.items():
        headline = _median_round(figures)
        result[name] = {"available": True, "items": len(bodies[name]), **headline, "rounds": figures}
        ctx.log(
            f"      {name:<13} p50 {headline['p50_ms']:.1f} ms  p95 {headline['p95_ms']:.1f} ms"
            f"  p99 {headline['p99_ms']:.1f} ms  {headline['rps']:.0f} req/s  errors {headline['errors'] or 0}"
        )
    if "product" in bodies and "floor" in bodies:
        result["rows_vs_floor"] = rows_compare(bodies["product"], bodies["floor"])
    product = result.get("product", {})
    for baseline in ("drf_baseline", "floor"):
        other = result.get(baseline, {})
        if product.get("available") and other.get("available") and other.get("rps"):
            result[f"throughput_vs_{baseline}"] = round(product["rps"] / other["rps"], 2)
    return result
