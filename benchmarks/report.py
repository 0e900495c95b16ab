"""The table and the bar verdicts of a run, from the per-size results the suites wrote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NotAvailable:
    reason: str


@dataclass(frozen=True)
class Exceeded:
    """A figure that never arrived because the measurement's own time limit ran out: a miss."""

    reason: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    get: Callable[[dict], object]  # a size's measures -> number, text, or NotAvailable
    fmt: str = "{:.1f}"
    bar: tuple[str, float] | None = None  # ("<=" | ">=", limit)
    bar_text: str = ""


def _dig(data: dict, *path: str):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _available(section: dict | None) -> NotAvailable | None:
    if section is None:
        return NotAvailable("not measured")
    if section.get("available") is False:
        return NotAvailable(section.get("reason", "not available"))
    return None


def _field(*path: str, value: str) -> Callable[[dict], object]:
    def get(measures: dict):
        section = _dig(measures, *path)
        missing = _available(section)
        if missing:
            return missing
        return section.get(value)

    return get


def _measure(name: str) -> Callable[[dict], object]:
    def get(measures: dict):
        return measures.get(name)

    return get


def _evidence(*candidates: str) -> Callable[[dict], object]:
    """A figure from pipeline's evidence_latency dict, by the first of `candidates` it carries."""

    def get(measures: dict):
        section = measures.get("evidence")
        missing = _available(section)
        if missing:
            return missing
        figures = section.get("figures") or {}
        for key in candidates:
            if isinstance(figures.get(key), int | float):
                return figures[key]
            if key in figures and figures[key] is None:
                return Exceeded(f"{key} is null: not reached within evidence_latency's own time limit")
        return NotAvailable(f"evidence_latency returned none of {', '.join(candidates)}")

    return get


def _similar(measures: dict):
    section = measures.get("similar")
    missing = _available(section)
    if missing:
        return missing
    http = section.get("http", {})
    if http.get("available"):
        return http.get("p95_ms")
    return NotAvailable(f"HTTP {http.get('reason', 'not available')}; selector p95 {section['selector']['p95_ms']} ms")


def _intake(measures: dict):
    section = measures.get("intake")
    missing = _available(section)
    if missing:
        return missing
    if section.get("path") != "http":
        return NotAvailable(f"endpoint missing; service path p95 {section.get('p95_ms')} ms")
    return section.get("p95_ms")


def _rerank_orm(measures: dict):
    section = measures.get("rerank")
    missing = _available(section)
    if missing:
        return missing
    orm = section.get("orm_loop", {})
    return f"{orm.get('seconds', 0):.0f}{' (est.)' if orm.get('extrapolated') else ''}"


ROWS = [
    Row("backlog_p95", "Backlog API p95, 50 items, 8 clients (ms)", _field("backlog", "product", value="p95_ms"),
        bar=("<=", 50), bar_text="≤ 50"),
    Row("backlog_p50", "  product p50 (ms)", _field("backlog", "product", value="p50_ms")),
    Row("backlog_p99", "  product p99 (ms)", _field("backlog", "product", value="p99_ms")),
    Row("backlog_rps", "  product throughput (req/s)", _field("backlog", "product", value="rps"), fmt="{:.0f}"),
    Row("drf_p95", "  DRF ModelViewSet baseline p95 (ms)", _field("backlog", "drf_baseline", value="p95_ms")),
    Row("drf_rps", "  DRF ModelViewSet baseline (req/s)", _field("backlog", "drf_baseline", value="rps"), fmt="{:.0f}"),
    Row("floor_p95", "  orjson floor p95 (ms)", _field("backlog", "floor", value="p95_ms")),
    Row("floor_rps", "  orjson floor (req/s)", _field("backlog", "floor", value="rps"), fmt="{:.0f}"),
    Row("backlog_vs_drf", "  throughput ÷ DRF baseline", _field("backlog", value="throughput_vs_drf_baseline"),
        fmt="{:.2f}×", bar=(">=", 3), bar_text="≥ 3×"),
    Row("backlog_vs_floor", "  throughput ÷ orjson floor", _field("backlog", value="throughput_vs_floor"),
        fmt="{:.2f}×", bar=(">=", 0.5), bar_text="≥ 0.5×"),
    Row("evidence_p50", "Evidence → new rank p50, 50 posts/s (s)",
        _evidence("latency_p50_s", "p50_s"), fmt="{:.2f}"),
    Row("evidence_p95", "Evidence → new rank p95, 50 posts/s (s)",
        _evidence("latency_p95_s", "p95_s"), fmt="{:.2f}",
        bar=("<=", 2), bar_text="≤ 2 s"),
    Row("recompute_per_row", "  recompute task runs per evidence row", _evidence("task_runs_per_row"),
        fmt="{:.3f}", bar=("<=", 0.2), bar_text="≤ 0.2"),
    Row("recompute_tx_per_row", "  recompute transactions per evidence row", _evidence("recomputes_per_row"),
        fmt="{:.3f}"),
    Row("broker_down", "  caught up after broker outage (s)",
        _evidence("outage_catch_up_s"),
        fmt="{:.1f}", bar=("<=", 60), bar_text="≤ 60 s"),
    Row("rerank_s", "Full re-rank after a policy change (s)", _field("rerank", "product", value="seconds"),
        fmt="{:.2f}", bar=("<=", 2), bar_text="≤ 2 s"),
    Row("rerank_differing", "  rows ≠ a full recompute in Python",
        _field("rerank", "product", value="rows_differing"), fmt="{:.0f}", bar=("<=", 0), bar_text="= 0"),
    Row("rerank_not_restored", "  priorities ≠ before, back at the defaults",
        _field("rerank", "product", value="priorities_not_restored"), fmt="{:.0f}", bar=("<=", 0), bar_text="= 0"),
    Row("rerank_rss", "  peak worker RSS (MB)", _field("rerank", "product", value="worker_peak_rss_mb"),
        fmt="{:.0f}", bar=("<=", 300), bar_text="≤ 300 MB"),
    Row("orm_loop_s", "  ORM save-each-problem loop (s)", _rerank_orm),
    Row("bare_update_s", "  bare SQL UPDATE of the same rows (s)", _field("rerank", "bare_update", value="seconds"),
        fmt="{:.2f}"),
    Row("rerank_vs_orm", "  speed-up vs ORM loop", _field("rerank", value="speedup_vs_orm_loop"), fmt="{:.0f}×",
        bar=(">=", 20), bar_text="≥ 20×"),
    Row("rerank_vs_bare", "  re-rank ÷ bare UPDATE", _field("rerank", value="slowdown_vs_bare_update"), fmt="{:.1f}×",
        bar=("<=", 10), bar_text="≤ 10×"),
    Row("similar_selector_p95", "Similar problems p95, selector (ms)", _field("similar", "selector", value="p95_ms")),
    Row("similar_p95", "Similar problems p95, HTTP, 1 client (ms)", _similar, bar=("<=", 100), bar_text="≤ 100"),
    Row("similar_exact_title", "  exact title found among the answers",
        _field("similar", "selector", value="exact_title_found_rate"), fmt="{:.0%}"),
    Row("similar_recall5", "  labelled paraphrases: recall@5",
        _field("similar", "selector", "quality", value="recall_at_5"), fmt="{:.3f}", bar=(">=", 0.90),
        bar_text="≥ 0.90"),
    Row("similar_recall1", "  labelled paraphrases: recall@1",
        _field("similar", "selector", "quality", value="recall_at_1"), fmt="{:.3f}"),
    Row("similar_false_likely", "  absent problems called 'likely the same'",
        _field("similar", "selector", "quality", value="false_likely_rate"), fmt="{:.3f}", bar=("<=", 0.10),
        bar_text="≤ 0.10"),
    Row("old_similar_p95", "  old search (title trigrams): selector p95 (ms)",
        _field("similar", "old_selector", value="p95_ms")),
    Row("old_similar_exact", "  old search: exact title found",
        _field("similar", "old_selector", value="exact_title_found_rate"), fmt="{:.0%}"),
    Row("old_similar_recall5", "  old search: labelled paraphrases recall@5",
        _field("similar", "old_selector", "quality", value="recall_at_5"), fmt="{:.3f}"),
    Row("intake_p95", "Intake POST p95, 1 client (ms)", _intake, bar=("<=", 150), bar_text="≤ 150"),
]  # fmt: skip


def _value(row: Row, size_result: dict):
    if "failed" in size_result:
        return NotAvailable(size_result["failed"])
    try:
        value = row.get(size_result.get("measures", {}))
    except (KeyError, TypeError, AttributeError) as exc:
        return NotAvailable(f"unreadable ({type(exc).__name__})")
    return NotAvailable("not measured") if value is None else value


def _text(row: Row, value) -> str:
    if isinstance(value, NotAvailable):
        return "n/a"
    if isinstance(value, Exceeded):
        return "timeout"
    if isinstance(value, int | float):
        return row.fmt.format(value)
    return str(value)


def bars(results: dict) -> list[dict]:
    sizes = [str(s) for s in results["sizes"]]
    judged_at = sizes[-1]
    out = []
    for row in ROWS:
        if not row.bar:
            continue
        value = _value(row, results["results"].get(judged_at, {"failed": "not run"}))
        op, limit = row.bar
        entry = {"key": row.key, "label": row.label.strip(), "bar": row.bar_text, "at_problems": int(judged_at)}
        if isinstance(value, Exceeded):
            entry |= {"value": None, "met": False, "note": value.reason}
        elif isinstance(value, NotAvailable) or not isinstance(value, int | float):
            entry |= {"value": None, "met": None, "note": getattr(value, "reason", str(value))}
        else:
            met = value <= limit if op == "<=" else value >= limit
            entry |= {"value": value, "met": met}
            if not met:
                factor = value / limit if op == "<=" else (limit / value if value else float("inf"))
                entry["note"] = f"missed by {abs(value - limit):.3g} ({factor:.2f}× the bar)"
        if results.get("kind") == "quick":
            entry["note"] = (entry.get("note", "") + " [quick run: 10,000 problems only]").strip()
        out.append(entry)
    return out


def growth(results: dict) -> dict:
    sizes = [str(s) for s in results["sizes"]]
    if len(sizes) < 2:
        return {}
    small, large = results["results"].get(sizes[0], {}), results["results"].get(sizes[-1], {})
    out = {}
    for row in ROWS:
        a, b = _value(row, small), _value(row, large)
        if isinstance(a, int | float) and isinstance(b, int | float) and a:
            out[row.key] = round(b / a, 2)
    return out


def table(results: dict) -> str:
    sizes = [str(s) for s in results["sizes"]]
    heads = [f"{int(s) // 1000}k" if int(s) % 1000 == 0 else s for s in sizes]
    verdicts = {b["key"]: b for b in bars(results)}
    grow = growth(results)
    width = 45
    header = f"{'Measure':<{width}}" + "".join(f"{h:>12}" for h in heads)
    header += f"{'growth':>9}  {'bar':<9} verdict" if len(sizes) > 1 else f"  {'bar':<9} verdict"
    lines = [header, "-" * len(header)]
    notes = []
    for row in ROWS:
        values = [_value(row, results["results"].get(s, {"failed": "not run"})) for s in sizes]
        line = f"{row.label:<{width}}" + "".join(f"{_text(row, v):>12}" for v in values)
        if len(sizes) > 1:
            line += f"{f'×{grow[row.key]:.1f}' if row.key in grow else '':>9}"
        verdict = verdicts.get(row.key)
        if verdict:
            if verdict["met"] is None:
                mark = "n/a"
            else:
                mark = "met" if verdict["met"] else "MISSED"
            line += f"  {verdict['bar']:<9} {mark}"
        lines.append(line)
        for size, value in zip(sizes, values, strict=True):
            if isinstance(value, NotAvailable | Exceeded) and value.reason != "not measured":
                notes.append((int(size), value.reason))
    machine = results["machine"]
    lines.append("-" * len(header))
    lines.append(
        f"{results['kind'].upper()} run, seed {results['seed']}, {results['total_seconds']:.0f}s; "
        f"{machine['cpu_cores']}× {machine['cpu_model']}, {machine['memory_gb']} GB, PostgreSQL "
        f"{machine['postgresql'].get('server_version', '?')}; busy before start {machine['cpu_busy_percent_before']}% "
        f"(load {machine['loadavg_before'][0]} → {machine['loadavg_after'][0]})"
    )
    backlog = [results["results"].get(s, {}).get("measures", {}).get("backlog", {}) for s in sizes]
    shape = next((b for b in backlog if b.get("server")), None)
    if shape:
        lines.append(
            f"Backlog: {shape['server']}; wrk 2 threads, {shape['clients']} connections, endpoints in turns, "
            f"{shape.get('rounds', 1)} round(s) of {shape.get('seconds_per_round', 0):.0f}s each, median round shown; "
            "baselines in benchmarks/baselines.py."
        )
    for s in sizes:
        data = results["results"].get(s, {}).get("refdata")
        if data:
            counts, dist = data["counts"], data["distribution"]
            lines.append(
                f"Data {int(s):,}: {counts['sites']} sites, "
                f"{counts['problems']:,} problems ({counts['open_problems']:,} open), "
                f"{counts['site_reports']:,} site reports + {counts['evidence']:,} evidence; "
                f"{dist['share_at_one_or_two_sites']:.0%} at 1–2 sites, max {dist['max_sites_per_problem']}; "
                f"{'generated' if data['generated_now'] else 'reused, generated'} in {data['generation_seconds']:.0f}s"
            )
    if machine["cpu_busy_percent_before"] > 20 or machine["loadavg_before"][0] > 1.0:
        lines.append("WARNING: the machine was busy when the run started; figures are noisy. Rerun on a quiet machine.")
    lines += [f"note ({size:,} problems): {reason}" for size, reason in dict.fromkeys(notes)]
    return "\n".join(lines)
