"""Where intake's "these problems are stale" lands (settings.BRIDGE_STALE_NOTIFIER), after commit.

With Celery enabled, a coalesced recompute is requested (scoring.tasks.recompute_request);
without a broker (`make run` on a bare machine), the recompute runs in-process right away
(scoring.recompute). Imports point one way: services → dispatch → tasks → recompute.
Either way the stale mark is already committed in PostgreSQL, so nothing here may fail the
caller's request: a lost request only delays the recompute until the sweep.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError

from . import recompute, tasks

logger = logging.getLogger(__name__)


def problems_stale(problem_ids: list[int] | None) -> None:
    if settings.CELERY_ENABLED:
        tasks.recompute_request()
        return
    try:
        if problem_ids is None:
            recompute.stale_scores_recompute(source=recompute.RUNS_INLINE)
        else:
            recompute.scores_recompute(problem_ids=problem_ids)
    except DatabaseError:
        # Committed and marked stale already; the next change (or a worker's sweep) recomputes it.
        logger.exception("in-process recompute failed; %s problem(s) left stale", len(problem_ids or []) or "all")


def rerank_dispatch(job_id) -> None:
    if settings.CELERY_ENABLED:
        tasks.rerank_enqueue(job_id)
        return
    try:
        recompute.rerank_run(job_id=job_id)
    except DatabaseError:
        logger.exception("in-process re-rank %s failed; the job shows it", job_id)
