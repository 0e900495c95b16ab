"""Triage writes: status moves, effort, external references, merges (and undoing them), "not a
duplicate" and outcome answers.

Each function is one transaction that checks the caller's role (intake.roles), locks the rows it
changes (in id order), checks the caller's `version`, writes an audit row (intake.audit) beside the change,
and marks the problem stale so the scoring side re-ranks it after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from intake.audit.models import TRIAGE_ACTIONS, AuditAction, AuditEvent
from intake.audit.services import audit_record
from intake.models import (
    ALLOWED_MOVES,
    DELIVERED_STATUSES,
    Comment,
    EventType,
    Problem,
    Site,
    Status,
    User,
    VersionConflict,
)
from intake.outbox import event_record
from intake.phi import phi_screen_fields
from intake.roles import EDIT_REFUSAL, Action, allowed_moves, may_edit, require, require_outcome_at
from intake.selectors import problem_site_ids
from intake.similar.services import search_entries_write
from intake.stale import problems_mark_stale

from .models import DuplicateDismissal, Outcome
from .selectors.duplicates import merge_record

OUTCOME_ANSWER_FIELDS = ("better_care", "less_frustrated", "more_confident", "minutes_saved_per_shift")
TRIAGE_FIELDS = ("status", "decline_reason", "needs_info_question", "effort_weeks", "external_ref")
# What a submitter may edit while the problem is new or needs info (docs/integrations.md).
EDITABLE_FIELDS = ("title", "statement", "proposed_solution", "workflow_area", "affected_roles")
UNSET = object()


def _snapshot(problem: Problem, extra: tuple[str, ...] = ()) -> dict:
    return {field: getattr(problem, field) for field in (*TRIAGE_FIELDS, *extra, "merged_into_id", "version")}


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
    problem: Problem,
    *,
    actor: User,
    action: AuditAction,
    before: dict,
    fields: list[str],
    extra: tuple[str, ...] = (),
    noted: dict | None = None,
) -> Problem:
    """Save the fields, bump the version, and audit before → after (the triage fields, `extra` ones,
    and `noted` facts of the action)."""
    problem.version = F("version") + 1
    problem.save(update_fields=[*fields, "version", "updated_at"])
    problem.refresh_from_db()
    _audit(problem, actor=actor, action=action, before=before, after=_snapshot(problem, extra) | (noted or {}))
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
    question: str | None = None,
    reason: str | None = None,
) -> Problem:
    """Change status / effort / external reference, as one audited, version-checked write.

    Moving to needs_info takes the `question` the followers are asked; reopening a declined problem
    (declined → new) takes the `reason`."""
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
        elif status == Status.NEEDS_INFO and not (question or "").strip():
            errors["question"] = ["Ask what you need to know: the submitter and the reporters read it."]
        elif problem.status == Status.DECLINED and not (reason or "").strip():
            errors["reason"] = ["Say why the problem is reopened."]
        else:
            reopened = problem.status == Status.DECLINED
            problem.status = status
            changed.append("status")
            if status == Status.DECLINED:
                problem.decline_reason = decline_reason.strip()
                changed.append("decline_reason")
            if status == Status.NEEDS_INFO:
                problem.needs_info_question = question.strip()
                changed.append("needs_info_question")
            if reopened:
                problem.decline_reason = ""
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
    texts = (
        ("decline_reason", decline_reason),
        ("external_ref", external_ref),
        ("question", question),
        ("reason", reason),
    )
    phi_screen_fields({name: text for name, text in texts if text}, labels={"external_ref": "External reference"})
    if not changed:
        return problem
    reopen_reason = reason.strip() if before["status"] == Status.DECLINED and "status" in changed else None
    problem = _save_with_audit(
        problem,
        actor=actor,
        action=AuditAction.REOPEN if reopen_reason else AuditAction.TRIAGE,
        before=before,
        fields=changed,
        noted={"reopen_reason": reopen_reason} if reopen_reason else None,
    )
    if "status" in changed or "effort_weeks" in changed:
        problems_mark_stale(problem_ids=[problem.pk])
    if "status" in changed:
        extra = {"reason": reopen_reason} if reopen_reason else {}
        if problem.status == Status.NEEDS_INFO:
            extra["question"] = problem.needs_info_question
        _status_event(problem, actor=actor, before=before["status"], **extra)
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
    event_record(
        event=EventType.MERGED, problem=source, actor=actor, data={"from": before["status"], "into": target.pk}
    )
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
    """Undo the merge of `problem_id` (docs/domain.md).

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
    """Remember that two problems are not the same (docs/similar.md): once per unordered pair, audited on both.

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


def _answered(
    problem: Problem, *, actor: User, action: AuditAction, before: dict, fields: list[str], extra=()
) -> Problem:
    """Save the submitter's edit or comment; on a needs_info problem it is the answer: back to new,
    and the product managers hear of it."""
    answering = problem.status == Status.NEEDS_INFO
    if answering:
        problem.status = Status.NEW
        fields = [*fields, "status"]
    if fields:
        problem = _save_with_audit(problem, actor=actor, action=action, before=before, fields=fields, extra=extra)
    if answering:
        _status_event(problem, actor=actor, before=Status.NEEDS_INFO, answered=True)
    return problem


@transaction.atomic
def problem_edit(*, problem_id: int, editor: User, version: int | None, **changes) -> Problem:
    """The submitter edits the text of their problem while it is new or needs info (docs/integrations.md).

    Only EDITABLE_FIELDS; PHI-screened; on a needs_info problem the edit is the answer (back to new)."""
    problem = _lock([problem_id]).get(problem_id)
    if problem is None:
        raise Problem.DoesNotExist(problem_id)
    if problem.submitted_by_id != editor.pk or not editor.is_active:
        raise PermissionDenied(EDIT_REFUSAL)
    if not may_edit(editor, problem):
        raise ValidationError(
            {
                "non_field_errors": [
                    f"A problem can be edited while it is new or needs info; this one is {problem.status}."
                ]
            }
        )
    _check_version(problem, version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["The submitter may not change this field."] for field in sorted(unknown)})
    phi_screen_fields({f: changes[f] for f in ("title", "statement", "proposed_solution") if changes.get(f)})
    before = _snapshot(problem, EDITABLE_FIELDS)
    changed = []
    for field, value in changes.items():
        value = sorted(set(value)) if field == "affected_roles" else value.strip() if isinstance(value, str) else value
        if value != getattr(problem, field):
            setattr(problem, field, value)
            changed.append(field)
    if not changed:
        return problem
    problem = _answered(
        problem, actor=editor, action=AuditAction.SUBMITTER_EDIT, before=before, fields=changed, extra=EDITABLE_FIELDS
    )
    if {"title", "statement"} & set(changed):
        search_entries_write(problem_ids=[problem.pk])
    return problem


@transaction.atomic
def comment_add(*, problem_id: int, author: User, body: str) -> Comment:
    """A comment on a problem; its followers hear of it (docs/integrations.md). The submitter's comment on a
    needs_info problem answers the question: the problem goes back to new."""
    require(author, Action.COMMENT)
    problem = _lock([problem_id]).get(problem_id)
    if problem is None:
        raise Problem.DoesNotExist(problem_id)
    if problem.status == Status.MERGED:
        raise ValidationError({"non_field_errors": [problem.reports_closed_because()]})
    phi_screen_fields({"body": body})
    if not body.strip():
        raise ValidationError({"body": ["Write a comment."]})
    comment = Comment.objects.create(problem=problem, author=author, body=body.strip())
    audit_record(
        action=AuditAction.COMMENT_ADD, actor=author, problem=problem, target=comment, after={"body": comment.body}
    )
    event_record(event=EventType.COMMENT_ADDED, problem=problem, actor=author, data={"comment": comment.pk})
    if problem.status == Status.NEEDS_INFO and problem.submitted_by_id == author.pk:
        _answered(problem, actor=author, action=AuditAction.NEEDS_INFO_ANSWER, before=_snapshot(problem), fields=[])
    return comment
