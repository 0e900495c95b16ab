"""Reads of the similar search: problems that say what a text says, and problems like a problem.

`problems_similar(query)` serves `GET /api/v1/problems/similar/` and the intake panel;
`problems_like(problem_id)` is for the duplicates queue (docs/similar.md): the open problems most
likely the same as one problem. Both answer `Similar` rows, best first, each with `similarity` in
[0, 1], `why` (what matched, for people to read) and the codes of the sites already affected.
`LIKELY_SAME` (scoring.py) is the documented threshold of "likely the same problem".

Cost: four queries whatever the size (which search entries changed since the last search, those
rows, the problems, their sites), plus one query-vector computation (about 5 ms) and numpy passes over the index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from intake.models import OPEN_STATUSES, Problem, Status
from intake.selectors import problem_site_codes

from .encoder import encoder
from .index import Match, search_index
from .scoring import LIKELY_SAME, fuse, semantic_scaled
from .text import Unit, canonical_text, concept_label, query_units, stem, words

logger = logging.getLogger(__name__)

# The query's first words are what it is about; a pasted essay must not cost more than a paragraph.
QUERY_MAX_WORDS = 80
# Candidates read from the index before merged (or, for duplicates, closed) problems are left out.
CANDIDATES = 40
WHY_MAX = 4
# Below this a problem is not shown at all: it shares nothing telling with the query.
SHOWN_MIN = 0.20
# A semantic match this strong is worth saying when few words are shared.
SIMILAR_MEANING = 0.5


@dataclass(frozen=True)
class Similar:
    problem: Problem
    similarity: float
    sites: tuple[str, ...] = field(default=())
    why: tuple[str, ...] = field(default=())

    @property
    def likely_same(self) -> bool:
        return self.similarity >= LIKELY_SAME


def _query_text(query: str) -> str:
    return " ".join((query or "").split()[:QUERY_MAX_WORDS])


@lru_cache(maxsize=512)
def _encoded(model, text: str) -> np.ndarray:
    """Typing sends the same words again and again: encode each text once (per loaded model)."""
    return model.encode([text])[0]


def _query_vector(text: str) -> np.ndarray | None:
    model = encoder()
    if model is None or not text:
        return None
    try:
        return _encoded(model, text)
    except Exception as error:  # noqa: BLE001 — a failing model degrades to the lexical signals
        logger.warning(
            "similar search: the sentence model failed on a query (%s); lexical signals only", type(error).__name__
        )
        return None


def _unit_words(unit: Unit) -> str:
    if unit.is_concept:
        label = concept_label(unit.term)
        if [stem(w) for w in words(unit.typed)] == [stem(w) for w in words(label)]:
            return unit.typed
        return f"{unit.typed} = {label}"
    return unit.typed


def _why(match: Match, units: list[Unit], idf) -> tuple[str, ...]:
    """What matched, the rarest (most telling) first: "med rec = medication reconciliation", "clicks"."""
    order = {unit.term: i for i, unit in enumerate(units)}
    ranked = sorted(
        match.matched,
        key=lambda found: (-round(idf(found[0].term) * (1.0 if found[1] else 0.6), 6), order[found[0].term]),
    )
    reasons = []
    for unit, _ in ranked:
        text = _unit_words(unit)
        if unit.repaired_from:
            text = f"{unit.repaired_from} ≈ {text}"
        if text not in reasons:
            reasons.append(text)
    reasons = reasons[:WHY_MAX]
    if match.semantic is not None and semantic_scaled(match.semantic) >= SIMILAR_MEANING and len(reasons) < 2:
        reasons.append("similar meaning")
    return tuple(reasons)


def _rank(index, units: list[Unit], vector: np.ndarray | None, *, exclude: set[int]) -> tuple[list[Match], callable]:
    with index.lock:
        matches = index.search(units, vector, candidates=CANDIDATES + len(exclude))
        weights = {unit.term: index.idf(unit.term) for unit in units}
    return [m for m in matches if m.problem_id not in exclude], lambda term: weights.get(term, 0.0)


def _answer(matches: list[Match], units: list[Unit], idf, *, limit: int, statuses: Iterable[str] | None):

    ids = [m.problem_id for m in matches]
    # The long texts are not shown with a similar problem: leave them in the database.
    problems = Problem.objects.filter(pk__in=ids).defer("statement", "proposed_solution", "safety_details")
    problems = (
        problems.filter(status__in=list(statuses)) if statuses is not None else problems.exclude(status=Status.MERGED)
    )
    found = problems.in_bulk()
    scored = []
    for match in matches:
        problem = found.get(match.problem_id)
        if problem is None:
            continue
        score = round(fuse(match.lexical, match.title_coverage, match.semantic), 4)
        if score >= SHOWN_MIN:
            scored.append((score, match, problem))
    scored.sort(key=lambda item: (-item[0], -item[2].pk))
    scored = scored[:limit]
    sites = problem_site_codes([problem.pk for _, _, problem in scored])
    return [
        Similar(problem=problem, similarity=score, sites=sites[problem.pk], why=_why(match, units, idf))
        for score, match, problem in scored
    ]


def problems_similar(query: str, *, limit: int = 5, statuses: Iterable[str] | None = None) -> list[Similar]:
    """Up to `limit` problems (any status but merged, unless `statuses` says which) that say what `query` says."""
    text = _query_text(query)
    index = search_index()
    units = query_units(text, repair=index.repair)
    if not units:
        return []
    vector = _query_vector(canonical_text(text))
    matches, idf = _rank(index, units, vector, exclude=set())
    return _answer(matches, units, idf, limit=limit, statuses=statuses)


def problems_like(problem_id: int, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[Similar]:
    """The open problems most likely the same as this one (itself, problems merged into it and `exclude` left out)."""
    problem = Problem.objects.only("pk", "title", "statement").get(pk=problem_id)
    text = _query_text(f"{problem.title}. {problem.statement}")
    index = search_index()
    units = query_units(text, repair=index.repair)
    with index.lock:
        vector = index.vector_of(problem_id)
    if vector is None:
        vector = _query_vector(canonical_text(text))
    merged = set(Problem.objects.filter(merged_into_id=problem_id).values_list("pk", flat=True))
    matches, idf = _rank(index, units, vector, exclude={problem_id, *merged, *exclude})
    return _answer(matches, units, idf, limit=limit, statuses=OPEN_STATUSES)
