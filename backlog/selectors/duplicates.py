"""Which open problems are likely the same (product.md §11): for one problem, and pairs for the queue.

The similarity itself is the similar search's (`intake.similar.selectors.problems_like`); this
module adds what the backlog knows: pairs a product manager said are not duplicates.
"""

from __future__ import annotations

from django.db.models import Q

from intake.similar.selectors import Similar, problems_like

from ..models import DuplicateDismissal

# A problem's duplicates: enough to choose from, few enough to read.
DUPLICATES_LIMIT = 10


def dismissed_with(problem_id: int) -> set[int]:
    """The problems a product manager said are not the same as `problem_id`."""
    pairs = DuplicateDismissal.objects.filter(Q(problem_low_id=problem_id) | Q(problem_high_id=problem_id))
    return {low if high == problem_id else high for low, high in pairs.values_list("problem_low_id", "problem_high_id")}


def problem_duplicates(problem_id: int, *, limit: int = DUPLICATES_LIMIT) -> list[Similar]:
    """The open problems most likely the same as `problem_id`, best first, dismissed pairs left out.

    Raises Problem.DoesNotExist for an unknown id.
    """
    return problems_like(problem_id, limit=limit, exclude=dismissed_with(problem_id))
