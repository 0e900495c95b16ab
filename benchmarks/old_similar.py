"""The similar search as it was before intake/similar (title trigrams only): the bench's baseline.

Kept verbatim from intake/selectors.py so that `make bench` can show the old figures beside the new ones.
Similar problems for "does this happen at my site too?".

On PostgreSQL the search uses pg_trgm (migration 0003 installs it and a GIN trigram index on
titles). Candidates are the problems whose title contains what was typed, allowing for typos and
word order (`word_similarity(query, title)` at or above WORD_THRESHOLD, answered by the index),
at most CANDIDATES of them; they are then ranked by

    title_score = (2 × word_similarity(query, title) + similarity(query, title)) / 3
    similarity  = TITLE_WEIGHT × title_score + (1 − TITLE_WEIGHT) × word_similarity(query, statement opening)

which stays in [0, 1]: word_similarity says how much of what was typed the title contains, and
the plain (symmetric) similarity puts a title that says just that above a longer one.

The candidate cap bounds the work of a query that matches thousands of titles (a two-word query
in a large backlog): all of those contain what was typed.
Elsewhere (SQLite for `make run`) a word-overlap fallback with the same weights is used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from intake.models import Problem, SiteReport, Status

WORD = re.compile(r"[a-z0-9]{3,}")
QUERY_MAX_CHARS = 60
WORD_THRESHOLD = 0.4
CANDIDATES = 60
# The statement counts by its opening, where people say what happens; reading all of a long one
# for each candidate would cost more than it tells.
STATEMENT_CHARS = 400
TITLE_WEIGHT = 0.75


@dataclass(frozen=True)
class Similar:
    problem: Problem
    similarity: float
    sites: tuple[str, ...] = field(default=())


# Words that say little about a problem but whose trigrams are in almost every title: leaving them
# out of the query keeps the index scan short (a third of the time) without changing what matches.
STOP_WORDS = frozenset(
    """
    a an the and or but of to in on at by for from with without into onto over under about as is are was were be
    been being it its this that these those there their they them we our us you your i me my he she his her him
    so if then than when while where which who whom what how why not no do does did done has have had can could
    will would should may might must just also very too much many more most some any all each every per
    """.split()
)
QUERY_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _query_text(query: str) -> str:
    """The query's telling words, at most QUERY_MAX_CHARS characters of them."""
    words = [w for w in QUERY_WORD.findall(query or "") if w.lower() not in STOP_WORDS]
    text = " ".join(words)
    if len(text) <= QUERY_MAX_CHARS:
        return text
    cut = text[:QUERY_MAX_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


_POSTGRES_SQL = f"""
    SELECT problem.*, ranked.similarity, ARRAY(
        SELECT site.code FROM intake_sitereport report JOIN intake_site site ON site.id = report.site_id
        WHERE report.problem_id = problem.id
        UNION
        SELECT site.code FROM intake_sitereport report JOIN intake_site site ON site.id = report.site_id
        JOIN intake_problem merged ON merged.id = report.problem_id
        WHERE merged.merged_into_id = problem.id
        ORDER BY 1
    ) AS site_codes
    FROM (
        SELECT id, {TITLE_WEIGHT} * (2 * word_similarity(%(q)s, title) + similarity(%(q)s, title)) / 3
                   + {1 - TITLE_WEIGHT} * word_similarity(%(q)s, left(statement, {STATEMENT_CHARS})) AS similarity
        FROM (
            SELECT id, title, statement FROM intake_problem
            WHERE %(q)s <%% title AND status <> %(merged)s
            LIMIT {CANDIDATES}
        ) AS candidates
        ORDER BY similarity DESC, id DESC
        LIMIT %(limit)s
    ) AS ranked
    JOIN intake_problem problem ON problem.id = ranked.id
    ORDER BY ranked.similarity DESC, problem.id DESC
"""


def _similar_postgres(text: str, limit: int) -> list[Similar]:
    """One query: the ranked problems with their similarity and site codes."""
    enclosed = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # The candidate subquery must come from the trigram index: with a LIMIT the planner may
        # otherwise hope to find enough rows early in a sequential scan, and read the whole table.
        # Both settings are local to this transaction; inside a caller's transaction they are put back.
        cursor.execute(
            "SELECT current_setting('pg_trgm.word_similarity_threshold', true), current_setting('enable_seqscan'),"
            " set_config('pg_trgm.word_similarity_threshold', %s, true), set_config('enable_seqscan', 'off', true)",
            [str(WORD_THRESHOLD)],
        )
        threshold, seqscan, _, _ = cursor.fetchone()
        problems = list(Problem.objects.raw(_POSTGRES_SQL, {"q": text, "merged": Status.MERGED, "limit": limit}))
        if enclosed:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),"
                " set_config('enable_seqscan', %s, true)",
                [threshold or str(WORD_THRESHOLD), seqscan],
            )
    return [Similar(problem=p, similarity=_unit(p.similarity), sites=tuple(p.site_codes)) for p in problems]


def _unit(score: float) -> float:
    return round(min(max(float(score), 0.0), 1.0), 4)


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _overlap(words: set[str], text: str) -> float:
    """Share of the query's words found in `text` (the word-level cousin of word_similarity)."""
    return len(words & _words(text)) / len(words)


def _similar_ids_fallback(text: str, limit: int) -> list[tuple[int, float]]:
    words = _words(text)
    if not words:
        return []
    match = Q()
    for word in sorted(words)[:12]:
        match |= Q(title__icontains=word)
    candidates = (
        Problem.objects.exclude(status=Status.MERGED)
        .filter(match)
        .order_by("-id")
        .values_list("id", "title", "statement")[: CANDIDATES * 2]
    )
    ranked = []
    for pk, title, statement in candidates:
        contained = _overlap(words, title)
        if contained >= WORD_THRESHOLD:
            title_words = _words(title)
            title_score = (2 * contained + len(words & title_words) / len(words | title_words)) / 3
            ranked.append(
                (pk, TITLE_WEIGHT * title_score + (1 - TITLE_WEIGHT) * _overlap(words, statement[:STATEMENT_CHARS]))
            )
    ranked.sort(key=lambda item: (-item[1], -item[0]))
    return ranked[:limit]


def problem_site_codes(problem_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Codes of the sites that reported each problem, counting problems merged into it. One query."""
    rows = (
        SiteReport.objects.filter(Q(problem_id__in=problem_ids) | Q(problem__merged_into_id__in=problem_ids))
        .values_list("problem_id", "problem__merged_into_id", "site__code")
        .distinct()
    )
    codes: dict[int, set[str]] = defaultdict(set)
    for problem_id, merged_into_id, code in rows:
        codes[merged_into_id if merged_into_id in problem_ids else problem_id].add(code)
    return {pk: tuple(sorted(codes.get(pk, ()))) for pk in problem_ids}


def problems_similar(query: str, *, limit: int = 5) -> list[Similar]:
    """Up to `limit` problems (not merged) whose title matches `query`, most similar first."""
    text = _query_text(query)
    if len(_words(text)) == 0:
        return []
    if connection.vendor == "postgresql":
        return _similar_postgres(text, limit)
    ranked = _similar_ids_fallback(text, limit)
    ids = [pk for pk, _ in ranked]
    problems = Problem.objects.in_bulk(ids)
    sites = problem_site_codes(ids)
    return [Similar(problem=problems[pk], similarity=_unit(score), sites=sites[pk]) for pk, score in ranked]
