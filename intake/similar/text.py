"""Words into search terms: the clinical dictionary (synonyms.txt), stemming, and typo repair.

A text becomes *terms*: a concept from the dictionary (`~medication_reconciliation`, whatever
wording found it: "med rec", "reconcile meds") or, for other words, its Snowball stem
("clicks" → `click`). Stored problems keep, beside each concept, the stems of the words inside
it, so "medication list" still meets a problem about medication reconciliation, only less so.

A query becomes *units*: what the user meant, one per concept or word, each with the words typed
(for `why`). A typed word that is in no problem and not in the dictionary is repaired to the
closest known word by character trigrams ("reconcilation" → "reconciliation").

The same code runs for every database, so SQLite (`make run`) and PostgreSQL find the same things.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

DICTIONARY_PATH = Path(__file__).with_name("synonyms.txt")
CONCEPT_PREFIX = "~"
_TOKEN = re.compile(r"[a-z0-9]+(?:['’]s\b)?")
_VERSION = re.compile(r"^version:\s*(\d+)\s*$")

# Words that say nothing about which problem is meant. Kept out of the terms (not out of the
# dictionary's wordings: "left or right" still needs its "or").
STOP_WORDS = frozenset(
    """
    a an the and or but of to in on at by for from with without into onto over under about as is are was were be
    been being it its this that these those there their they them we our us you your i me my he she his her him
    so if then than when while where which who whom what how why not no do does did done has have had can could
    will would should may might must just also very too much many more most some any all each every per get gets
    got getting keep keeps still even again always never only really way lot lots one ones thing things here
    s t im ive dont doesnt cant wont isnt arent theres whats etc via up out off
    """.split()
)

# A snowball stemmer keeps the word it is working on in the object: two threads sharing one get
# each other's letters (wrong stems, or an IndexError and a 500). One stemmer per thread.
_stemmers = threading.local()


def _stemmer():
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Lower-case words with accents and a possessive "'s" taken off."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [match.group().removesuffix("'s").removesuffix("’s") for match in _TOKEN.finditer(folded)]


@dataclass(frozen=True)
class Concept:
    key: str  # the term, e.g. "~medication_reconciliation"
    label: str  # the wording shown to users, e.g. "medication reconciliation"


@dataclass(frozen=True)
class Dictionary:
    version: int
    concepts: dict[str, Concept]
    # Stemmed wording → concept key; the longest wording is tried first.
    wordings: dict[tuple[str, ...], str]
    longest: int

    @property
    def known_words(self) -> frozenset[str]:
        return frozenset(word for wording in self.wordings for word in wording)


class DictionaryError(ValueError):
    pass


def dictionary_parse(text: str) -> Dictionary:
    """Read synonyms.txt; a wording on two lines, or a missing version, is an error."""
    version = None
    concepts: dict[str, Concept] = {}
    wordings: dict[tuple[str, ...], str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if found := _VERSION.match(line):
            version = int(found.group(1))
            continue
        forms = [form.strip() for form in line.split(" = ")]
        if len(forms) < 2 or any(not form for form in forms):
            raise DictionaryError(f"line {number}: write `canonical = alias = …`")
        label = forms[0]
        key = CONCEPT_PREFIX + "_".join(words(label))
        if key in concepts:
            raise DictionaryError(f"line {number}: {label!r} is already a concept")
        concepts[key] = Concept(key=key, label=label)
        for form in forms:
            stems = tuple(stem(word) for word in words(form))
            if not stems:
                raise DictionaryError(f"line {number}: {form!r} has no words")
            other = wordings.get(stems)
            if other is not None and other != key:
                raise DictionaryError(f"line {number}: {form!r} already means {concepts[other].label!r}")
            wordings[stems] = key
    if version is None:
        raise DictionaryError("synonyms.txt has no `version: N` line")
    return Dictionary(version=version, concepts=concepts, wordings=wordings, longest=max(len(w) for w in wordings))


@cache
def dictionary() -> Dictionary:
    return dictionary_parse(DICTIONARY_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Span:
    start: int  # word positions [start, end)
    end: int
    concept: str | None  # a concept key, or None for a plain word


def _spans(stems: list[str], vocabulary: Dictionary) -> list[Span]:
    """Longest dictionary wordings first, left to right; every other word alone."""
    spans, i = [], 0
    while i < len(stems):
        for length in range(min(vocabulary.longest, len(stems) - i), 0, -1):
            key = vocabulary.wordings.get(tuple(stems[i : i + length]))
            if key is not None:
                spans.append(Span(i, i + length, key))
                i += length
                break
        else:
            spans.append(Span(i, i + 1, None))
            i += 1
    return spans


def _meaningful(word: str) -> bool:
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def document_terms(text: str) -> list[str]:
    """A stored text's terms, in order, with repeats: concepts, and the words inside and outside them."""
    vocabulary = dictionary()
    found = words(text)
    stems = [stem(word) for word in found]
    terms: list[str] = []
    for span in _spans(stems, vocabulary):
        if span.concept is not None:
            terms.append(span.concept)
            if span.end - span.start == 1:
                continue
            # The words inside a longer wording count on their own too ("medication" in
            # "medication reconciliation"), as their own concept where they have one.
            for inner in range(span.start, span.end):
                key = vocabulary.wordings.get((stems[inner],))
                if key is not None:
                    terms.append(key)
                elif _meaningful(found[inner]):
                    terms.append(found[inner])
        elif _meaningful(found[span.start]):
            terms.append(found[span.start])
    return terms


def canonical_text(text: str) -> str:
    """The text with each dictionary wording replaced by its concept's label: what the encoder reads."""
    vocabulary = dictionary()
    found = words(text)
    stems = [stem(word) for word in found]
    parts = []
    for span in _spans(stems, vocabulary):
        if span.concept is not None:
            parts.append(vocabulary.concepts[span.concept].label)
        else:
            parts.append(found[span.start])
    return " ".join(parts)


@dataclass(frozen=True)
class Unit:
    """One thing a query asks about: a concept or a word (stemmed), and what was typed for it."""

    term: str
    typed: str
    repaired_from: str = ""  # the typed word, when it was a typo repaired to `typed`

    @property
    def is_concept(self) -> bool:
        return self.term.startswith(CONCEPT_PREFIX)


def term_of_word(word: str) -> str:
    """The term a stored word is indexed under (its stem; concepts are stored as they are)."""
    return word if word.startswith(CONCEPT_PREFIX) else stem(word)


def query_units(text: str, *, repair: Callable[[str], str | None] | None = None) -> list[Unit]:
    """What a query asks about, in order, without repeats.

    `repair(word)` returns a known word for an unknown one (a typo), or None.
    """
    vocabulary = dictionary()
    typed = words(text)
    fixed = list(typed)
    repaired: dict[int, str] = {}
    if repair is not None:
        for i, word in enumerate(typed):
            if _meaningful(word) and not word.isdigit():
                better = repair(word)
                if better is not None and better != word:
                    fixed[i] = better
                    repaired[i] = word
    stems = [stem(word) for word in fixed]
    units: dict[str, Unit] = {}
    for span in _spans(stems, vocabulary):
        surface = " ".join(fixed[span.start : span.end])
        was = " ".join(typed[span.start : span.end]) if any(i in repaired for i in range(span.start, span.end)) else ""
        if span.concept is not None:
            units.setdefault(span.concept, Unit(span.concept, surface, was))
        elif _meaningful(fixed[span.start]):
            units.setdefault(stems[span.start], Unit(stems[span.start], surface, was))
    return list(units.values())


def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    left, right = trigrams(a), trigrams(b)
    return len(left & right) / len(left | right)


def concept_label(key: str) -> str:
    concept = dictionary().concepts.get(key)
    return concept.label if concept else key


def known_dictionary_words() -> Iterable[str]:
    """Every word of every wording (unstemmed), so a typo of a dictionary word is repaired too."""
    text = DICTIONARY_PATH.read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and not _VERSION.match(line):
            yield from words(line)
