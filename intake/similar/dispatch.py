"""After commit: compute the new entries' vectors, in a Celery task or, without a broker, right here.

Like scoring.dispatch: nothing here may fail the caller's request. A vector that is not computed
now is computed by the periodic sweep (similar_vectors_sweep_task) or `manage.py similar_index`;
until then the problem is found by its words.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import DatabaseError, transaction

from .store import search_vectors_compute
from .tasks import similar_vectors_task

logger = logging.getLogger(__name__)

# After a failed enqueue, skip the broker for SCORE_BROKER_BACKOFF_SECONDS (as scoring does): a
# broker that is down must not add its connection timeout to every write.
_broker_retry_at = 0.0


def vectors_after_commit(problem_ids: list[int]) -> None:
    ids = sorted(set(problem_ids))
    transaction.on_commit(lambda: vectors_request(ids))


def vectors_request(problem_ids: list[int]) -> None:
    global _broker_retry_at
    if settings.CELERY_ENABLED:
        if time.time() < _broker_retry_at:
            return
        try:
            similar_vectors_task.apply_async((problem_ids,), retry=False)
        except Exception:  # noqa: BLE001 — a broker that is down must not fail a committed write
            _broker_retry_at = time.time() + settings.SCORE_BROKER_BACKOFF_SECONDS
            logger.warning(
                "similar search: could not queue vectors for %s problem(s); the sweep will", len(problem_ids)
            )
        return
    try:
        search_vectors_compute(problem_ids=problem_ids)
    except DatabaseError:
        logger.exception(
            "similar search: in-process vectors failed for %s problem(s); the sweep will", len(problem_ids)
        )
