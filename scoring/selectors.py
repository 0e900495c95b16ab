"""Reads for scoring: the plain-data inputs of the pure score function, loaded in batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q

from intake.models import Evidence, EvidenceKind, Problem, Site, SiteReport

from .engine import Fact, Inputs, Policy, Report, SiteFacts
from .models import ScoringPolicy

SCORED_KINDS = (EvidenceKind.TIME_STUDY, EvidenceKind.EHR_METRIC, EvidenceKind.COST_REPORT)


@dataclass(frozen=True)
class ProblemInputs:
    problem_id: int
    inputs_version: int
    status: str
    created_at: datetime
    inputs: Inputs


def policy_current() -> ScoringPolicy:
    policy = ScoringPolicy.objects.order_by("-version").first()
    if policy is None:  # the data migration creates version 1; this only guards a wiped table
        policy = ScoringPolicy.objects.create(version=1)
    return policy


def policy_as_engine(policy: ScoringPolicy) -> Policy:
    return Policy(
        version=policy.version,
        after_hours_weight=policy.after_hours_weight,
        patient_weight=policy.patient_weight,
        breadth_weight=policy.breadth_weight,
        default_effort_weeks=policy.default_effort_weeks,
    )


def site_facts() -> tuple[dict[int, SiteFacts], int]:
    """All sites by id, and the number of active sites (S of §4)."""
    facts, active = {}, 0
    for site in Site.objects.only("id", "code", "providers", "shifts_per_week", "visits_per_week", "active"):
        facts[site.id] = SiteFacts(
            code=site.code,
            providers=site.providers,
            shifts_per_week=site.shifts_per_week,
            visits_per_week=site.visits_per_week,
        )
        active += site.active
    return facts, active


def score_inputs(
    problem_ids: list[int], *, sites: tuple[dict[int, SiteFacts], int] | None = None
) -> list[ProblemInputs]:
    """Inputs for each problem, with the site reports and evidence of problems merged into it.

    The problems' inputs_version is read first: any change committed before that read is
    visible to the reads that follow, so a score is never stored as fresh with older data.
    """
    facts_by_id, active_sites = sites or site_facts()
    problems = list(
        Problem.objects.filter(id__in=problem_ids)
        .order_by("id")
        .values_list("id", "inputs_version", "status", "created_at", "effort_weeks")
    )
    root_of = {pid: pid for pid, *_ in problems}
    for source_id, target_id in Problem.objects.filter(merged_into__in=list(root_of)).values_list("id", "merged_into"):
        root_of[source_id] = target_id

    # Per root and (site, reporter), the latest report wins (merges can bring two).
    latest_reports: dict[int, dict[tuple[int, int], tuple]] = {}
    for row in (
        SiteReport.objects.filter(problem_id__in=list(root_of))
        .order_by("updated_at", "id")
        .values_list(
            "problem_id",
            "site_id",
            "reporter_id",
            "minutes_lost_per_occurrence",
            "occurrences_per_shift",
            "providers_affected_pct",
            "after_hours_pct",
            "patient_wait_minutes",
            "visits_affected_pct",
        )
    ):
        latest_reports.setdefault(root_of[row[0]], {})[(row[1], row[2])] = row

    evidence: dict[int, list[Fact]] = {}
    for problem_id, kind, site_id, value, sample_size, created_at, row_id in (
        Evidence.objects.filter(Q(problem_id__in=list(root_of)) & Q(kind__in=SCORED_KINDS))
        .order_by("created_at", "id")
        .values_list("problem_id", "kind", "site_id", "value", "sample_size", "created_at", "id")
    ):
        evidence.setdefault(root_of[problem_id], []).append(
            Fact(
                kind=kind,
                value=value,
                created_at=created_at,
                order=row_id,
                site=facts_by_id[site_id].code if site_id else None,
                sample_size=sample_size,
            )
        )

    result = []
    for pid, inputs_version, status, created_at, effort_weeks in problems:
        rows = latest_reports.get(pid, {})
        reports = [
            Report(
                site=facts_by_id[site_id].code,
                minutes_lost_per_occurrence=m,
                occurrences_per_shift=f,
                providers_affected_pct=p,
                after_hours_pct=a,
                patient_wait_minutes=w,
                visits_affected_pct=v,
            )
            for (_, site_id, _, m, f, p, a, w, v) in rows.values()
        ]
        used_sites = {r.site for r in reports} | {f.site for f in evidence.get(pid, []) if f.site}
        result.append(
            ProblemInputs(
                problem_id=pid,
                inputs_version=inputs_version,
                status=status,
                created_at=created_at,
                inputs=Inputs(
                    sites={facts.code: facts for facts in facts_by_id.values() if facts.code in used_sites},
                    reports=reports,
                    evidence=evidence.get(pid, []),
                    active_sites=active_sites,
                    effort_weeks=effort_weeks,
                ),
            )
        )
    return result


def stale_problem_ids(*, limit: int | None = None) -> list[int]:
    """Problems whose stored score is missing or older than their inputs or the policy in force."""
    version = policy_current().version
    stale = (
        Problem.objects.filter(
            Q(score__isnull=True) | Q(score__policy_version__lt=version) | ~Q(score__inputs_version=F("inputs_version"))
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    return list(stale[:limit] if limit else stale)
