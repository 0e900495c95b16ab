"""The search's write on the intake path: a problem's terms with its text, its vector after commit."""

from __future__ import annotations

from .dispatch import vectors_after_commit
from .store import search_entries_store


def search_entries_write(*, problem_ids: list[int]) -> int:
    """(Re)write the terms of these problems in the caller's transaction; vectors follow after commit.

    Returns how many entries changed. Idempotent: an entry already made from the same text and
    dictionary is left alone.
    """
    changed = search_entries_store(problem_ids=problem_ids)
    if changed:
        vectors_after_commit(changed)
    return len(changed)
