"""The scoring rules of product.md §4 as a pure function: plain data in, plain data out.

No ORM and no settings in here, so every rule is tested without a database. Inputs are put
into a canonical order before any arithmetic, so the same data always gives identical floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

TIME_STUDY = "time_study"
EHR_METRIC = "ehr_metric"
COST_REPORT = "cost_report"


@dataclass(frozen=True)
class Policy:
    version: int = 1
    after_hours_weight: float = 0.5
    patient_weight: float = 0.25
    breadth_weight: float = 1.0
    default_effort_weeks: float = 2.0


@dataclass(frozen=True)
class SiteFacts:
    code: str
    providers: int
    shifts_per_week: float
    visits_per_week: int


@dataclass(frozen=True)
class Report:
    """A site report after de-duplication: at most one per (site, reporter)."""

    site: str
    minutes_lost_per_occurrence: float
    occurrences_per_shift: float
    providers_affected_pct: float = 100.0
    after_hours_pct: float = 0.0
    patient_wait_minutes: float = 0.0
    visits_affected_pct: float = 0.0


@dataclass(frozen=True)
class Fact:
    """A scored piece of evidence; `order` breaks ties between equal timestamps (the row id)."""

    kind: str
    value: float
    created_at: datetime
    order: int
    site: str | None = None
    sample_size: int | None = None


@dataclass(frozen=True)
class Inputs:
    sites: dict[str, SiteFacts]
    reports: list[Report]
    evidence: list[Fact] = field(default_factory=list)
    active_sites: int = 1
    effort_weeks: float | None = None


@dataclass(frozen=True)
class SiteBreakdown:
    site: str
    minutes_per_occurrence: float
    occurrences_per_shift: float
    providers_affected_pct: float
    after_hours_pct: float
    patient_wait_minutes: float
    visits_affected_pct: float
    provider_minutes: float
    weighted_minutes: float
    patient_minutes: float


@dataclass(frozen=True)
class Score:
    priority: float
    value_hours_per_week: float
    provider_hours_per_week: float
    patient_hours_per_week: float
    cost_hours_per_week: float
    provider_hours_unweighted: float
    sites_affected: int
    sites: list[str]
    breadth: float
    confidence: float
    effort_weeks: float
    effort_estimated: bool
    policy_version: int
    per_site: list[SiteBreakdown]


def _weighted_mean(facts: list[Fact]) -> float:
    total = sum(f.sample_size or 1 for f in facts)
    return sum(f.value * (f.sample_size or 1) for f in facts) / total


def _latest(facts: list[Fact]) -> Fact:
    return max(facts, key=lambda f: (f.created_at, f.order))


def score(inputs: Inputs, policy: Policy) -> Score:
    evidence = sorted(inputs.evidence, key=lambda f: (f.created_at, f.order))
    studies = [f for f in evidence if f.kind == TIME_STUDY]
    network_studies = [f for f in studies if f.site is None]
    metrics = [f for f in evidence if f.kind == EHR_METRIC]

    reports_by_site: dict[str, list[Report]] = {}
    for report in inputs.reports:
        reports_by_site.setdefault(report.site, []).append(report)

    per_site: list[SiteBreakdown] = []
    for code in sorted(reports_by_site):
        reports = reports_by_site[code]
        site = inputs.sites[code]
        site_studies = [f for f in studies if f.site == code]
        if site_studies:
            minutes = _weighted_mean(site_studies)
        elif network_studies:
            minutes = _weighted_mean(network_studies)
        else:
            minutes = median(sorted(r.minutes_lost_per_occurrence for r in reports))
        site_metrics = [f for f in metrics if f.site == code]
        if site_metrics:
            occurrences = _latest(site_metrics).value
        else:
            occurrences = median(sorted(r.occurrences_per_shift for r in reports))
        providers_pct = median(sorted(r.providers_affected_pct for r in reports))
        after_hours_pct = median(sorted(r.after_hours_pct for r in reports))
        wait = median(sorted(r.patient_wait_minutes for r in reports))
        visits_pct = median(sorted(r.visits_affected_pct for r in reports))

        provider_minutes = site.providers * providers_pct / 100 * occurrences * site.shifts_per_week * minutes
        weighted_minutes = provider_minutes * (1 + policy.after_hours_weight * after_hours_pct / 100)
        patient_minutes = site.visits_per_week * visits_pct / 100 * wait
        per_site.append(
            SiteBreakdown(
                site=code,
                minutes_per_occurrence=minutes,
                occurrences_per_shift=occurrences,
                providers_affected_pct=providers_pct,
                after_hours_pct=after_hours_pct,
                patient_wait_minutes=wait,
                visits_affected_pct=visits_pct,
                provider_minutes=provider_minutes,
                weighted_minutes=weighted_minutes,
                patient_minutes=patient_minutes,
            )
        )

    latest_cost: dict[str, Fact] = {}
    for fact in evidence:
        if fact.kind == COST_REPORT and fact.site is not None:
            latest_cost[fact.site] = fact  # evidence is in time order, so the last one wins
    cost_hours = sum(latest_cost[code].value for code in sorted(latest_cost))

    provider_hours = sum(s.weighted_minutes for s in per_site) / 60
    provider_hours_unweighted = sum(s.provider_minutes for s in per_site) / 60
    patient_hours = sum(s.patient_minutes for s in per_site) / 60
    value_hours = provider_hours + policy.patient_weight * patient_hours - cost_hours

    sites_affected = len(per_site)
    breadth = 1 + policy.breadth_weight * max(sites_affected - 1, 0) / max(inputs.active_sites - 1, 1)
    measured = 1 if (studies or metrics) else 0
    confidence = min(1.0, 0.5 + 0.1 * min(max(sites_affected - 1, 0), 3) + 0.2 * measured)
    if inputs.effort_weeks is not None:
        effort_weeks, effort_estimated = inputs.effort_weeks, True
    else:
        effort_weeks, effort_estimated = policy.default_effort_weeks, False
    priority = max(value_hours, 0.0) * breadth * confidence / effort_weeks

    return Score(
        priority=priority,
        value_hours_per_week=value_hours,
        provider_hours_per_week=provider_hours,
        patient_hours_per_week=patient_hours,
        cost_hours_per_week=cost_hours,
        provider_hours_unweighted=provider_hours_unweighted,
        sites_affected=sites_affected,
        sites=[s.site for s in per_site],
        breadth=breadth,
        confidence=confidence,
        effort_weeks=effort_weeks,
        effort_estimated=effort_estimated,
        policy_version=policy.version,
        per_site=per_site,
    )


@dataclass(frozen=True)
class Answer:
    site: str
    minutes_saved_per_shift: float


def realized_provider_hours(
    answers: list[Answer], sites: dict[str, SiteFacts], providers_affected_pct: dict[str, float]
) -> float:
    """§4 realized value: Σ_s providers × p_s/100 × shifts × median(minutes saved at s) / 60."""
    by_site: dict[str, list[float]] = {}
    for answer in answers:
        by_site.setdefault(answer.site, []).append(answer.minutes_saved_per_shift)
    total = 0.0
    for code in sorted(by_site):
        site = sites[code]
        p = providers_affected_pct.get(code, 100.0)
        total += site.providers * p / 100 * site.shifts_per_week * median(sorted(by_site[code]))
    return total / 60
