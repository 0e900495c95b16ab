"""Triage writes: status moves, effort, external references, merges and outcome answers.

Each function is one transaction that checks the caller's role (intake.roles), locks the rows it
changes (in id order), checks the caller's `version`, writes a TriageAudit row beside the change,
and marks the problem stale so the scoring side re-ranks it after commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from intake.models import (
    ALLOWED_MOVES,
    DELIVERED_STATUSES,
    EventType,
    Problem,
    Site,
    Status,
    User,
    VersionConflict,
)
from intake.outbox import event_record
from intake.phi import phi_screen_fields
from intake.roles import Action, allowed_moves, require
from intake.stale import problems_mark_stale

from .models import Outcome, TriageAudit

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
        last = problem.triage_audit.select_related("actor").order_by("-at", "-id").first()
        raise VersionConflict(
            current_version=problem.version,
            changed_by=last.actor.get_username() if last else None,
            changed_at=last.at if last else problem.updated_at,
        )


def _save_with_audit(problem: Problem, *, actor: User, action: str, before: dict, fields: list[str]) -> Problem:
    problem.version = F("version") + 1
    problem.save(update_fields=[*fields, "version", "updated_at"])
    problem.refresh_from_db()
    TriageAudit.objects.create(problem=problem, actor=actor, action=action, before=before, after=_snapshot(problem))
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
    problem = _save_with_audit(problem, actor=actor, action="triage", before=before, fields=changed)
    if "status" in changed or "effort_weeks" in changed:
        problems_mark_stale(problem_ids=[problem.pk])
    if "status" in changed:
        _status_event(problem, actor=actor, before=before["status"])
    return problem


def _status_event(problem: Problem, *, actor: User, before: str, **extra) -> None:
    """The outbox row of a status move: `delivered` (which invites an outcome survey) or `status_changed`."""
    data = {"from": before, "to": problem.status, **extra}
    if problem.status == Status.DECLINED:
        data["reason"] = problem.decline_reason
    event = EventType.DELIVERED if problem.status == Status.DELIVERED else EventType.STATUS_CHANGED
    event_record(event=event, problem=problem, actor=actor, data=data)


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
    # Keep merges one level deep: what was merged into the source now counts for the target.
    Problem.objects.filter(merged_into=source).update(merged_into=target)
    source = _save_with_audit(source, actor=actor, action="merge", before=before, fields=["status", "merged_into"])
    problems_mark_stale(problem_ids=[source.pk, target.pk])
    event_record(
        event=EventType.MERGED, problem=source, actor=actor, data={"from": before["status"], "into": target.pk}
    )
    return source


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
    """Add or replace `respondent`'s answer for `site`. Only once the problem is delivered."""
    require(respondent, Action.ANSWER_OUTCOME)
    _refuse_until_delivered(problem)
    return Outcome.objects.update_or_create(
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
