"""Every measurement at one data size, in its own process (Django is set up once per database).

`python -m benchmarks.run` starts this once per size and merges the JSON it writes; run it
directly only to debug one size:

    python -m benchmarks.suite --problems 10000 --out /tmp/suite.json [--quick] [--only backlog,similar]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import processes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bridge_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/5"
FULL_SIZE = 100_000
MEASURES = ["backlog", "similar", "rerank", "evidence", "intake", "profiles"]


@dataclass(frozen=True)
class Plan:
    """How long and how many: the quick plan trades precision for a run of a few minutes."""

    wrk_seconds: float  # per endpoint, split into rounds
    wrk_rounds: int
    warmup_seconds: float
    similar_queries: int
    intake_posts: int
    orm_sample: int


FULL_PLAN = Plan(wrk_seconds=12, wrk_rounds=3, warmup_seconds=2, similar_queries=200, intake_posts=100, orm_sample=1000)
QUICK_PLAN = Plan(wrk_seconds=6, wrk_rounds=2, warmup_seconds=1, similar_queries=100, intake_posts=40, orm_sample=300)


def database_url_for(problems: int) -> str:
    """bridge_bench holds the full size; other sizes get their own database so neither is regenerated."""
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if problems == FULL_SIZE:
        return base
    return f"{base}_{problems // 1000}k" if problems % 1000 == 0 else f"{base}_{problems}"


@dataclass
class Context:
    data: object  # refdata.Refdata
    seed: int
    quick: bool
    plan: Plan
    database_url: str
    broker_url: str
    env: dict
    artifacts: Path
    log: Callable[[str], None]
    clients: int = 8
    wrk_threads: int = 2
    server: processes.Server | None = None
    server_description: str = ""
    workers_started: int = field(default=0)

    def wrk(self, url: str, *, headers: dict[str, str], seconds: float) -> dict:
        return processes.wrk(url, connections=self.clients, threads=self.wrk_threads, seconds=seconds, headers=headers)

    def purge_broker(self) -> int:
        return processes.broker_queue_purge(self.broker_url)

    def worker(self):
        """A fresh Celery worker (prefork, one process) on the benchmark's own broker database."""
        self.purge_broker()
        self.workers_started += 1
        return processes.celery_worker(
            self.env, concurrency=1, log_path=self.artifacts / f"worker-{self.workers_started}.log"
        )


def _log(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(MEASURES), help="comma list of " + ", ".join(MEASURES))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profiles", type=Path, help="directory for profile text files")
    args = parser.parse_args(argv)
    only = [m for m in args.only.split(",") if m]

    database_url = database_url_for(args.problems)
    broker_url = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER_URL)
    overrides = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_ENABLED": "true",
        "DJANGO_DEBUG": "false",
        "DB_CONN_MAX_AGE": "600",
    }
    os.environ.update(overrides)
    env = processes.environment(overrides)
    artifacts = ROOT / "artifacts" / "bench" / f"{args.problems}"
    artifacts.mkdir(parents=True, exist_ok=True)

    from . import refdata

    out: dict = {"problems": args.problems, "database": database_url.rsplit("/", 1)[-1], "measures": {}}
    started = time.perf_counter()
    _log(f"== {args.problems:,} problems (database {out['database']})")
    reuse = refdata.database_prepare(database_url, problems=args.problems, seed=args.seed)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    data = refdata.refdata_ensure(problems=args.problems, seed=args.seed, reuse=reuse, log=_log)
    out["refdata"] = {
        "seed": data.seed,
        "generated_now": data.generated_now,
        "generation_seconds": data.generation_seconds,
        "counts": data.counts,
        "distribution": data.distribution,
    }
    ctx = Context(
        data=data,
        seed=args.seed,
        quick=args.quick,
        plan=QUICK_PLAN if args.quick else FULL_PLAN,
        database_url=database_url,
        broker_url=broker_url,
        env=env,
        artifacts=artifacts,
        log=_log,
    )
    workers = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
    worker_class = os.environ.get("BENCH_GUNICORN_WORKER_CLASS", "sync")
    threads = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
    ctx.server_description = f"gunicorn {workers} {worker_class} workers × {threads} thread(s)"

    from . import backlog_api, evidence, intake_post, profiles, rerank, similar

    steps = {
        "backlog": backlog_api.measure,
        "similar": similar.measure,
        "rerank": rerank.measure,
        "evidence": evidence.measure,
        "intake": intake_post.measure,
    }
    with processes.gunicorn(
        env, workers=workers, worker_class=worker_class, threads=threads, log_path=artifacts / "gunicorn.log"
    ) as server:
        ctx.server = server
        for name in [m for m in MEASURES if m in only and m in steps]:
            _log(f"  {name}")
            step_started = time.perf_counter()
            try:
                result = steps[name](ctx)
            except Exception as exc:  # noqa: BLE001 - one failing measurement must not hide the others
                traceback.print_exc()
                result = {"available": False, "reason": f"failed: {type(exc).__name__}: {exc}"}
            result["elapsed_seconds"] = round(time.perf_counter() - step_started, 1)
            out["measures"][name] = result
    if "profiles" in only:
        _log("  profiles")
        directory = args.profiles or artifacts / "profiles"
        out["profiles"] = profiles.write_profiles(ctx, directory)
    removed = refdata.refdata_trim(data.high_water)
    ctx.purge_broker()  # recomputes queued by the in-process profiles: the trim made them moot
    out["rows_added_by_measurements"] = removed
    _log(f"  trimmed the rows the measurements added: {removed or 'none'}")
    out["seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
