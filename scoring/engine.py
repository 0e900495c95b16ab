"""The scoring rules of docs/scoring.md as a pure function: plain data in, plain data out.

No ORM and no settings in here, so every rule is tested without a database. Inputs are put
into a canonical order before any arithmetic, so the same data always gives identical floats.
What evidence does is read from intake's table of kinds (intake.evidence_kinds: the site-report
number a kind overrides, how its values at a site count, the total it adds to, whether it is
measured); nothing here names a kind.

A score is worked out in two steps:

- `parts(inputs)`: everything that does not depend on the policy's weights (hours, costs, sites,
  confidence, the effort estimate). These are stored with each score (scoring.models.ProblemScore);
- `combine(parts, policy)`: the weighted result (provider hours, value, breadth, effort, priority).

`combine` is written once, over plain arithmetic; scoring.reweigh evaluates the same function
over SQL columns, so that a policy change re-weighs every stored score in one UPDATE and gets
exactly the floats a full recompute gets.

The policy's weights, with their defaults, ranges and help texts, are `Policy`'s fields:
`POLICY_WEIGHTS` lists them for the model, form, serializer and pages that show or take them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from statistics import median
from typing import Any

from intake.evidence_kinds import KINDS, Aggregate, EvidenceKind, KindRule
from intake.numbers import EFFORT_WEEKS, REPORT_DEFAULTS, REPORT_NUMBER_NAMES, Range

# Names of kinds, for those who build Facts by hand (the tests); the engine itself reads KINDS.
TIME_STUDY = EvidenceKind.TIME_STUDY.value
EHR_METRIC = EvidenceKind.EHR_METRIC.value
COST_REPORT = EvidenceKind.COST_REPORT.value


# --- the policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyWeight:
    """One weight of the policy: what the model, form, serializer and pages need to know of it."""

    name: str
    default: float
    label: str  # the form's label and the policy page's row heading
    column: str  # the versions table's column heading
    range: Range
    help: str  # the form's help
    api_help: str  # the API schema's description
    step: str  # the form input's step
    too_low: str = ""  # the form's message at or below a range's open lower bound
    # A weight added after the first version of the API: a change that leaves it out keeps it as
    # it is (clients written before it existed never reset it).
    optional: bool = False


def _weight(default: float, **rules: Any) -> Any:
    return field(default=default, metadata={"weight": rules})


@dataclass(frozen=True)
class Policy:
    version: int = 1
    after_hours_weight: float = _weight(
        0.5,
        label="After-hours weight",
        column="After-hours",
        range=Range(0, 10),
        help="Extra weight on provider minutes made up after hours: 0.5 counts them 1.5 times.",
        api_help="Weight of after-hours time, 0–10 (default 0.5).",
        step="0.05",
    )
    patient_weight: float = _weight(
        0.25,
        label="Patient weight",
        column="Patient",
        range=Range(0, 10),
        help="How much an hour of patient waiting counts against an hour of provider time.",
        api_help="Weight of patient waiting hours, 0–10 (default 0.25).",
        step="0.05",
    )
    breadth_weight: float = _weight(
        1.0,
        label="Breadth weight",
        column="Breadth",
        range=Range(0, 10),
        help="How much a problem shared by every active site outranks one at a single site (1 doubles it).",
        api_help="Weight of the number of sites affected, 0–10 (default 1.0).",
        step="0.05",
    )
    default_effort_weeks: float = _weight(
        2.0,
        label="Default effort (weeks)",
        column="Default effort",
        range=EFFORT_WEEKS,
        help="The IT effort assumed for a problem until someone estimates it.",
        api_help="Effort assumed when IT has not estimated one, weeks (0 < e ≤ 520).",
        step="0.5",
        too_low="Effort must be more than 0 weeks.",
    )
    revenue_weight: float = _weight(
        0.0,
        label="Revenue weight",
        column="Revenue",
        range=Range(0, 1),
        help="Hours of value per unit of money a week: 0.01 counts 100 a week of lost revenue as one hour. "
        "0 leaves revenue out of the ranking.",
        api_help="Hours of value per unit of money a week, 0–1 (default 0: revenue does not count).",
        step="any",
        optional=True,
    )


POLICY_WEIGHTS: tuple[PolicyWeight, ...] = tuple(
    PolicyWeight(name=f.name, default=f.default, **f.metadata["weight"])
    for f in fields(Policy)
    if "weight" in f.metadata
)


# --- inputs ----------------------------------------------------------------------------------


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
    providers_affected_pct: float = REPORT_DEFAULTS["providers_affected_pct"]
    after_hours_pct: float = REPORT_DEFAULTS["after_hours_pct"]
    patient_wait_minutes: float = REPORT_DEFAULTS["patient_wait_minutes"]
    visits_affected_pct: float = REPORT_DEFAULTS["visits_affected_pct"]


@dataclass(frozen=True)
class Fact:
    """A piece of evidence; `order` breaks ties between equal timestamps (the row id)."""

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


# --- outputs ---------------------------------------------------------------------------------


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

    @property
    def numbers(self) -> list[float]:
        """The six numbers used at the site (measured or reported), in intake.numbers' order."""
        return [
            self.minutes_per_occurrence,
            self.occurrences_per_shift,
            self.providers_affected_pct,
            self.after_hours_pct,
            self.patient_wait_minutes,
            self.visits_affected_pct,
        ]


@dataclass(frozen=True)
class Parts:
    """The weight-independent parts of a score: stored with it, so a policy change re-weighs them."""

    provider_hours_unweighted: float  # Σ provider minutes / 60
    after_hours_hours_per_week: float  # the after-hours share of those hours, which after_hours_weight weighs
    patient_hours_per_week: float
    cost_hours_per_week: float
    revenue_per_week: float
    sites_affected: int
    active_sites: int  # S of §4 when the score was computed
    confidence: float
    effort_estimate: float | None  # IT's estimate; None: the policy's default counts


@dataclass(frozen=True)
class Weighed:
    """What the policy's weights make of the parts."""

    provider_hours_per_week: float
    value_hours_per_week: float
    breadth: float
    effort_weeks: float
    priority: float


@dataclass(frozen=True)
class Score:
    priority: float
    value_hours_per_week: float
    provider_hours_per_week: float
    patient_hours_per_week: float
    cost_hours_per_week: float
    revenue_per_week: float
    provider_hours_unweighted: float
    after_hours_hours_per_week: float
    sites_affected: int
    active_sites: int
    sites: list[str]
    breadth: float
    confidence: float
    effort_weeks: float
    effort_estimated: bool
    policy_version: int
    per_site: list[SiteBreakdown]
    totals_by_site: dict[str, dict[str, float]]  # per total (e.g. cost_hours_per_week): the value per site


# --- the rules -------------------------------------------------------------------------------

# The kind that replaces each site-report number at a site, and the kinds that feed each total.
OVERRIDDEN_BY: dict[str, KindRule] = {rule.overrides: rule for rule in KINDS.values() if rule.overrides}
TOTALS: dict[str, KindRule] = {rule.total: rule for rule in KINDS.values() if rule.total}
MEASURED_KINDS = frozenset(kind for kind, rule in KINDS.items() if rule.measured)


def _weighted_mean(facts: list[Fact]) -> float:
    total = sum(f.sample_size or 1 for f in facts)
    return sum(f.value * (f.sample_size or 1) for f in facts) / total


def _at_site(rule: KindRule, facts: list[Fact], code: str) -> float | None:
    """What a kind's evidence says at site `code` (facts in time order), or None: the reports count.
    Evidence at the site counts first; evidence without a site counts for every site without any."""
    chosen = [f for f in facts if f.site == code] or [f for f in facts if f.site is None]
    if not chosen:
        return None
    return _weighted_mean(chosen) if rule.aggregate == Aggregate.WEIGHTED_MEAN else chosen[-1].value


def _first_present(value: float | None, otherwise: float) -> float:
    return otherwise if value is None else value


def combine(
    parts: Parts,
    policy: Policy,
    *,
    greatest: Callable[[Any, Any], Any] = max,
    first_present: Callable[[Any, Any], Any] = _first_present,
) -> Weighed:
    """The weighted score from its parts (docs/scoring.md). scoring.reweigh runs this very function
    over SQL columns (with SQL's GREATEST and COALESCE), so write it as plain arithmetic only."""
    provider_hours = parts.provider_hours_unweighted + policy.after_hours_weight * parts.after_hours_hours_per_week
    value_hours = (
        provider_hours
        + policy.patient_weight * parts.patient_hours_per_week
        + policy.revenue_weight * parts.revenue_per_week
        - parts.cost_hours_per_week
    )
    breadth = 1 + policy.breadth_weight * greatest(parts.sites_affected - 1, 0) / greatest(parts.active_sites - 1, 1)
    effort_weeks = first_present(parts.effort_estimate, policy.default_effort_weeks)
    priority = greatest(value_hours, 0.0) * breadth * parts.confidence / effort_weeks
    return Weighed(
        provider_hours_per_week=provider_hours,
        value_hours_per_week=value_hours,
        breadth=breadth,
        effort_weeks=effort_weeks,
        priority=priority,
    )


def score(inputs: Inputs, policy: Policy) -> Score:
    evidence = sorted(inputs.evidence, key=lambda f: (f.created_at, f.order))
    facts_by_kind: dict[str, list[Fact]] = {}
    for fact in evidence:
        facts_by_kind.setdefault(fact.kind, []).append(fact)

    reports_by_site: dict[str, list[Report]] = {}
    for report in inputs.reports:
        reports_by_site.setdefault(report.site, []).append(report)

    per_site: list[SiteBreakdown] = []
    for code in sorted(reports_by_site):
        reports = reports_by_site[code]
        site = inputs.sites[code]
        used: dict[str, float] = {}
        for name in REPORT_NUMBER_NAMES:
            rule = OVERRIDDEN_BY.get(name)
            measured = _at_site(rule, facts_by_kind.get(rule.kind, []), code) if rule else None
            used[name] = median(sorted(getattr(r, name) for r in reports)) if measured is None else measured
        minutes, occurrences = used["minutes_lost_per_occurrence"], used["occurrences_per_shift"]
        providers_pct, after_hours_pct = used["providers_affected_pct"], used["after_hours_pct"]
        wait, visits_pct = used["patient_wait_minutes"], used["visits_affected_pct"]

        provider_minutes = site.providers * providers_pct / 100 * occurrences * site.shifts_per_week * minutes
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
                weighted_minutes=provider_minutes * (1 + policy.after_hours_weight * after_hours_pct / 100),
                patient_minutes=site.visits_per_week * visits_pct / 100 * wait,
            )
        )

    # Each total: the latest value per site (evidence is in time order, so the last one wins), summed.
    totals_by_site: dict[str, dict[str, float]] = {}
    for total, rule in TOTALS.items():
        latest = {f.site: f.value for f in facts_by_kind.get(rule.kind, []) if f.site is not None}
        totals_by_site[total] = {code: latest[code] for code in sorted(latest)}

    sites_affected = len(per_site)
    measured = 1 if any(kind in MEASURED_KINDS for kind in facts_by_kind) else 0
    parts = Parts(
        provider_hours_unweighted=sum(s.provider_minutes for s in per_site) / 60,
        after_hours_hours_per_week=sum(s.provider_minutes * s.after_hours_pct / 100 for s in per_site) / 60,
        patient_hours_per_week=sum(s.patient_minutes for s in per_site) / 60,
        cost_hours_per_week=sum(totals_by_site["cost_hours_per_week"].values()),
        revenue_per_week=sum(totals_by_site["revenue_per_week"].values()),
        sites_affected=sites_affected,
        active_sites=inputs.active_sites,
        confidence=min(1.0, 0.5 + 0.1 * min(max(sites_affected - 1, 0), 3) + 0.2 * measured),
        effort_estimate=inputs.effort_weeks,
    )
    weighed = combine(parts, policy)
    return Score(
        priority=weighed.priority,
        value_hours_per_week=weighed.value_hours_per_week,
        provider_hours_per_week=weighed.provider_hours_per_week,
        patient_hours_per_week=parts.patient_hours_per_week,
        cost_hours_per_week=parts.cost_hours_per_week,
        revenue_per_week=parts.revenue_per_week,
        provider_hours_unweighted=parts.provider_hours_unweighted,
        after_hours_hours_per_week=parts.after_hours_hours_per_week,
        sites_affected=sites_affected,
        active_sites=parts.active_sites,
        sites=[s.site for s in per_site],
        breadth=weighed.breadth,
        confidence=parts.confidence,
        effort_weeks=weighed.effort_weeks,
        effort_estimated=parts.effort_estimate is not None,
        policy_version=policy.version,
        per_site=per_site,
        totals_by_site=totals_by_site,
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
