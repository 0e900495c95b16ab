"""The processes a benchmark starts and stops itself: gunicorn, a Celery worker, wrk.

Each one is started on a free port or on the benchmark's own Redis database, waited for, and
stopped by its own process id (never by name), so other people's servers on the machine are
left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WRK_MISSING = "wrk (the load generator) is not installed: `make bench` installs it, or run `apt-get install wrk`."


def wrk_path() -> str:
    """The wrk binary on PATH; a clear message, not a traceback, when it is missing."""
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(WRK_MISSING)
    return path


def wrk_version() -> str | None:
    path = shutil.which("wrk")
    if path is None:
        return None
    completed = subprocess.run([path, "-v"], capture_output=True, text=True, check=False)
    lines = (completed.stdout or completed.stderr).splitlines()
    return lines[0].strip() if lines else None


WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen, *, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the parent pid follows the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of one process, in MB, from /proc/<pid>/status."""
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    workers: int
    worker_class: str


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, worker_class: str, threads: int, log_path: Path) -> Iterator[Server]:
    """Serve config.wsgi under benchmark settings on a free port until the block ends."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "256",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                urllib.request.urlopen(url + "/bench/floor/?page_size=1", timeout=5).read()
                break
            except urllib.error.HTTPError:
                break  # it answers; what each endpoint answers is the measurements' business
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield Server(url=url, process=process, workers=workers, worker_class=worker_class)
    finally:
        _stop(process)


@dataclass
class Worker:
    process: subprocess.Popen

    def pool_pids(self) -> list[int]:
        return children_of(self.process.pid)

    def memory_mb(self) -> dict:
        """Current and peak RSS of the pool processes (where tasks run) and of the main process."""
        pool = [memory_mb(pid) for pid in self.pool_pids()]
        main = memory_mb(self.process.pid)
        return {
            "pool_rss_mb": round(max((rss for rss, _ in pool), default=0.0), 1),
            "pool_peak_rss_mb": round(max((peak for _, peak in pool), default=0.0), 1),
            "main_rss_mb": round(main[0], 1),
            "main_peak_rss_mb": round(main[1], 1),
        }


def broker_queue_purge(broker_url: str) -> int:
    """Empty the benchmark's own Redis database (queued tasks and any pending-recompute marks).

    Only the database named in `broker_url` is touched, key by key; never database 0 (the
    default everyone shares), never FLUSHALL.
    """
    import redis

    client = redis.Redis.from_url(broker_url)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise ValueError("the benchmark needs its own Redis database (BENCH_BROKER_URL with a db number > 0)")
    removed = 0
    for key in client.scan_iter(count=1000):
        removed += client.delete(key)
    return removed


@contextlib.contextmanager
def celery_worker(env: dict[str, str], *, concurrency: int, log_path: Path) -> Iterator[Worker]:
    """A prefork Celery worker (no beat) on the benchmark's broker until the block ends."""
    command = [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = Worker(process=process)
    try:
        deadline = time.monotonic() + 60
        while len(worker.pool_pids()) < concurrency:
            if process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {process.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start its pool; see {log_path}")
            time.sleep(0.2)
        time.sleep(1.0)  # the pool imports Django and connects to the broker
        yield worker
    finally:
        _stop(process, timeout=30)


def wrk(url: str, *, connections: int, threads: int, seconds: float, headers: dict[str, str]) -> dict:
    """Run wrk against one URL; latency percentiles and throughput from its Lua `done` hook."""
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            raw = json.loads(line[len("WRK_JSON ") :])
            seconds_run = raw["duration_us"] / 1e6
            errors = {k[len("errors_") :]: v for k, v in raw.items() if k.startswith("errors_") and v}
            return {
                "requests": raw["requests"],
                "seconds": round(seconds_run, 2),
                "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
                "p50_ms": raw["p50_us"] / 1000,
                "p90_ms": raw["p90_us"] / 1000,
                "p95_ms": raw["p95_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "max_ms": raw["max_us"] / 1000,
                "mean_ms": round(raw["mean_us"] / 1000, 3),
                "errors": errors,
            }
    raise RuntimeError(f"wrk gave no report (exit {completed.returncode}): {completed.stderr.strip()[-500:]}")


def environment(overrides: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **overrides}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
