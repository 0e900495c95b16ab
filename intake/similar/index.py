"""The search index each process keeps in memory, kept in step with the SearchEntry table.

Why in memory: every signal (term weights by rarity, typo repair over the known words, cosine over
the sentence vectors) is then one numpy pass over arrays, the same on SQLite and PostgreSQL and
well under the 100 ms bar at 100,000 problems, with no database extension to install.

Memory at 100,000 problems: vectors 154 MB (float32; 768 bytes a problem as float16 in the
database), postings and per-problem terms about 40 MB. Loading it takes a few seconds once per
process (the first search); after that a search (at most one every SIMILAR_INDEX_REFRESH_SECONDS,
so a burst of typing costs one look) asks the database only for entries written
since its previous read (`updated_at`, indexed), with a margin of OVERLAP_SECONDS before it so that
a transaction that committed late (or a writer whose clock is a little behind) is not missed, and
the whole index is reloaded every SIMILAR_INDEX_RELOAD_SECONDS (deleted problems drop out then;
until then the final database read leaves them out).
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .encoder import DIMENSIONS, vector_from_bytes
from .models import SearchEntry
from .text import (
    CONCEPT_PREFIX,
    STOP_WORDS,
    Unit,
    known_dictionary_words,
    stem,
    term_of_word,
    trigram_similarity,
    trigrams,
)

OVERLAP_SECONDS = 30
# Where a term is found: in the title it says what the problem is; in the statement, less so.
TITLE_WEIGHT = 1.0
STATEMENT_WEIGHT = 0.6
REPAIR_MIN_SIMILARITY = 0.45
REPAIR_MIN_LENGTH = 4


@dataclass
class Match:
    """How one stored problem meets a query."""

    problem_id: int
    lexical: float  # share of the query's (rarity-weighted) units the problem holds, in [0, 1]
    title_coverage: float  # share of the problem's title (rarity-weighted) that the query holds
    semantic: float | None  # cosine of the two sentence vectors, None when either is missing
    matched: list[tuple[Unit, bool]]  # the units found, and whether in the title


class SearchIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._clear()

    def _clear(self) -> None:
        self.size = 0
        self.alive_count = 0
        self.problem_ids = array("q")
        self.alive = np.zeros(0, dtype=bool)
        self.doc_of: dict[int, int] = {}
        self.applied: dict[int, object] = {}  # problem id → the entry's updated_at last applied
        self.doc_key: list[int] = []
        self.doc_vector_digest: list[str] = []
        # Per problem: its term ids, negative (−id − 1) for terms found only in the statement.
        self.doc_terms: list[array] = []
        self.term_ids: dict[str, int] = {}
        self.postings_docs: list[array] = []
        self.postings_weights: list[array] = []
        self.words: set[str] = set()
        self.word_trigrams: dict[str, set[str]] = defaultdict(set)
        self.vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.has_vector = np.zeros(0, dtype=bool)
        self.last_read = None
        self.loaded_at = 0.0
        self.checked_at = -math.inf
        self._known_word(*known_dictionary_words())

    # --- keeping in step ---------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self._clear()

    def refresh(self) -> None:
        """Apply what was written since the last look (all of it on the first call, or when due)."""
        with self.lock:
            if time.monotonic() - self.checked_at < settings.SIMILAR_INDEX_REFRESH_SECONDS:
                return
            reload_due = time.monotonic() - self.loaded_at > settings.SIMILAR_INDEX_RELOAD_SECONDS
            read_at = timezone.now()
            if self.last_read is None or reload_due:
                self._clear()
                self.loaded_at = time.monotonic()
                # Room for all of them at once (growing by doubling would hold up to twice the vectors).
                self._reserve(SearchEntry.objects.count() + 1024)
                rows = SearchEntry.objects.all()
            else:
                # Entries written since the last read, and a margin before it for transactions that
                # committed after it with an earlier `updated_at`: first only their ids and times (idle,
                # an empty index scan), then the rows not applied yet.
                window = SearchEntry.objects.filter(
                    updated_at__gte=self.last_read - timedelta(seconds=OVERLAP_SECONDS)
                ).values_list("problem_id", "updated_at")
                due = [pk for pk, at in window.order_by() if self.applied.get(pk) != at]
                # Always asked (an id that never exists when nothing is due), so a search costs the same
                # number of queries whatever was written before it.
                rows = SearchEntry.objects.filter(problem_id__in=due or [0])
            columns = ("problem_id", "title_terms", "statement_terms", "vector", "vector_digest", "updated_at")
            for row in rows.order_by().values_list(*columns).iterator(chunk_size=5000):
                self._apply(*row)
            self.last_read = read_at
            self.checked_at = time.monotonic()

    def _apply(self, problem_id, title_terms, statement_terms, vector, vector_digest, updated_at) -> None:
        self.applied[problem_id] = updated_at
        key = hash((title_terms, statement_terms))
        doc = self.doc_of.get(problem_id)
        if doc is not None and self.doc_key[doc] == key:
            if self.doc_vector_digest[doc] != vector_digest:
                self._set_vector(doc, vector, vector_digest)
            return
        if doc is not None:
            self.alive[doc] = False
            self.alive_count -= 1
        doc = self._new_doc(problem_id, key)
        weights: dict[int, float] = {}
        for words, weight in ((statement_terms, STATEMENT_WEIGHT), (title_terms, TITLE_WEIGHT)):
            for word in words.split():
                if not word.startswith(CONCEPT_PREFIX):
                    self._known_word(word)
                weights[self._term_id(term_of_word(word))] = weight
        for term, weight in weights.items():
            self.postings_docs[term].append(doc)
            self.postings_weights[term].append(weight)
        self.doc_terms[doc] = array("i", (t if w == TITLE_WEIGHT else -t - 1 for t, w in weights.items()))
        self._set_vector(doc, vector, vector_digest)

    def _new_doc(self, problem_id: int, key: int) -> int:
        doc = self.size
        self.size += 1
        self.alive_count += 1
        if doc >= len(self.alive):
            self._reserve(max(1024, 2 * len(self.alive)))
        self.alive[doc] = True
        self.has_vector[doc] = False
        self.problem_ids.append(problem_id)
        self.doc_of[problem_id] = doc
        self.doc_key.append(key)
        self.doc_vector_digest.append("")
        self.doc_terms.append(array("i"))
        return doc

    def _reserve(self, capacity: int) -> None:
        if capacity <= len(self.alive):
            return
        self.alive = np.resize(self.alive, capacity)
        self.has_vector = np.resize(self.has_vector, capacity)
        grown = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        grown[: len(self.vectors)] = self.vectors
        self.vectors = grown

    def _set_vector(self, doc: int, vector, digest: str) -> None:
        self.doc_vector_digest[doc] = digest
        if vector is None:
            self.has_vector[doc] = False
            return
        self.vectors[doc] = vector_from_bytes(vector)
        self.has_vector[doc] = True

    def _term_id(self, term: str) -> int:
        found = self.term_ids.get(term)
        if found is None:
            found = self.term_ids[term] = len(self.postings_docs)
            self.postings_docs.append(array("i"))
            self.postings_weights.append(array("f"))
        return found

    def _known_word(self, *words: str) -> None:
        for word in words:
            if word not in self.words and len(word) >= REPAIR_MIN_LENGTH and not word.isdigit():
                self.words.add(word)
                for gram in trigrams(word):
                    self.word_trigrams[gram].add(word)

    # --- asking ---------------------------------------------------------------------------------

    def known(self, word: str) -> bool:
        return word in STOP_WORDS or word in self.words or stem(word) in self.term_ids

    def repair(self, word: str) -> str | None:
        """The known word closest to an unknown one (a typo), by trigram similarity; None if none is close."""
        if len(word) < REPAIR_MIN_LENGTH or self.known(word):
            return None
        candidates: set[str] = set()
        for gram in trigrams(word):
            candidates |= self.word_trigrams.get(gram, set())
        best, best_score = None, REPAIR_MIN_SIMILARITY
        for candidate in candidates:
            if abs(len(candidate) - len(word)) > 3:
                continue
            score = trigram_similarity(word, candidate)
            if score > best_score or (score == best_score and best is not None and candidate < best):
                best, best_score = candidate, score
        return best

    def idf(self, term: str) -> float:
        found = self.term_ids.get(term)
        return self._idf_of_frequency(len(self.postings_docs[found]) if found is not None else 0)

    def _idf_of_frequency(self, frequency: int) -> float:
        """BM25's rarity weight: a term in few problems tells more than one in many."""
        return math.log(1 + (self.alive_count - frequency + 0.5) / (frequency + 0.5))

    def search(self, units: list[Unit], query_vector: np.ndarray | None, *, candidates: int) -> list[Match]:
        """The `candidates` problems that best meet the query, by the fused score, best first."""
        from .scoring import fuse_array

        n = self.size
        if n == 0 or (not units and query_vector is None):
            return []
        weights = [self.idf(unit.term) for unit in units]
        total = sum(weights) or 1.0
        lexical = np.zeros(n, dtype=np.float32)
        for unit, weight in zip(units, weights, strict=True):
            term = self.term_ids.get(unit.term)
            if term is None:
                continue
            docs = np.frombuffer(self.postings_docs[term], dtype=np.int32)
            found = np.frombuffer(self.postings_weights[term], dtype=np.float32)
            lexical[docs] += weight * found
        lexical /= total
        semantic = None
        if query_vector is not None:
            semantic = self.vectors[:n] @ query_vector
        score = fuse_array(lexical, semantic, self.has_vector[:n])
        score[~self.alive[:n]] = -1.0
        if candidates < n:
            top = np.argpartition(-score, candidates)[:candidates]
        else:
            top = np.arange(n)
        top = top[score[top] > 0]
        top = top[np.lexsort((-np.asarray(self.problem_ids, dtype=np.int64)[top], -score[top]))]
        unit_of = {self.term_ids[u.term]: u for u in units if u.term in self.term_ids}
        matches = []
        frequencies = [len(docs) for docs in self.postings_docs]
        for doc in top.tolist():
            matched = []
            title_total = title_held = 0.0
            for raw in self.doc_terms[doc]:
                term, in_title = (raw, True) if raw >= 0 else (-raw - 1, False)
                if in_title:
                    weight = self._idf_of_frequency(frequencies[term])
                    title_total += weight
                    title_held += weight if term in unit_of else 0.0
                if term in unit_of:
                    matched.append((unit_of[term], in_title))
            has_vector = semantic is not None and bool(self.has_vector[doc])
            matches.append(
                Match(
                    problem_id=self.problem_ids[doc],
                    lexical=float(lexical[doc]),
                    title_coverage=title_held / title_total if title_total else 0.0,
                    semantic=float(semantic[doc]) if has_vector else None,
                    matched=matched,
                )
            )
        return matches

    def vector_of(self, problem_id: int) -> np.ndarray | None:
        doc = self.doc_of.get(problem_id)
        if doc is None or not self.alive[doc] or not self.has_vector[doc]:
            return None
        return self.vectors[doc].copy()


def _epoch():
    from datetime import datetime

    return datetime(1970, 1, 1, tzinfo=UTC)


_indexes: dict[str, SearchIndex] = {}
_indexes_lock = threading.Lock()


def search_index() -> SearchIndex:
    """This process's index for the default database, up to date with what is committed."""
    key = f"{connection.vendor}:{connection.settings_dict.get('NAME')}"
    with _indexes_lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = SearchIndex()
    index.refresh()
    return index


def search_index_reset() -> None:
    """Forget every index (tests: each starts from an empty database)."""
    with _indexes_lock:
        _indexes.clear()
