"""Everything about one problem: its score, reports, evidence, outcomes, history and audit.

The API's problem detail (problem_detail) carries what a client needs to recompute the score; the
problem page (problem_page) adds what the page explains beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.audit.models import PROBLEM_TRAIL_ACTIONS, AuditEvent
from intake.evidence_kinds import KINDS, measured_replaces
from intake.models import AffectedRole, Comment, Evidence, Problem, Site, SiteReport, Status
from intake.numbers import REPORT_NUMBERS, ReportNumber
from scoring.engine import Score, SiteBreakdown, score
from scoring.models import ProblemScore, ScoreHistory, ScoringPolicy
from scoring.ranking import score_is_pending
from scoring.selectors import policy_as_engine, policy_current, score_inputs

from .outcomes import OutcomeSummary, outcome_summary


@dataclass(frozen=True)
class ProblemDetail:
    problem: Problem
    score: ProblemScore | None
    score_pending: bool
    current: Score  # the score of the current inputs under the policy in force (the page explains it)
    per_site: list[SiteBreakdown]  # current.per_site
    site_reports: list[SiteReport]
    evidence: list[Evidence]
    outcomes: OutcomeSummary
    history: list[ScoreHistory]
    audit: list[AuditEvent]  # its trail (intake.audit.models.PROBLEM_TRAIL_ACTIONS), newest first
    merged_problems: list[Problem]
    comments: list[Comment]


def problem_detail(problem_id: int) -> ProblemDetail:
    """The problem with its score, its own and merged-in reports and evidence, outcomes and history."""
    problem = Problem.objects.select_related("score", "submitted_by", "merged_into").get(pk=problem_id)
    merged = list(Problem.objects.filter(merged_into=problem).order_by("id"))
    source_ids = [problem.pk, *(p.pk for p in merged)]
    reports = list(
        SiteReport.objects.filter(problem_id__in=source_ids)
        .select_related("site", "reporter")
        .order_by("site__code", "updated_at", "id")
    )
    evidence = list(
        Evidence.objects.filter(problem_id__in=source_ids)
        .select_related("site", "added_by")
        .order_by("created_at", "id")
    )
    policy = policy_current()
    stored = getattr(problem, "score", None)
    (inputs,) = score_inputs([problem.pk])
    current = score(inputs.inputs, policy_as_engine(policy))
    return ProblemDetail(
        problem=problem,
        score=stored,
        score_pending=score_is_pending(problem, policy.version),
        current=current,
        per_site=current.per_site,
        site_reports=reports,
        evidence=evidence,
        outcomes=outcome_summary(problem, current=current),
        history=list(ScoreHistory.objects.filter(problem=problem).order_by("at", "id")),
        audit=list(
            AuditEvent.objects.filter(problem=problem, action__in=PROBLEM_TRAIL_ACTIONS)
            .select_related("actor")
            .order_by("-at", "-id")
        ),
        merged_problems=merged,
        comments=list(Comment.objects.filter(problem=problem).select_related("author").order_by("created_at", "id")),
    )


AUDIT_FIELD_LABELS = {
    "status": "Status",
    "decline_reason": "Decline reason",
    "needs_info_question": "Question",
    "reopen_reason": "Reopen reason",
    "title": "Title",
    "statement": "What happens",
    "proposed_solution": "Idea",
    "workflow_area": "Workflow area",
    "affected_roles": "Who it slows down",
    "effort_weeks": "Effort (weeks)",
    "external_ref": "External reference",
    "merged_into_id": "Merged into",
    "merged_from_id": "Merged here from",
    "moved_ids": "Merged into it earlier, moved along",
    "returned_ids": "Came back with it",
    "not_duplicate_of_id": "Not a duplicate of",
}
PROBLEM_REFERENCES = {"merged_into_id", "merged_from_id", "not_duplicate_of_id"}


def _audit_value(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field == "status" and value in Status.values:
        return Status(value).label
    if field in PROBLEM_REFERENCES:
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(f"#{v}" if isinstance(v, int) else str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class AuditEntry:
    audit: AuditEvent
    changes: list[tuple[str, str, str]]  # (field label, before, after) as shown; version bumps left out


@dataclass(frozen=True)
class EvidenceShown:
    """An evidence row as the page says it: "<before><strong>value</strong><after>" (intake.evidence_kinds)."""

    evidence: Evidence
    title: str
    before: str
    value: str
    after: str


@dataclass(frozen=True)
class ProblemPage:
    detail: ProblemDetail
    policy: ScoringPolicy
    cost_by_site: dict[str, float]  # the latest cost report per site code, as scored
    revenue_by_site: dict[str, float]  # the latest revenue report per site code, as scored
    sites_affected: list[Site]
    audit: list[AuditEntry]
    affected_roles: list[str]  # labels, e.g. "APPs (NP/PA)"
    evidence: list[EvidenceShown]
    report_numbers: tuple[ReportNumber, ...]  # the site reports' columns
    measured_replaces: str  # which kind of measured evidence replaces which reported number
    site_reports: list[tuple[SiteReport, list[tuple[str, float]]]]  # each report with its (column, value) cells


def problem_page(problem_id: int) -> ProblemPage:
    """problem_detail plus what the page explains: the policy in force, costs per site, audit changes."""
    detail = problem_detail(problem_id)
    sites: dict[str, Site] = {}
    for report in detail.site_reports:
        sites.setdefault(report.site.code, report.site)
    audit = [
        AuditEntry(
            audit=entry,
            changes=[
                (
                    AUDIT_FIELD_LABELS.get(field, field),
                    _audit_value(field, entry.before.get(field)),
                    _audit_value(field, entry.after.get(field)),
                )
                for field in sorted(set(entry.before) | set(entry.after))
                if field != "version"
                and _audit_value(field, entry.before.get(field)) != _audit_value(field, entry.after.get(field))
            ],
        )
        for entry in detail.audit
    ]
    return ProblemPage(
        detail=detail,
        policy=policy_current(),
        cost_by_site=detail.current.totals_by_site["cost_hours_per_week"],
        revenue_by_site=detail.current.totals_by_site["revenue_per_week"],
        sites_affected=[sites[code] for code in sorted(sites)],
        audit=audit,
        affected_roles=[
            AffectedRole(role).label if role in AffectedRole.values else role for role in detail.problem.affected_roles
        ],
        evidence=[
            EvidenceShown(item, KINDS[item.kind].title, *KINDS[item.kind].show(item.value)) for item in detail.evidence
        ],
        report_numbers=REPORT_NUMBERS,
        measured_replaces=measured_replaces(),
        site_reports=[
            (report, [(number.column, getattr(report, number.name)) for number in REPORT_NUMBERS])
            for report in detail.site_reports
        ],
    )
