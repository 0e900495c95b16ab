"""Evidence to new rank, with a worker running: integrates `benchmarks.evidence_latency` (owned by pipeline).

That module measures the burst at 50 evidence posts per second, the recompute runs per
evidence row and the catch-up after a broker outage, and returns a dict of figures; this
adapter only calls it with what it asks for and keeps its figures as they are.
"""

from __future__ import annotations

import importlib
import inspect

from .figures import missing

ENTRY_POINTS = ("measure", "run", "evidence_latency", "main")


def measure(ctx) -> dict:
    try:
        module = importlib.import_module("benchmarks.evidence_latency")
    except ModuleNotFoundError as exc:
        if exc.name != "benchmarks.evidence_latency":
            raise
        return missing("not available (benchmarks/evidence_latency.py missing: pipeline branch not merged)")
    entry = next((getattr(module, name) for name in ENTRY_POINTS if callable(getattr(module, name, None))), None)
    if entry is None:
        return missing(f"not available (benchmarks/evidence_latency.py has none of {', '.join(ENTRY_POINTS)})")
    offered = {
        "quick": ctx.quick,
        "seed": ctx.seed,
        "database_url": ctx.database_url,
        "broker_url": ctx.broker_url,
        "env": ctx.env,
        "token": ctx.data.token,
        "username": ctx.data.username,
        "base_url": ctx.server.url if ctx.server else None,
        "log": ctx.log,
    }
    parameters = inspect.signature(entry).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs = {k: v for k, v in offered.items() if takes_any or k in parameters}
    ctx.purge_broker()
    figures = entry(**kwargs)
    ctx.purge_broker()
    return {"available": True, "callable": f"{module.__name__}.{entry.__name__}", "figures": figures}
