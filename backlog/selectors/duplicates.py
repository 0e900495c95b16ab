"""Which open problems are likely the same (docs/similar.md): for one problem, and pairs for the queue.

The similarity itself is the similar search's (`intake.similar.selectors.problems_like`); this
module adds what the backlog knows: pairs a product manager said are not duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from intake.audit.models import AuditAction, AuditEvent
from intake.models import OPEN_STATUSES, Evidence, Problem, SiteReport, Status
from intake.selectors import problem_site_codes
from intake.similar.selectors import Similar, problems_like

from ..models import DuplicateDismissal, DuplicatePair

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


# Not shown in the queue: left in the database.
LONG_TEXTS = ("statement", "proposed_solution", "safety_details", "decline_reason")


@dataclass(frozen=True)
class QueuedPair:
    pair: DuplicatePair
    low: Problem
    high: Problem
    low_sites: tuple[str, ...]
    high_sites: tuple[str, ...]

    @property
    def sides(self) -> tuple[tuple[Problem, tuple[str, ...]], ...]:
        return ((self.low, self.low_sites), (self.high, self.high_sites))

    @property
    def merge_url(self) -> str:
        """The newer problem is offered to be merged into the older one (the merge page confirms it)."""
        return f"{reverse('problem-merge', args=[self.high.pk])}?into={self.low.pk}"


def duplicate_queue() -> QuerySet[DuplicatePair]:
    """The duplicates queue: stored likely pairs of two open problems not dismissed, best first."""
    dismissed = DuplicateDismissal.objects.filter(
        problem_low_id=OuterRef("problem_low_id"), problem_high_id=OuterRef("problem_high_id")
    )
    return (
        DuplicatePair.objects.filter(problem_low__status__in=OPEN_STATUSES, problem_high__status__in=OPEN_STATUSES)
        .exclude(Exists(dismissed))
        .select_related("problem_low", "problem_high")
        .defer(*(f"{side}__{name}" for side in ("problem_low", "problem_high") for name in LONG_TEXTS))
        .order_by("-similarity", "problem_low_id", "problem_high_id")
    )


def queued_pairs(pairs: list[DuplicatePair]) -> list[QueuedPair]:
    """One page of the queue with the sites affected by each problem (one more query)."""
    sites = problem_site_codes(sorted({pk for p in pairs for pk in (p.problem_low_id, p.problem_high_id)}))
    return [
        QueuedPair(
            pair=p,
            low=p.problem_low,
            high=p.problem_high,
            low_sites=sites[p.problem_low_id],
            high_sites=sites[p.problem_high_id],
        )
        for p in pairs
    ]


@dataclass(frozen=True)
class MergePreview:
    """What merging `source` into `target` would do, for the confirmation step."""

    source: Problem
    target: Problem
    source_sites: tuple[str, ...]
    target_sites: tuple[str, ...]
    site_reports: int  # the source's own and its merged-in problems' reports, which will count for the target
    evidence: int
    moved_along: list[Problem]  # problems merged into the source, which will count for the target too


def merge_preview(source_id: int, target_id: int) -> MergePreview:
    """Raises Problem.DoesNotExist if either problem does not exist."""
    found = Problem.objects.select_related("merged_into").in_bulk([source_id, target_id])
    if source_id not in found or target_id not in found:
        raise Problem.DoesNotExist(target_id if source_id in found else source_id)
    moved = list(Problem.objects.filter(merged_into_id=source_id).order_by("id").only("id", "title"))
    counted = [source_id, *(p.pk for p in moved)]
    sites = problem_site_codes([source_id, target_id])
    return MergePreview(
        source=found[source_id],
        target=found[target_id],
        source_sites=sites[source_id],
        target_sites=sites[target_id],
        site_reports=SiteReport.objects.filter(problem_id__in=counted).count(),
        evidence=Evidence.objects.filter(problem_id__in=counted).count(),
        moved_along=moved,
    )


@dataclass(frozen=True)
class MergeRecord:
    """What undoing a problem's merge restores, from the merge's audit row."""

    status_before: str  # the status the problem had before it was merged
    moved_ids: list[int]  # problems merged into it earlier that the merge moved along to the target


def merge_record(problem_id: int) -> MergeRecord:
    """The latest merge of `problem_id` as its audit remembers it (a merge without one goes back to new)."""
    merge = AuditEvent.objects.filter(problem_id=problem_id, action=AuditAction.MERGE).order_by("-at", "-id").first()
    status = merge.before.get("status") if merge is not None else None
    if status not in Status.values or status == Status.MERGED:
        status = Status.NEW
    return MergeRecord(status_before=status, moved_ids=list(merge.after.get("moved_ids", [])) if merge else [])


@dataclass(frozen=True)
class UnmergePreview:
    source: Problem
    target: Problem
    record: MergeRecord
    source_sites: tuple[str, ...]
    returning: list[Problem]  # of record.moved_ids, those still merged into the target

    @property
    def status_before_label(self) -> str:
        return Status(self.record.status_before).label


def unmerge_preview(problem_id: int) -> UnmergePreview | None:
    """What undoing the merge of `problem_id` would do; None if it is not merged."""
    source = Problem.objects.select_related("merged_into").get(pk=problem_id)
    if source.status != Status.MERGED or source.merged_into is None:
        return None
    record = merge_record(problem_id)
    returning = list(
        Problem.objects.filter(pk__in=record.moved_ids, merged_into=source.merged_into, status=Status.MERGED)
        .order_by("id")
        .only("id", "title")
    )
    counted = [problem_id]
    return UnmergePreview(
        source=source,
        target=source.merged_into,
        record=record,
        source_sites=problem_site_codes(counted)[problem_id],
        returning=returning,
    )
