"""Evidence to new score and rank, with a real Celery worker (benchmarks/README.md).

    python -m benchmarks.evidence_latency [--rate 50] [--seconds 20] [--quick]

Against the database in DATABASE_URL (it needs problems with site reports, e.g. the reference
data), it starts its own redis-server on a free port (so it can stop it) and a Celery worker
with beat, then:

1. burst: posts evidence through the intake service at `rate` per second for `seconds`, on
   random open problems, and measures for each row the time from its commit to the moment the
   problem's stored score (and rank, written in the same transaction) reflects it; reports
   p50/p95/max and the recompute runs per evidence row (scoring.models.PipelineCounter);
2. outage: stops the broker, posts evidence (every write must still succeed), starts the broker
   again and measures how long until no score is stale.

Evidence it added is deleted at the end and the problems recomputed, so the data ends as it
began. `measure(...)` returns the figures as a dict (benchmarks/evidence.py calls it); the
posting runs in child processes (`--child ...`) so their Django settings point at the private
broker whatever the caller's settings are.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
CATCH_UP_TIMEOUT = 120.0


# --------------------------------------------------------------------------- orchestration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start_redis(port: int, workdir: Path) -> subprocess.Popen:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not _redis_up(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.05)
    return process


def _stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _worker(env: dict[str, str], workdir: Path):
    log_path = workdir / "worker.log"
    # Supervised like `make worker`: a worker that dies on a broker outage is started again.
    command = [
        str(ROOT / "bin" / "worker.sh"),
        "--beat",
        "--schedule",
        str(workdir / "beat-schedule"),
        "--concurrency",
        env.get("WORKER_CONCURRENCY", "2"),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, "CELERY": str(CELERY)}, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while b" ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start; see {log_path}")
            time.sleep(0.2)
        yield process
    finally:
        _stop(process, timeout=30)


def _child(env: dict[str, str], *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.evidence_latency", "--child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark child {args[0]} failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(lines[-1])


def measure(
    *,
    quick: bool = False,
    seed: int = 7,
    database_url: str | None = None,
    env: dict[str, str] | None = None,
    rate: float = 50.0,
    seconds: float | None = None,
    outage_rows: int | None = None,
    username: str | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Run both phases against `database_url` (or the environment's) and return the figures."""
    seconds = seconds if seconds is not None else (8.0 if quick else 20.0)
    outage_rows = outage_rows if outage_rows is not None else (20 if quick else 50)
    workdir = Path(tempfile.mkdtemp(prefix="bridge-evidence-bench-"))
    port = _free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    child_env = {**os.environ, **(env or {})}
    if database_url:
        child_env["DATABASE_URL"] = database_url
    child_env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    child_env.update(
        {
            "CELERY_BROKER_URL": broker,
            "SCORE_COALESCE_URL": broker,
            "CELERY_ENABLED": "true",
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    who = [f"--username={username}"] if username else []
    redis_process = _start_redis(port, workdir)
    try:
        with _worker(child_env, workdir):
            _child(child_env, "settle")
            log(f"    evidence burst: {rate:g}/s for {seconds:g}s with a worker running")
            burst = _child(child_env, "burst", f"--rate={rate}", f"--seconds={seconds}", f"--seed={seed}", *who)
            log(
                f"    evidence → new rank p50 {burst['latency_p50_s']}s, p95 {burst['latency_p95_s']}s; "
                f"{burst['task_runs_per_row']} recompute task runs per evidence row"
            )

            log(f"    broker down: {outage_rows} evidence rows, then the broker comes back")
            _stop(redis_process)
            outage = _child(child_env, "outage-post", f"--rows={outage_rows}", f"--seed={seed + 1}", *who)
            redis_process = _start_redis(port, workdir)
            back_at = time.time()
            fresh = _child(child_env, "wait-fresh", f"--since={back_at}")
            log(f"    broker back: every score fresh after {fresh['seconds_until_fresh']}s")
            added = burst["evidence_ids"] + outage["evidence_ids"]
            _child(child_env, "cleanup", f"--evidence={','.join(map(str, added))}")
    finally:
        _stop(redis_process)
        shutil.rmtree(workdir, ignore_errors=True)
    del burst["evidence_ids"]
    return {
        **burst,
        "outage_rows_posted": outage["posted"],
        "outage_rows_failed": outage["failed"],
        "outage_catch_up_s": fresh["seconds_until_fresh"],
        "sweep_seconds": fresh["sweep_seconds"],
        "bars": {"latency_p95_s": 2.0, "task_runs_per_row": 0.2, "outage_catch_up_s": 60.0},
    }


# --------------------------------------------------------------------------- children (Django set up)


def _setup_django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def _stale_count() -> int:
    from scoring.selectors import input_stale_problem_ids

    return len(input_stale_problem_ids())


def _wait_until_fresh(timeout: float) -> float | None:
    started = time.time()
    while time.time() - started < timeout:
        if _stale_count() == 0:
            return time.time()
        time.sleep(0.1)
    return None


def _evidence_plan(rng: random.Random, count: int) -> list[tuple]:
    """`count` (problem id, site id, reported minutes, reported occurrences): a random site report
    of a random open problem for each evidence row to add."""
    from intake.models import OPEN_STATUSES, SiteReport

    reports = list(
        SiteReport.objects.filter(problem__status__in=OPEN_STATUSES)
        .order_by("id")
        .values_list("problem_id", "site_id", "minutes_lost_per_occurrence", "occurrences_per_shift")
    )
    if not reports:
        raise RuntimeError("no open problem with a site report: load data first (e.g. the reference data)")
    return [rng.choice(reports) for _ in range(count)]


def _post(rng: random.Random, author, problem_id: int, site_id: int, minutes: float, occurrences: float) -> int:
    """Add one evidence row the way informatics would: a time study or an EHR metric that measures
    what the site reported give or take half (so problems move by realistic amounts, often by
    thousands of places), or a cost report of a few hours."""
    from intake.models import EvidenceKind, Problem, Site
    from intake.services import evidence_add

    kind = rng.choice([EvidenceKind.TIME_STUDY, EvidenceKind.EHR_METRIC, EvidenceKind.COST_REPORT])
    problem = Problem.objects.only("id", "status", "merged_into_id").get(pk=problem_id)
    site = Site(pk=site_id)
    factor = rng.uniform(0.5, 1.5)
    if kind == EvidenceKind.TIME_STUDY:
        row = evidence_add(
            problem=problem,
            added_by=author,
            kind=kind,
            value=min(240.0, round(max(0.1, minutes * factor), 2)),
            sample_size=rng.randint(1, 20),
            site=site if rng.random() < 0.5 else None,
        )
    elif kind == EvidenceKind.EHR_METRIC:
        value = min(200.0, round(max(0.1, occurrences * factor), 2))
        row = evidence_add(problem=problem, added_by=author, kind=kind, value=value, site=site)
    else:
        row = evidence_add(problem=problem, added_by=author, kind=kind, value=round(rng.uniform(0, 3), 2), site=site)
    return row.pk


def _author(username: str | None):
    from intake.models import User

    users = User.objects.order_by("id")
    return users.get(username=username) if username else users.first()


def _counters() -> dict[str, int]:
    from scoring.selectors import pipeline_counters

    return pipeline_counters()


def child_burst(*, rate: float, seconds: float, seed: int, username: str | None) -> dict:
    from intake.models import Problem
    from scoring.models import ProblemScore
    from scoring.recompute import RUNS_RECOMPUTE, RUNS_SWEEP, RUNS_TASK

    rng = random.Random(seed)
    author = _author(username)
    count = max(1, round(rate * seconds))
    plan = _evidence_plan(rng, count)
    before = _counters()
    pending: dict[int, list[tuple[int, float]]] = {}  # problem -> [(inputs_version, committed_at)]
    latencies: list[float] = []
    lock = threading.Lock()
    posting_done = threading.Event()

    def poll() -> None:
        from django.db import connection

        try:
            while True:
                with lock:
                    waiting = {pid: list(items) for pid, items in pending.items() if items}
                if not waiting and posting_done.is_set():
                    return
                if waiting:
                    stored = dict(
                        ProblemScore.objects.filter(problem_id__in=list(waiting)).values_list(
                            "problem_id", "inputs_version"
                        )
                    )
                    now = time.perf_counter()
                    with lock:
                        for pid, items in waiting.items():
                            reached = [item for item in items if stored.get(pid, 0) >= item[0]]
                            for item in reached:
                                latencies.append(now - item[1])
                                pending[pid].remove(item)
                time.sleep(0.01)
        finally:
            connection.close()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    evidence_ids = []
    started = time.perf_counter()
    for index, (problem_id, *report) in enumerate(plan):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        evidence_ids.append(_post(rng, author, problem_id, *report))
        committed = time.perf_counter()
        version = Problem.objects.filter(pk=problem_id).values_list("inputs_version", flat=True).get()
        with lock:
            pending.setdefault(problem_id, []).append((version, committed))
    post_seconds = time.perf_counter() - started
    posting_done.set()
    poller.join(timeout=CATCH_UP_TIMEOUT)
    unresolved = sum(len(items) for items in pending.values())
    after = _counters()

    def delta(name: str) -> int:
        return after.get(name, 0) - before.get(name, 0)

    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else None
    return {
        "evidence_rows": count,
        "rate_per_s": round(count / post_seconds, 1),
        "latency_p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "latency_p95_s": round(p95, 3) if p95 is not None else None,
        "latency_max_s": round(ordered[-1], 3) if ordered else None,
        "unresolved": unresolved,
        "recompute_task_runs": delta(RUNS_TASK),
        "sweep_runs": delta(RUNS_SWEEP),
        "recompute_transactions": delta(RUNS_RECOMPUTE),
        "task_runs_per_row": round(delta(RUNS_TASK) / count, 3),
        "recomputes_per_row": round(delta(RUNS_RECOMPUTE) / count, 3),
        "evidence_ids": evidence_ids,
    }


def child_outage_post(*, rows: int, seed: int, username: str | None) -> dict:
    rng = random.Random(seed)
    author = _author(username)
    evidence_ids, failed = [], 0
    for problem_id, *report in _evidence_plan(rng, rows):
        try:
            evidence_ids.append(_post(rng, author, problem_id, *report))
        except Exception:  # noqa: BLE001 - the figure is how many writes failed while the broker was down
            failed += 1
    return {"posted": len(evidence_ids), "failed": failed, "stale": _stale_count(), "evidence_ids": evidence_ids}


def child_wait_fresh(*, since: float) -> dict:
    from django.conf import settings

    fresh_at = _wait_until_fresh(CATCH_UP_TIMEOUT)
    return {
        "seconds_until_fresh": round(fresh_at - since, 2) if fresh_at else None,
        "sweep_seconds": settings.SCORE_SWEEP_SECONDS,
    }


def child_settle() -> dict:
    """Before measuring: let the worker clear anything already stale."""
    fresh_at = _wait_until_fresh(CATCH_UP_TIMEOUT)
    return {"fresh": fresh_at is not None}


def child_cleanup(*, evidence_ids: list[int]) -> dict:
    """Delete the benchmark's evidence and let the worker recompute those problems."""
    from django.db import transaction

    from intake.models import Evidence
    from intake.stale import problems_mark_stale

    with transaction.atomic():
        problem_ids = set(Evidence.objects.filter(pk__in=evidence_ids).values_list("problem_id", flat=True))
        Evidence.objects.filter(pk__in=evidence_ids).delete()
        problems_mark_stale(problem_ids=problem_ids)
    return {"deleted": len(evidence_ids), "fresh": _wait_until_fresh(CATCH_UP_TIMEOUT) is not None}


def _child_main(args: argparse.Namespace) -> dict:
    _setup_django()
    if args.child == "settle":
        return child_settle()
    if args.child == "burst":
        return child_burst(rate=args.rate, seconds=args.seconds, seed=args.seed, username=args.username)
    if args.child == "outage-post":
        return child_outage_post(rows=args.rows, seed=args.seed, username=args.username)
    if args.child == "wait-fresh":
        return child_wait_fresh(since=args.since)
    if args.child == "cleanup":
        return child_cleanup(evidence_ids=[int(x) for x in args.evidence.split(",") if x])
    raise SystemExit(f"unknown child {args.child}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="evidence posts per second")
    parser.add_argument("--seconds", type=float, default=None, help="burst length (default 20, 8 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--username", default=None, help="who adds the evidence (default: the first user)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=50, help=argparse.SUPPRESS)
    parser.add_argument("--since", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--evidence", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = _child_main(args)
        print(json.dumps(result))
        return result
    result = measure(quick=args.quick, seed=args.seed, rate=args.rate, seconds=args.seconds, username=args.username)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
