"""The duplicates queue's pairs, found ahead of time (docs/similar.md).

Asking the similar search for every open problem's likely duplicates costs one search per problem
(milliseconds each: about a minute and a half at 10,000 problems, see docs/domain.md), far too slow
for a page. So pairs are found in the background, a batch at a time, and stored
(`DuplicatePair`); the queue page reads that table (backlog.selectors.duplicates).

A problem is due for a look when it is open and was never looked at, or its search entry (its
text, its sentence vector) or its triage fields (status, merge) changed since (`DuplicateScan`).
Looking at a problem replaces the pairs it belongs to by its own `PAIRS_PER_PROBLEM` best "likely
the same" ones; pairs that stopped being both open, or were dismissed, are left out when read.

Run by `duplicates_refresh_task` (Celery beat, on the `similar` queue beside the vectors), by
`manage.py duplicates_refresh`, and, without a broker (`make run`), by the queue page itself.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from intake.models import OPEN_STATUSES, Problem

from .models import DuplicateDismissal, DuplicatePair, DuplicateScan
from .selectors.duplicates import problem_duplicates

# A problem's best few: enough to pair it with every copy a backlog usually holds.
PAIRS_PER_PROBLEM = 3
# Problems looked at per run (a run of a full batch takes well under the task's time limit).
BATCH = 2000


def problems_due(*, limit: int = BATCH) -> list[int]:
    """Open problems whose duplicates were never looked for, or whose text or triage changed since."""
    scanned = Subquery(DuplicateScan.objects.filter(problem=OuterRef("pk")).values("scanned_at")[:1])
    due = (
        Problem.objects.filter(status__in=OPEN_STATUSES)
        .annotate(scanned=scanned)
        .filter(
            Q(scanned__isnull=True)
            | Q(scanned__lt=F("updated_at"))
            | Q(search_entry__isnull=False, scanned__lt=F("search_entry__updated_at"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(due[:limit])


def duplicate_pairs_refresh(*, limit: int = BATCH) -> int:
    """Look at up to `limit` due problems and store their likely pairs. Returns how many were looked at."""
    due = problems_due(limit=limit)
    if not due:
        return 0
    started = timezone.now()
    found: dict[tuple[int, int], tuple[float, list[str]]] = {}
    for problem_id in due:
        try:
            likes = problem_duplicates(problem_id, limit=PAIRS_PER_PROBLEM)
        except Problem.DoesNotExist:  # deleted meanwhile
            continue
        for like in likes:
            if not like.likely_same:
                continue
            pair = DuplicateDismissal.pair(problem_id, like.problem.pk)
            if pair not in found or found[pair][0] < like.similarity:
                found[pair] = (like.similarity, list(like.why))
    existing = set(Problem.objects.filter(pk__in=due).values_list("pk", flat=True))
    with transaction.atomic():
        DuplicatePair.objects.filter(Q(problem_low_id__in=due) | Q(problem_high_id__in=due)).delete()
        DuplicatePair.objects.bulk_create(
            [
                DuplicatePair(problem_low_id=low, problem_high_id=high, similarity=similarity, why=why)
                for (low, high), (similarity, why) in sorted(found.items())
            ],
            update_conflicts=True,
            unique_fields=["problem_low", "problem_high"],
            update_fields=["similarity", "why", "found_at"],
        )
        DuplicateScan.objects.bulk_create(
            [DuplicateScan(problem_id=pk, scanned_at=started) for pk in sorted(existing)],
            update_conflicts=True,
            unique_fields=["problem"],
            update_fields=["scanned_at"],
        )
    return len(due)


def duplicate_pairs_refresh_all() -> int:
    """Every due problem, batch after batch (the command; `make run` before serving)."""
    total = 0
    while looked := duplicate_pairs_refresh():
        total += looked
    return total
