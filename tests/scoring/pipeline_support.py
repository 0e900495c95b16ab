"""Shared by the pipeline and worker tests: building problems through the services, and what a
fresh pure recompute says every stored score and rank should be."""

from __future__ import annotations

from intake.models import OPEN_STATUSES, Problem
from intake.services import ReportValues, problem_submit
from scoring.engine import score
from scoring.models import ProblemScore
from scoring.selectors import policy_as_engine, policy_current, score_inputs

# What a stored score must equal, field by field (scored_at aside: when it was computed).
COMPARED = [
    "priority",
    "value_hours_per_week",
    "provider_hours_per_week",
    "patient_hours_per_week",
    "cost_hours_per_week",
    "provider_hours_unweighted",
    "sites_affected",
    "sites",
    "breadth",
    "confidence",
    "effort_weeks",
    "effort_estimated",
    "policy_version",
    "inputs_version",
    "is_open",
    "rank",
]


def submit(author, site, title: str, *, m: float, f: float, **values) -> Problem:
    return problem_submit(
        author=author,
        site=site,
        title=title,
        statement=f"{title}. It happens several times a shift and costs every provider time.",
        workflow_area="charting",
        report=ReportValues(minutes_lost_per_occurrence=m, occurrences_per_shift=f, **values),
    )


def expected_scores() -> dict[int, dict]:
    """Every problem's score and rank as a fresh pure recompute from the database gives them."""
    policy = policy_as_engine(policy_current())
    rows = {}
    for item in score_inputs(Problem.objects.values_list("id", flat=True)):
        result = score(item.inputs, policy)
        rows[item.problem_id] = {
            "priority": result.priority,
            "value_hours_per_week": result.value_hours_per_week,
            "provider_hours_per_week": result.provider_hours_per_week,
            "patient_hours_per_week": result.patient_hours_per_week,
            "cost_hours_per_week": result.cost_hours_per_week,
            "provider_hours_unweighted": result.provider_hours_unweighted,
            "sites_affected": result.sites_affected,
            "sites": result.sites,
            "breadth": result.breadth,
            "confidence": result.confidence,
            "effort_weeks": result.effort_weeks,
            "effort_estimated": result.effort_estimated,
            "policy_version": result.policy_version,
            "inputs_version": item.inputs_version,
            "is_open": item.status in OPEN_STATUSES,
            "rank": None,
            "_order": (-result.priority, item.created_at, item.problem_id),
        }
    ranked = sorted((row["_order"], pid) for pid, row in rows.items() if row["is_open"])
    for place, (_, pid) in enumerate(ranked, start=1):
        rows[pid]["rank"] = place
    for row in rows.values():
        del row["_order"]
    return rows


def stored_scores() -> dict[int, dict]:
    return {
        row["problem_id"]: {k: row[k] for k in COMPARED} for row in ProblemScore.objects.values("problem_id", *COMPARED)
    }


def ranks_by_definition() -> dict[int, int | None]:
    """Rank = place among stored open scores by (priority desc, created_at asc, id asc); None when not open."""
    stored = list(ProblemScore.objects.values_list("problem_id", "priority", "created_at", "is_open"))
    ordered = sorted((-priority, created_at, pid) for pid, priority, created_at, is_open in stored if is_open)
    places = {pid: place for place, (_, _, pid) in enumerate(ordered, start=1)}
    return {pid: places.get(pid) for pid, *_ in stored}


def stored_ranks() -> dict[int, int | None]:
    return dict(ProblemScore.objects.values_list("problem_id", "rank"))
