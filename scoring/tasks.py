"""Celery tasks: take ids (or nothing), call a service. Idempotent: scores are a function of the database.

Coalescing. A change asks for "a recompute of everything stale", not for its own problem:
`recompute_request` queues `recompute_stale_task` only when none is pending (a short-lived Redis
key set with NX, deleted when the task starts, before it reads what is stale), and spaces runs
at least SCORE_COALESCE_SECONDS apart (a countdown from the last run's start). A burst of
evidence thus collapses into a run every SCORE_COALESCE_SECONDS, while an isolated change runs
at once. None of it needs to be exactly-once: if the key or the message is lost, the stale mark
in PostgreSQL stays, the next change or the periodic sweep recomputes it; a duplicate run finds
nothing stale.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis import Redis, RedisError

from . import recompute

logger = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
PENDING_KEY = "bridge:scoring:recompute:pending"
LAST_START_KEY = "bridge:scoring:recompute:last-start"
PENDING_TTL_MS = 10_000  # a lost message only holds requests back this long (the sweep covers it)
# One quick reconnect (a pooled connection may predate a broker restart), then give up: the
# request must not wait on a broker that is down.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

_clients: dict[str, Redis] = {}
_broker_retry_at = 0.0  # while the broker is down, don't make every request wait for it


def _gate() -> Redis | None:
    url = settings.SCORE_COALESCE_URL
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        _clients[url] = client
    return client


def recompute_request() -> None:
    """After commit: make sure a recompute of everything stale is queued (at most one pending)."""
    global _broker_retry_at
    now = time.time()
    if now < _broker_retry_at:
        return
    gate = _gate()
    claimed = False
    try:
        countdown = 0.0
        if gate is not None:
            if not gate.set(PENDING_KEY, now, nx=True, px=PENDING_TTL_MS):
                return  # a queued run has not started yet; it will read this change
            claimed = True
            last_start = gate.get(LAST_START_KEY)
            if last_start is not None:
                window = settings.SCORE_COALESCE_SECONDS
                countdown = min(window, max(0.0, float(last_start) + window - now))
        recompute_stale_task.apply_async(countdown=countdown or None, retry=True, retry_policy=PUBLISH_RETRY)
    except (BrokerError, RedisError, OSError):
        _broker_retry_at = now + settings.SCORE_BROKER_BACKOFF_SECONDS
        logger.warning("broker unreachable: stale problems wait for the sweep")
        if claimed:
            try:
                gate.delete(PENDING_KEY)
            except RedisError:
                pass  # the key expires on its own


def _recompute_started() -> None:
    """Clear the pending mark before reading what is stale, so no change can slip between."""
    gate = _gate()
    if gate is None:
        return
    try:
        gate.pipeline().delete(PENDING_KEY).set(LAST_START_KEY, time.time(), ex=60).execute()
    except RedisError:
        logger.warning("could not clear the recompute mark; it expires on its own")


@shared_task(bind=True, autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=30, max_retries=10)
def recompute_stale_task(self) -> int:
    """Recompute every problem whose inputs changed since its score (takes no arguments: the
    database says what is stale)."""
    _recompute_started()
    return recompute.stale_scores_recompute(source=recompute.RUNS_TASK)


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=30, max_retries=3)
def sweep_stale_task() -> int:
    """Periodic safety net (celery beat): recompute whatever is still stale, and resume a
    re-rank whose message was lost or whose worker died. A lost message only delays a recompute."""
    scored = recompute.stale_scores_recompute(source=recompute.RUNS_SWEEP)
    if scored:
        logger.info("sweep recomputed %d stale problem(s)", scored)
    recompute.rerank_resume()
    return scored


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=60, max_retries=10)
def rerank_task(job_id: str) -> None:
    recompute.rerank_run(job_id=job_id)


def rerank_enqueue(job_id) -> None:
    try:
        rerank_task.apply_async(args=[str(job_id)], retry=True, retry_policy=PUBLISH_RETRY)
    except (BrokerError, OSError):
        logger.warning("broker unreachable: re-rank job %s waits for the sweep", job_id)
