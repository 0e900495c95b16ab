"""A description of the machine and software a run measured, and how busy the machine was."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import psycopg

from .processes import wrk_version

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("benchmarks/results.json", "benchmarks/profiles")


def _cpu_times() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields), idle


def cpu_busy_percent(seconds: float = 2.0) -> float:
    """How busy all cores were over a short window, in percent (other people's work included)."""
    total_before, idle_before = _cpu_times()
    time.sleep(seconds)
    total_after, idle_after = _cpu_times()
    total = total_after - total_before
    return round(100 * (1 - (idle_after - idle_before) / total), 1) if total else 0.0


def loadavg() -> list[float]:
    return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.platform()


def _git(*args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return completed.stdout.strip()


def _postgres(database_url: str) -> dict:
    try:
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5) as conn:
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "max_connections")
            }
    except psycopg.Error as exc:
        return {"error": str(exc)}
    return settings


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def describe(database_url: str) -> dict:
    return {
        "cpu_model": _cpu_model(),
        "cpu_cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": _os_name(),
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "postgresql": _postgres(database_url),
        "packages": {
            name: _version(name)
            for name in ("Django", "djangorestframework", "gunicorn", "celery", "psycopg", "orjson", "redis")
        },
        "wrk": wrk_version(),
        "git": {
            "commit": _git("rev-parse", "HEAD"),
            "branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
            # The run's own outputs do not count: they change during every run.
            "dirty": bool(
                _git("status", "--porcelain", "--untracked-files=no", "--", ".", *(f":!{p}" for p in OUTPUTS))
            ),
        },
    }
