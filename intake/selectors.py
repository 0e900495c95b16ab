"""Reads for intake: similar problems for "does this happen at my site too?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from .models import Problem, Status

WORD = re.compile(r"[a-z0-9]{3,}")


@dataclass(frozen=True)
class Similar:
    problem: Problem
    similarity: float


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def problems_similar(query: str, *, limit: int = 5) -> list[Similar]:
    """Up to `limit` problems (not merged) whose title and statement share words with `query`."""
    words = _words(query)
    if not words:
        return []
    match = Q()
    for word in sorted(words)[:12]:
        match |= Q(title__icontains=word)
    candidates = Problem.objects.exclude(status=Status.MERGED).filter(match).order_by("-id")[:200]
    ranked = []
    for problem in candidates:
        theirs = _words(problem.title + " " + problem.statement)
        similarity = len(words & theirs) / len(words | theirs) if theirs else 0.0
        if similarity > 0:
            ranked.append(Similar(problem=problem, similarity=round(similarity, 4)))
    ranked.sort(key=lambda s: (-s.similarity, s.problem.pk))
    return ranked[:limit]
