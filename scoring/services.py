"""Scoring's domain action: a policy change. One transaction; the re-rank is queued after commit.

The recompute pipeline itself (turning inputs into stored scores and ranks) is scoring.recompute;
what starts it after a commit is scoring.dispatch.
"""

from __future__ import annotations

from django.db import transaction

from intake.models import User
from intake.roles import Action, require

from .dispatch import rerank_dispatch
from .models import RerankJob, ScoringPolicy


@transaction.atomic
def policy_update(
    *,
    actor: User | None,
    after_hours_weight: float,
    patient_weight: float,
    breadth_weight: float,
    default_effort_weeks: float,
) -> tuple[ScoringPolicy, RerankJob]:
    """Make a new policy version and a re-rank job for it; the job is queued after commit.

    Making the new version is what marks every problem stale (its score's policy_version is now
    older), in this same transaction."""
    if actor is not None:  # None: the system itself (a benchmark's reset)
        require(actor, Action.CHANGE_POLICY)
    current = ScoringPolicy.objects.select_for_update().order_by("-version").first()
    policy = ScoringPolicy.objects.create(
        version=(current.version if current else 0) + 1,
        after_hours_weight=after_hours_weight,
        patient_weight=patient_weight,
        breadth_weight=breadth_weight,
        default_effort_weeks=default_effort_weeks,
        created_by=actor,
    )
    job = RerankJob.objects.create(policy_version=policy.version, created_by=actor)
    transaction.on_commit(lambda: rerank_dispatch(job.pk))
    return policy, job
