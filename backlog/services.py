"""Triage writes: status moves, effort, external references, merges (and undoing them), "not a
duplicate" and outcome answers.

Each function is one transaction that checks the caller's role (intake.roles), locks the rows it
changes (in id order), checks the caller's `version`, writes an audit row (intake.audit) beside the change,
and marks the problem stale so the scoring side re-ranks it after commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from intake.audit.models import TRIAGE_ACTIONS, AuditAction, AuditEvent
from intake.audit.services import audit_record
from intake.models import ALLOWED_MOVES, DELIVERED_STATUSES, Problem, Site, Status, User, VersionConflict
from intake.phi import phi_screen_fields
from intake.roles import Action, allowed_moves, require, require_outcome_at
from intake.selectors import problem_site_ids
from intake.stale import problems_mark_stale

from .models import DuplicateDismissal, Outcome
from .selectors.duplicates import merge_record

OUTCOME_ANSWER_FIELDS = ("better_care", "less_frustrated", "more_confident", "minutes_saved_per_shift")
TRIAGE_FIELDS = ("status", "decline_reason", "effort_weeks", "external_ref")
UNSET = object()


def _snapshot(problem: Problem) -> dict:
    return {field: getattr(problem, field) for field in (*TRIAGE_FIELDS, "merged_into_id", "version")}


def _lock(problem_ids: list[int]) -> dict[int, Problem]:
    locked = Problem.objects.select_for_update().filter(id__in=sorted(problem_ids)).order_by("id")
    return {p.id: p for p in locked}


def _check_version(problem: Problem, version: int | None) -> None:
    if version is None:
        raise ValidationError({"version": ["Send the problem's current version with every change."]})
    if version != problem.version:
        last = AuditEvent.objects.filter(problem=problem, action__in=TRIAGE_ACTIONS).order_by("-at", "-id").first()
        raise VersionConflict(
            current_version=problem.version,
            changed_by=(last.actor_name or None) if last else None,
            changed_at=last.at if last else problem.updated_at,
        )


def _audit(problem: Problem, *, actor: User, action: AuditAction, before: dict, after: dict) -> AuditEvent:
    return audit_record(action=action, actor=actor, problem=problem, target=problem, before=before, after=after)


def _save_with_audit(
    problem: Problem, *, actor: User, action: AuditAction, before: dict, fields: list[str], noted: dict | None = None
) -> Problem:
    """Save the triage fields, bump the version, and audit before → after (plus `noted` facts of the action)."""
    problem.version = F("version") + 1
    problem.save(update_fields=[*fields, "version", "updated_at"])
    problem.refresh_from_db()
    _audit(problem, actor=actor, action=action, before=before, after=_snapshot(problem) | (noted or {}))
    return problem


@transaction.atomic
def problem_triage(
    *,
    problem_id: int,
    actor: User,
    version: int | None,
    status: str | None = None,
    decline_reason: str | None = None,
    effort_weeks=UNSET,
    external_ref: str | None = None,
) -> Problem:
    """Change status / effort / external reference, as one audited, version-checked write."""
    require(actor, Action.TRIAGE)
    if decline_reason is not None:
        require(actor, Action.DECLINE)
    problem = _lock([problem_id]).get(problem_id)
    if problem is None:
        raise Problem.DoesNotExist(problem_id)
    _check_version(problem, version)
    before = _snapshot(problem)
    changed: list[str] = []
    errors: dict[str, list[str]] = {}

    if status is not None and status != problem.status:
        if status == Status.MERGED:
            errors["status"] = ["Use the merge action to merge a problem into another."]
        elif status not in allowed_moves(actor, problem.status):
            allowed = allowed_moves(actor, problem.status)
            allowed_text = ", ".join(allowed) if allowed else "none for your role"
            errors["status"] = [f"Cannot move from {problem.status} to {status}. Allowed: {allowed_text}."]
        elif status == Status.DECLINED and not (decline_reason or "").strip():
            errors["decline_reason"] = ["Say why the problem is declined."]
        else:
            problem.status = status
            changed.append("status")
            if status == Status.DECLINED:
                problem.decline_reason = decline_reason.strip()
                changed.append("decline_reason")
    elif decline_reason is not None and problem.status == Status.DECLINED and decline_reason.strip():
        problem.decline_reason = decline_reason.strip()
        changed.append("decline_reason")

    if effort_weeks is not UNSET and effort_weeks != problem.effort_weeks:
        require(actor, Action.ESTIMATE_EFFORT)
        problem.effort_weeks = effort_weeks
        changed.append("effort_weeks")

    if external_ref is not None and external_ref != problem.external_ref:
        require(actor, Action.SET_EXTERNAL_REF)
        problem.external_ref = external_ref.strip()
        changed.append("external_ref")

    if errors:
        raise ValidationError(errors)
    phi_screen_fields(
        {name: text for name, text in (("decline_reason", decline_reason), ("external_ref", external_ref)) if text},
        labels={"external_ref": "External reference"},
    )
    if not changed:
        return problem
    problem = _save_with_audit(problem, actor=actor, action=AuditAction.TRIAGE, before=before, fields=changed)
    if "status" in changed or "effort_weeks" in changed:
        problems_mark_stale(problem_ids=[problem.pk])
    return problem


@transaction.atomic
def problem_merge(*, problem_id: int, into_id: int, actor: User, version: int | None = None) -> Problem:
    """Merge problem `problem_id` into `into_id`; its reports and evidence count for the target from now on."""
    require(actor, Action.MERGE)
    if problem_id == into_id:
        raise ValidationError({"into": ["A problem cannot be merged into itself."]})
    locked = _lock([problem_id, into_id])
    source, target = locked.get(problem_id), locked.get(into_id)
    if source is None:
        raise Problem.DoesNotExist(problem_id)
    if target is None:
        raise ValidationError({"into": [f"There is no problem #{into_id}."]})
    if version is not None:
        _check_version(source, version)
    if Status.MERGED not in ALLOWED_MOVES[source.status]:
        raise ValidationError(
            {"status": [f"A problem in status {source.status} cannot be merged (only new, needs_info or triaged)."]}
        )
    if target.status == Status.MERGED:
        raise ValidationError(
            {"into": [f"#{target.pk} was itself merged into #{target.merged_into_id}; merge into that."]}
        )
    before = _snapshot(source)
    source.status = Status.MERGED
    source.merged_into = target
    # Keep merges one level deep: what was merged into the source now counts for the target. The
    # audit remembers which, so that an unmerge sends them back.
    moved = sorted(Problem.objects.filter(merged_into=source).values_list("pk", flat=True))
    Problem.objects.filter(pk__in=moved).update(merged_into=target)
    source = _save_with_audit(
        source,
        actor=actor,
        action=AuditAction.MERGE,
        before=before,
        fields=["status", "merged_into"],
        noted={"moved_ids": moved},
    )
    _audit(
        target,
        actor=actor,
        action=AuditAction.MERGED_IN,
        before={"merged_from_id": None},
        after={"merged_from_id": source.pk},
    )
    problems_mark_stale(problem_ids=[source.pk, target.pk])
    return source


def _lock_merged(problem_id: int) -> tuple[Problem, Problem | None]:
    """Lock a problem and the one it is merged into, in id order (re-read if a merge moved it meanwhile)."""
    while True:
        into_id = Problem.objects.filter(pk=problem_id).values_list("merged_into_id", flat=True).first()
        locked = _lock([problem_id] if into_id is None else [problem_id, into_id])
        source = locked.get(problem_id)
        if source is None:
            raise Problem.DoesNotExist(problem_id)
        if source.merged_into_id == into_id:
            return source, locked.get(into_id) if into_id is not None else None


@transaction.atomic
def problem_unmerge(*, problem_id: int, actor: User, version: int | None) -> Problem:
    """Undo the merge of `problem_id` (product.md §3).

    It gets back the status it had before the merge, its own site reports and evidence count for it
    again, the problems that the merge moved along to the target come back to it, both are re-scored,
    and both audits show it.
    """
    require(actor, Action.UNMERGE)
    source, target = _lock_merged(problem_id)
    _check_version(source, version)
    if source.status != Status.MERGED or target is None:
        raise ValidationError({"status": [f"#{source.pk} is not merged; there is nothing to undo."]})
    record = merge_record(source.pk)
    status_before, moved = record.status_before, record.moved_ids
    # Only those still in the target come back (one may have been unmerged on its own since).
    returned = sorted(
        Problem.objects.filter(pk__in=moved, merged_into=target, status=Status.MERGED).values_list("pk", flat=True)
    )
    Problem.objects.filter(pk__in=returned).update(merged_into=source)
    before = _snapshot(source)
    source.status = status_before
    source.merged_into = None
    source = _save_with_audit(
        source,
        actor=actor,
        action=AuditAction.UNMERGE,
        before=before,
        fields=["status", "merged_into"],
        noted={"returned_ids": returned},
    )
    _audit(
        target,
        actor=actor,
        action=AuditAction.UNMERGED_OUT,
        before={"merged_from_id": source.pk},
        after={"merged_from_id": None},
    )
    problems_mark_stale(problem_ids=[source.pk, target.pk])
    return source


@transaction.atomic
def duplicate_dismiss(*, problem_id: int, other_id: int, actor: User) -> tuple[DuplicateDismissal, bool]:
    """Remember that two problems are not the same (product.md §11): once per unordered pair, audited on both.

    Idempotent: dismissing a pair again changes nothing and answers the first dismissal.
    """
    require(actor, Action.DISMISS_DUPLICATE)
    if not Problem.objects.filter(pk=problem_id).exists():
        raise Problem.DoesNotExist(problem_id)
    if other_id == problem_id:
        raise ValidationError({"other": ["Name another problem: a problem is always the same as itself."]})
    if not Problem.objects.filter(pk=other_id).exists():
        raise ValidationError({"other": [f"There is no problem #{other_id}."]})
    low, high = DuplicateDismissal.pair(problem_id, other_id)
    dismissal, created = DuplicateDismissal.objects.get_or_create(
        problem_low_id=low, problem_high_id=high, defaults={"dismissed_by": actor}
    )
    if created:
        for one, other in ((problem_id, other_id), (other_id, problem_id)):
            _audit(
                Problem(pk=one),
                actor=actor,
                action=AuditAction.NOT_DUPLICATE,
                before={"not_duplicate_of_id": None},
                after={"not_duplicate_of_id": other},
            )
    return dismissal, created


def _refuse_until_delivered(problem: Problem) -> None:
    if problem.status not in DELIVERED_STATUSES:
        raise ValidationError({"non_field_errors": ["Outcome answers open once the change is delivered."]})


@transaction.atomic
def outcome_answer(
    *,
    problem: Problem,
    site: Site,
    respondent: User,
    better_care: int,
    less_frustrated: int,
    more_confident: int,
    minutes_saved_per_shift: float,
) -> tuple[Outcome, bool]:
    """Add or replace `respondent`'s answer for `site`. Only once the problem is delivered, for a site
    affected by it and (for clinicians) one they work at (intake.roles.require_outcome_at)."""
    require(respondent, Action.ANSWER_OUTCOME)
    _refuse_until_delivered(problem)
    require_outcome_at(respondent, site, affected_site_ids=problem_site_ids(problem.pk))
    earlier = Outcome.objects.filter(problem=problem, site=site, respondent=respondent).first()
    outcome, created = Outcome.objects.update_or_create(
        problem=problem,
        site=site,
        respondent=respondent,
        defaults={
            "better_care": better_care,
            "less_frustrated": less_frustrated,
            "more_confident": more_confident,
            "minutes_saved_per_shift": minutes_saved_per_shift,
        },
    )
    audit_record(
        action=AuditAction.OUTCOME_ANSWER,
        actor=respondent,
        problem=problem,
        target=outcome,
        before=_outcome_state(earlier) if earlier else None,
        after=_outcome_state(outcome),
    )
    return outcome, created


def _outcome_state(outcome: Outcome) -> dict:
    return {"site": outcome.site.code, **{name: getattr(outcome, name) for name in OUTCOME_ANSWER_FIELDS}}
