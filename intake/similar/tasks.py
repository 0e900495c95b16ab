"""Celery tasks of the similar search: ids in, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from .store import search_entries_due, search_entries_store, search_vectors_compute, search_vectors_due

SWEEP_BATCH = 500


@shared_task(ignore_result=True)
def similar_vectors_task(problem_ids: list[int]) -> int:
    return search_vectors_compute(problem_ids=[int(pk) for pk in problem_ids])


@shared_task(ignore_result=True)
def similar_vectors_sweep_task() -> int:
    """Whatever still lacks a vector (a lost message, a model that failed to load): one batch per run."""
    with transaction.atomic():
        search_entries_store(problem_ids=search_entries_due(limit=SWEEP_BATCH))
    return search_vectors_compute(problem_ids=search_vectors_due(limit=SWEEP_BATCH))
