"""Celery tasks of the backlog: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from .duplicates import duplicate_pairs_refresh


@shared_task(ignore_result=True)
def duplicates_refresh_task() -> int:
    """One batch of the duplicates queue's due problems (beat runs it again and again)."""
    return duplicate_pairs_refresh()
