"""The roadmap: what is planned, in progress and delivered, and what fits this quarter's capacity.

The cut line is the backlog's (listing.backlog_fitting_count: a running sum of effort in rank
order); here the work in progress takes its share of the quarter first, and the planned problems,
by rank, fill what is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from intake.models import DELIVERED_STATUSES, Problem, Status
from scoring.models import ScoringPolicy

from .listing import backlog_fitting_count, backlog_page_rows

DELIVERED_SHOWN = 20


@dataclass(frozen=True)
class Roadmap:
    capacity_weeks: float
    in_progress: list[Problem]
    in_progress_weeks: float
    planned: list[Problem]
    planned_weeks: float
    planned_fitting: int  # the first this many planned problems fit what is left of the quarter
    delivered: list[Problem]  # the latest DELIVERED_SHOWN
    delivered_total: int

    @property
    def weeks_left(self) -> float:
        return max(self.capacity_weeks - self.in_progress_weeks, 0.0)


def roadmap(*, policy: ScoringPolicy, capacity_weeks: float) -> Roadmap:
    """A fixed number of queries, whatever the number of problems."""
    in_progress = backlog_page_rows(policy=policy, statuses=[Status.IN_PROGRESS])
    planned = backlog_page_rows(policy=policy, statuses=[Status.PLANNED])
    in_progress_weeks = in_progress.aggregate(weeks=Sum("effort_used"))["weeks"] or 0.0
    delivered = Problem.objects.filter(status__in=DELIVERED_STATUSES).select_related("score")
    left = max(capacity_weeks - in_progress_weeks, 0.0)
    return Roadmap(
        capacity_weeks=capacity_weeks,
        in_progress=list(in_progress),
        in_progress_weeks=in_progress_weeks,
        planned=list(planned),
        planned_weeks=planned.aggregate(weeks=Sum("effort_used"))["weeks"] or 0.0,
        planned_fitting=backlog_fitting_count(planned, capacity_weeks=left),
        delivered=list(delivered.order_by("-updated_at", "-id")[:DELIVERED_SHOWN]),
        delivered_total=delivered.count(),
    )
