"""Scoring's domain action: a policy change. One transaction; the re-rank is queued after commit.

The recompute pipeline itself (turning inputs into stored scores and ranks) is scoring.recompute;
what starts it after a commit is scoring.dispatch.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from intake.audit.models import AuditAction
from intake.audit.services import audit_record
from intake.models import NOTE_MAX, User
from intake.phi import phi_screen_fields
from intake.roles import Action, require

from .dispatch import rerank_dispatch
from .engine import POLICY_WEIGHTS
from .models import RerankJob, ScoringPolicy

WEIGHT_NAMES = frozenset(weight.name for weight in POLICY_WEIGHTS)


@transaction.atomic
def policy_update(*, actor: User | None, reason: str, **weights: float) -> tuple[ScoringPolicy, RerankJob]:
    """Make a new policy version with `weights` (scoring.engine.POLICY_WEIGHTS by name; a weight
    left out keeps its value in force) and `reason` (the history shows it), and a re-rank job for
    it, queued after commit.

    Making the new version is what marks every problem stale (its score's policy_version is now
    older), in this same transaction."""
    if actor is not None:  # None: the system itself (a benchmark's reset)
        require(actor, Action.CHANGE_POLICY)
    unknown = set(weights) - WEIGHT_NAMES
    if unknown:
        raise TypeError(f"policy_update() got unknown weights: {', '.join(sorted(unknown))}")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the weights change: the policy history shows it."]})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [f"Ensure this field has no more than {NOTE_MAX} characters."]})
    phi_screen_fields({"reason": reason})
    current = ScoringPolicy.objects.select_for_update().order_by("-version").first()
    values = {weight.name: getattr(current, weight.name) if current else weight.default for weight in POLICY_WEIGHTS}
    policy = ScoringPolicy.objects.create(
        version=(current.version if current else 0) + 1,
        **(values | weights),
        reason=reason,
        created_by=actor,
    )
    audit_record(
        action=AuditAction.POLICY_CHANGE,
        actor=actor,
        target=policy,
        before={"version": current.version, **values} if current else None,
        after={"version": policy.version, **{name: getattr(policy, name) for name in WEIGHT_NAMES}, "reason": reason},
    )
    job = RerankJob.objects.create(policy_version=policy.version, created_by=actor)
    transaction.on_commit(lambda: rerank_dispatch(job.pk))
    return policy, job


@transaction.atomic
def policy_revert(*, actor: User, version: int, reason: str) -> tuple[ScoringPolicy, RerankJob]:
    """Back to an earlier version's weights: a new version copying them (history is never
    rewritten), with why, and a re-rank. The reason is required, as for any change."""
    require(actor, Action.CHANGE_POLICY)
    earlier = ScoringPolicy.objects.filter(version=version).first()
    if earlier is None:
        raise ValidationError({"revert": [f"There is no policy version {version}."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why you go back to these weights: the policy history shows it."]})
    weights = {weight.name: getattr(earlier, weight.name) for weight in POLICY_WEIGHTS}
    return policy_update(actor=actor, reason=f"Back to version {version}: {reason.strip()}", **weights)
