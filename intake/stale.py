"""Marking problems stale: intake's only way of telling scoring that inputs changed.

The mark is a database write in the caller's transaction (Problem.inputs_version + 1, with
inputs_changed_at = now), so it commits or rolls back with the change itself. After commit, the
notifier configured in settings.BRIDGE_STALE_NOTIFIER is told the ids so the scoring side can
recompute promptly; if that message is lost, the scoring side's periodic sweep still finds the
stale rows.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.module_loading import import_string

from .models import Problem


def _notify_after_commit(problem_ids: list[int]) -> None:
    if not problem_ids:
        return
    notifier = import_string(settings.BRIDGE_STALE_NOTIFIER)
    transaction.on_commit(lambda: notifier(problem_ids))


def problems_mark_stale(*, problem_ids: Iterable[int]) -> list[int]:
    """Mark these problems, and the problems they are merged into, stale. Returns the ids marked."""
    ids = set(problem_ids)
    if not ids:
        return []
    targets = Problem.objects.filter(id__in=ids, merged_into__isnull=False).values_list("merged_into", flat=True)
    ids |= set(targets)
    Problem.objects.filter(id__in=ids).update(inputs_version=F("inputs_version") + 1, inputs_changed_at=Now())
    marked = sorted(ids)
    _notify_after_commit(marked)
    return marked


def problems_at_site_mark_stale(*, site_id: int) -> list[int]:
    """A site's size changed: every problem with a report or evidence there is stale."""
    ids = Problem.objects.filter(Q(site_reports__site_id=site_id) | Q(evidence__site_id=site_id)).values_list(
        "id", flat=True
    )
    return problems_mark_stale(problem_ids=set(ids))


def all_problems_mark_stale() -> int:
    """The number of active sites changed, so every problem's breadth may have: all are stale."""
    count = Problem.objects.update(inputs_version=F("inputs_version") + 1, inputs_changed_at=Now())
    notifier = import_string(settings.BRIDGE_STALE_NOTIFIER)
    transaction.on_commit(lambda: notifier(None))
    return count
