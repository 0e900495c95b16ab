"""What delivery changed: outcome answers, realized against estimated provider hours (docs/scoring.md)."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from django.conf import settings
from django.db.models import QuerySet

from intake.models import DELIVERED_STATUSES, Problem, Site
from scoring.engine import Answer, Score, SiteFacts, realized_provider_hours, score
from scoring.selectors import policy_as_engine, policy_current, score_inputs, site_facts

from ..models import Outcome


@dataclass(frozen=True)
class OutcomeSummary:
    responses: int
    better_care: float | None
    less_frustrated: float | None
    more_confident: float | None
    # Held back (None) while too_early: one answer is not a measurement.
    realized_provider_hours_per_week: float | None
    estimate_accuracy: float | None
    sites_answered: int = 0  # sites with at least one answer …
    sites_affected: int = 0  # … of the sites the problem's score counts
    min_responses: int = 0  # settings.OUTCOME_MIN_RESPONSES when summarised

    @property
    def too_early(self) -> bool:
        """Fewer answers than OUTCOME_MIN_RESPONSES: realized hours and accuracy are not shown yet."""
        return self.responses < self.min_responses


def _min_responses() -> int:
    return settings.OUTCOME_MIN_RESPONSES


def _summary(answers: list[Outcome], *, current: Score, sites: dict[str, SiteFacts]) -> OutcomeSummary:
    """The survey means, and realized hours against the estimate without the after-hours weighting
    (so that both sides count plain hours), with their coverage; the hours are held back until
    OUTCOME_MIN_RESPONSES answers have come in."""
    coverage = {
        "sites_answered": len({a.site_id for a in answers}),
        "sites_affected": current.sites_affected,
        "min_responses": _min_responses(),
    }
    if not answers:
        return OutcomeSummary(0, None, None, None, None, None, **coverage)
    realized = realized_provider_hours(
        [Answer(site=a.site.code, minutes_saved_per_shift=a.minutes_saved_per_shift) for a in answers],
        sites,
        {s.site: s.providers_affected_pct for s in current.per_site},
    )
    estimate = current.provider_hours_unweighted
    measured = len(answers) >= coverage["min_responses"]
    return OutcomeSummary(
        responses=len(answers),
        better_care=fmean(a.better_care for a in answers),
        less_frustrated=fmean(a.less_frustrated for a in answers),
        more_confident=fmean(a.more_confident for a in answers),
        realized_provider_hours_per_week=realized if measured else None,
        estimate_accuracy=(realized / estimate) if estimate and measured else None,
        **coverage,
    )


def _sites_by_code() -> dict[str, SiteFacts]:
    facts_by_id, _ = site_facts()
    return {facts.code: facts for facts in facts_by_id.values()}


def outcome_summary(problem: Problem, *, current: Score) -> OutcomeSummary:
    """One problem's outcome summary; `current` is its score from the current inputs."""
    answers = list(Outcome.objects.filter(problem=problem).select_related("site").order_by("id"))
    return _summary(answers, current=current, sites=_sites_by_code() if answers else {})


def delivered_problems() -> QuerySet[Problem]:
    """Delivered and measured problems, most recently changed first."""
    return Problem.objects.filter(status__in=DELIVERED_STATUSES).select_related("score").order_by("-updated_at", "-id")


@dataclass(frozen=True)
class DeliveredOutcome:
    problem: Problem
    summary: OutcomeSummary
    # The estimate without the after-hours weighting, so that it compares with realized plain hours.
    estimated_provider_hours_per_week: float

    def _bar_pct(self, hours: float | None) -> float:
        longest = max(self.summary.realized_provider_hours_per_week or 0.0, self.estimated_provider_hours_per_week)
        return round(100 * (hours or 0.0) / longest, 1) if longest > 0 else 0.0

    @property
    def realized_pct(self) -> float:
        """Bar widths (%) for realized vs estimated hours, scaled to the longer of the two."""
        return self._bar_pct(self.summary.realized_provider_hours_per_week)

    @property
    def estimated_pct(self) -> float:
        return self._bar_pct(self.estimated_provider_hours_per_week)


def outcome_summaries(problems: list[Problem]) -> list[DeliveredOutcome]:
    """outcome_summary for many problems in a fixed number of queries (the outcomes page)."""
    if not problems:
        return []
    ids = [p.pk for p in problems]
    sites = site_facts()
    by_code = {facts.code: facts for facts in sites[0].values()}
    policy = policy_as_engine(policy_current())
    estimates = {item.problem_id: score(item.inputs, policy) for item in score_inputs(ids, sites=sites)}
    answers: dict[int, list[Outcome]] = {}
    for answer in Outcome.objects.filter(problem_id__in=ids).select_related("site").order_by("id"):
        answers.setdefault(answer.problem_id, []).append(answer)
    return [
        DeliveredOutcome(
            problem=problem,
            summary=_summary(answers.get(problem.pk, []), current=estimates[problem.pk], sites=by_code),
            estimated_provider_hours_per_week=estimates[problem.pk].provider_hours_unweighted,
        )
        for problem in problems
    ]


def outcome_of(*, problem_id: int, respondent, site: Site | None) -> Outcome | None:
    """The respondent's answer for the problem: the one for `site` (their home) if any, else their latest."""
    answers = Outcome.objects.filter(problem_id=problem_id, respondent=respondent).select_related("site")
    mine = list(answers.order_by("-updated_at", "-id"))
    return next((a for a in mine if a.site == site), mine[0] if mine else None)
