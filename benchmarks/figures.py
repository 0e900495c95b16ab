"""Latency summaries and small HTTP helpers shared by the measurements."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
    }


def http_call(
    method: str, url: str, *, headers: dict[str, str] | None = None, body: dict | None = None, timeout: float = 30
) -> tuple[int, bytes, float, dict[str, str]]:
    """One request on a fresh connection: (status, body, seconds from send to the last byte, headers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    payload = json.dumps(body).encode() if body is not None else None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if payload is not None:
        all_headers["Content-Type"] = "application/json"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        started = time.perf_counter()
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    return response.status, data, elapsed, dict(response.getheaders())


def missing(reason: str) -> dict:
    return {"available": False, "reason": reason}


def endpoint_missing(status: int, body: bytes) -> dict:
    if status in (404, 405):
        return missing("not available (endpoint missing)")
    return missing(f"not available (HTTP {status}: {body[:200].decode(errors='replace')})")
