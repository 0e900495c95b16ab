"""Reads for the backlog: ranked listings and the full picture of one problem.

Every function returns data whose joins are chosen here, so a listing costs a fixed number of
queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from intake.models import OPEN_STATUSES, Evidence, Problem, SiteReport
from scoring.engine import Answer, realized_provider_hours, score
from scoring.models import ProblemScore, ScoreHistory
from scoring.selectors import policy_as_engine, policy_current, score_inputs

from .models import Outcome, TriageAudit


def backlog_ranked(
    *,
    statuses: list[str] | None = None,
    site_codes: list[str] | None = None,
    workflow_areas: list[str] | None = None,
    safety: bool | None = None,
) -> QuerySet[Problem]:
    """Problems by global rank (open ones; pending new ones last). Filters never renumber ranks."""
    problems = Problem.objects.filter(status__in=statuses or OPEN_STATUSES)
    if site_codes:
        at_site = SiteReport.objects.filter(
            Q(problem_id=OuterRef("pk")) | Q(problem__merged_into_id=OuterRef("pk")), site__code__in=site_codes
        )
        problems = problems.filter(Exists(at_site))
    if workflow_areas:
        problems = problems.filter(workflow_area__in=workflow_areas)
    if safety is not None:
        problems = problems.filter(safety_concern=safety)
    return problems.select_related("score").order_by(F("score__rank").asc(nulls_last=True), "created_at", "id")


def score_is_pending(problem: Problem, policy_version: int) -> bool:
    stored: ProblemScore | None = getattr(problem, "score", None)
    return stored is None or stored.inputs_version != problem.inputs_version or stored.policy_version < policy_version


@dataclass(frozen=True)
class OutcomeSummary:
    responses: int
    better_care: float | None
    less_frustrated: float | None
    more_confident: float | None
    realized_provider_hours_per_week: float | None
    estimate_accuracy: float | None


@dataclass(frozen=True)
class ProblemDetail:
    problem: Problem
    score: ProblemScore | None
    score_pending: bool
    per_site: list  # scoring.engine.SiteBreakdown, computed from the current inputs
    site_reports: list[SiteReport]
    evidence: list[Evidence]
    outcomes: OutcomeSummary
    history: list[ScoreHistory]
    audit: list[TriageAudit]
    merged_problems: list[Problem]


def outcome_summary(problem: Problem, *, per_site, sites_by_code, estimate_hours: float | None) -> OutcomeSummary:
    answers = list(Outcome.objects.filter(problem=problem).select_related("site"))
    if not answers:
        return OutcomeSummary(0, None, None, None, None, None)
    p_by_site = {s.site: s.providers_affected_pct for s in per_site}
    from scoring.selectors import site_facts

    facts_by_id, _ = site_facts()
    facts = {f.code: f for f in facts_by_id.values()}
    realized = realized_provider_hours(
        [Answer(site=a.site.code, minutes_saved_per_shift=a.minutes_saved_per_shift) for a in answers],
        facts,
        p_by_site,
    )
    return OutcomeSummary(
        responses=len(answers),
        better_care=fmean(a.better_care for a in answers),
        less_frustrated=fmean(a.less_frustrated for a in answers),
        more_confident=fmean(a.more_confident for a in answers),
        realized_provider_hours_per_week=realized,
        estimate_accuracy=(realized / estimate_hours) if estimate_hours else None,
    )


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
        per_site=current.per_site,
        site_reports=reports,
        evidence=evidence,
        outcomes=outcome_summary(
            problem,
            per_site=current.per_site,
            sites_by_code=inputs.inputs.sites,
            estimate_hours=current.provider_hours_unweighted,
        ),
        history=list(ScoreHistory.objects.filter(problem=problem).order_by("at", "id")),
        audit=list(TriageAudit.objects.filter(problem=problem).select_related("actor").order_by("-at", "-id")),
        merged_problems=merged,
    )
