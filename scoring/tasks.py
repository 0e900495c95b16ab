"""Celery tasks: take ids, load, call a service. Idempotent: scores are a function of the database."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError, OperationalError

from . import services
from .selectors import stale_problem_ids

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
)
def recompute_problems_task(self, problem_ids: list[int] | None = None) -> int:
    """Recompute the given problems, or every stale one when no ids are given."""
    ids = problem_ids if problem_ids is not None else stale_problem_ids()
    return services.scores_recompute(problem_ids=ids)


@shared_task(autoretry_for=(OperationalError, DatabaseError), retry_backoff=True, max_retries=5)
def sweep_stale_task() -> int:
    """Periodic safety net: recompute whatever is still stale (a lost message only delays it)."""
    ids = stale_problem_ids()
    if ids:
        logger.info("sweep recomputing %d stale problems", len(ids))
        services.scores_recompute(problem_ids=ids)
    return len(ids)


def recompute_enqueue(problem_ids: list[int] | None) -> None:
    """Queue a recompute; if the broker is down the change is already marked stale, so the sweep catches up."""
    try:
        recompute_problems_task.apply_async(args=[problem_ids], retry=False)
    except Exception:  # noqa: BLE001 - broker unreachable: the stale mark in PostgreSQL is the durable record
        logger.warning("broker unreachable; %s problem(s) left stale for the sweep", len(problem_ids or []) or "all")


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rerank_task(job_id: str) -> None:
    services.rerank_run(job_id=job_id)


def rerank_enqueue(job_id) -> None:
    try:
        rerank_task.apply_async(args=[str(job_id)], retry=False)
    except Exception:  # noqa: BLE001 - broker down: the policy version is committed, the sweep re-scores
        logger.warning("broker unreachable; re-rank job %s left for the sweep", job_id)
