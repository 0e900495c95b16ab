"""Where intake's "these problems are stale" lands (settings.BRIDGE_STALE_NOTIFIER).

With Celery enabled, a recompute task is queued (after commit, by the caller). Without a
broker (`make run` on a bare machine), the recompute runs in-process right away.
"""

from __future__ import annotations

from django.conf import settings


def problems_stale(problem_ids: list[int] | None) -> None:
    from . import services, tasks

    if settings.CELERY_ENABLED:
        tasks.recompute_enqueue(problem_ids)
        return
    if problem_ids is None:
        services.scores_recompute(problem_ids=services.problem_ids_all())
    else:
        services.scores_recompute(problem_ids=problem_ids)


def rerank_dispatch(job_id) -> None:
    from . import services, tasks

    if settings.CELERY_ENABLED:
        tasks.rerank_enqueue(job_id)
    else:
        services.rerank_run(job_id=job_id)
