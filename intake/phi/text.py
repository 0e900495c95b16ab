"""The text as the screen reads it, with a map back to the text the user typed.

People (and attackers) write identifiers in ways a pattern written for plain ASCII misses: a
zero-width space inside an SSN, a Cyrillic "о" in "Jоhn", fullwidth digits, an en dash between
digit groups, "José" with its accent, a capital "O" for a zero in an MRN. Before any recognizer
runs, `screen_text` folds all of that away:

1. invisible and format characters (zero-width spaces and joiners, soft hyphens, direction marks,
   variation selectors: Unicode's default-ignorable code points) are removed;
2. each character with its combining marks is NFKC-normalised (fullwidth and mathematical letters
   and digits become plain ones, ligatures are split), accents are taken off Latin letters
   ("Hernández" → "Hernandez", "Nguyễn" → "Nguyen", "Łukasz" → "Lukasz"), every decimal digit of any
   script becomes 0–9, dashes become "-", curly quotes straight ones, odd spaces a space;
3. in a word that mixes scripts, or whose every letter has a Latin look-alike ("КІМ"), letters of
   other scripts become the ASCII letter they are confusable with, per Unicode's confusables data
   (UTS #39, through the `confusable_homoglyphs` package); a word wholly in another script that
   does not look Latin ("Иван", "王伟") is left as it is, for the name lists of its own script;
4. inside a number, "O"/"o" read as 0 and "l"/"I" as 1 ("l23-45-67O9").

Every character of the folded text remembers which characters of the original it came from, so a
finding in the folded text is reported at its place in what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Default-ignorable code points outside the format category (Cf), which is removed whole.
_IGNORABLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
# Latin letters that carry no decomposable accent but read as a plain letter.
_LATIN_LETTERS = {
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "ħ": "h",
    "Ħ": "H",
    "ı": "i",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "þ": "th",
    "Þ": "Th",
    "ŋ": "n",
    "ĸ": "k",
}
_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2212": "-",
    "\u2043": "-",
    "\u2044": "/",
    "\u2215": "/",
    "\u00b7": ".",
    "\u2022": ".",
}
_SEGMENT = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_WORD = re.compile(r"[^\W_]+")
# A number with a letter or two standing in for digits: "l23", "O0412345", "67O9".
_NUMBER_WITH_LETTERS = re.compile(r"(?<![A-Za-z0-9])(?=[0-9OolI]*[0-9][0-9OolI]*[0-9])[0-9OolI]{3,}(?![A-Za-z0-9])")
_AS_DIGIT = str.maketrans("OolI", "0011")


@dataclass(frozen=True)
class ScreenText:
    """The folded text; `starts[i]`/`ends[i]` bound the original characters folded char i came from."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=4096)
def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or ord(char) in _IGNORABLE


def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "Pd":
        return "-"
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    decomposed = unicodedata.normalize("NFKD", char)
    base = _LATIN_LETTERS.get(decomposed[0], decomposed[0])
    if base.isascii() and base.isalpha() and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return base
    return char


@lru_cache(maxsize=65536)
def _fold_cluster(cluster: str, after_ascii_letter: bool) -> str:
    if unicodedata.combining(cluster[0]) and after_ascii_letter:
        return ""  # an accent typed after a plain letter: "Jose\u0301"
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFKC", cluster))


@lru_cache(maxsize=1)
def _latin_lookalikes() -> dict[str, str]:
    """Each non-ASCII letter that Unicode's confusables data says looks like one ASCII letter or digit."""
    from confusable_homoglyphs.confusables import confusables_data

    lookalikes = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or not char.isalpha():
            continue
        for homoglyph in homoglyphs:
            target = homoglyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                # The prototype of I-like capitals is "l"; in a word they read as a capital I.
                lookalikes[char] = "I" if target == "l" and char.isupper() else target
                break
    return lookalikes


def _fold_lookalikes(word: str) -> str:
    lookalikes = _latin_lookalikes()
    foreign = [char for char in word if not char.isascii()]
    mixed = len(foreign) < len(word)
    if not mixed and not all(char in lookalikes for char in foreign):
        return word  # a word of another script that does not pose as Latin: "Иван", "王伟"
    return "".join(lookalikes.get(char, char) for char in word)


@lru_cache(maxsize=4096)
def _attaches(char: str) -> bool:
    """Belongs to the character before it: a combining mark, or an invisible character to drop."""
    return bool(unicodedata.combining(char)) or _invisible(char)


@lru_cache(maxsize=65536)
def _visible(cluster: str) -> str:
    return "".join(char for char in cluster if not _invisible(char))


def screen_text(original: str) -> ScreenText:
    """Fold `original` for screening (see the module's docstring), keeping the map back to it."""
    if original.isascii():
        folded = _NUMBER_WITH_LETTERS.sub(lambda m: m.group().translate(_AS_DIGIT), original)
        return ScreenText(folded)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for segment in _SEGMENT.finditer(original):
        offset, run = segment.start(), segment.group()
        if run.isascii():
            pieces.append(run)
            starts.extend(range(offset, offset + len(run)))
            ends.extend(range(offset + 1, offset + len(run) + 1))
            continue
        position, length = 0, len(run)
        while position < length:
            end = position + 1
            while end < length and _attaches(run[end]):
                end += 1
            cluster = _visible(run[position:end])
            if cluster:
                last = pieces[-1][-1:] if pieces else ""
                folded = _fold_cluster(cluster, last.isascii() and last.isalpha())
                if folded:
                    pieces.append(folded)
                    starts.extend([offset + position] * len(folded))
                    ends.extend([offset + end] * len(folded))
            position = end
    text = "".join(pieces)
    if not text.isascii():
        text = _WORD.sub(lambda m: m.group() if m.group().isascii() else _fold_lookalikes(m.group()), text)
    text = _NUMBER_WITH_LETTERS.sub(lambda m: m.group().translate(_AS_DIGIT), text)
    return ScreenText(text, starts, ends)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DIGITS = re.compile(r"\d(?:[\d\s./-]{0,3}\d)*")
# Every number-bearing identifier has its cue at most this far before its digits ("social security
# number for this patient is 123…") and its tail this far after them.
_CUE_REACH = 100
_TAIL_REACH = 40


class Reading:
    """One screening of a folded text, with what several recognizers need computed once for it (and
    kept no longer than the screening: nothing of a screened text outlives the call)."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def lower(self) -> str:
        """The text with its ASCII letters in lower case, every character in its place: patterns for
        case-insensitive cues read it, since IGNORECASE scanning costs ten times more."""
        return self.text.translate(_ASCII_LOWER)

    @cached_property
    def digit_windows(self) -> list[tuple[int, int]]:
        """The stretches around digits; the rest of a text can hold no number-bearing identifier."""
        windows: list[tuple[int, int]] = []
        for run in _DIGITS.finditer(self.text):
            start, end = max(0, run.start() - _CUE_REACH), run.end() + _TAIL_REACH
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows

    def near_digits(self, pattern: re.Pattern[str], *, lower: bool = False) -> Iterator[re.Match[str]]:
        """pattern.finditer over the text (or its lowered twin), only where there are digits."""
        text = self.lower if lower else self.text
        for start, end in self.digit_windows:
            yield from pattern.finditer(text, start, end)
