"""The name lists the name recognizer looks words up in, built once per process.

- Given names and surnames of every locale Faker ships (its person providers: about 30,000 given
  names and 33,000 surnames from 80 locales, in Latin script and in their own scripts), folded like
  the screened text (no accents, lower case), so that "HERNÁNDEZ", "Hernandez" and "hernández" are
  one name.
- Romanised East Asian names: Faker's romanised Chinese and Japanese lists, and Korean names romanised
  here from Faker's Hangul lists (Revised Romanization and the spellings people use on forms: 수진 is
  "Sujin", "Soojin" or "Soo-Jin"). Chinese given names are one or two syllables of a small inventory,
  so a hyphenated or two-syllable word of such syllables ("Xiao-Ming", "Jiahao") is a given name
  beside a Chinese, Korean or Vietnamese surname.
- Common English words (Faker's English lorem list) and the words of a clinic's day: a capitalised
  "Will", "Grace" or "Page" next to a surname is a name, but two common words ("Will Call", "Mark
  Reviewed") are a button.
- English vocabulary with word frequencies (pyspellchecker's English dictionary, built from
  OpenSubtitles): a capitalised word in no name list may still be a surname ("Goldberg" occurs 94
  times there), unless it is an English word people use ("Chest" 36,963, "Period" 30,956).
"""

from __future__ import annotations

import gzip
import importlib
import itertools
import json
import pkgutil
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .text import screen_text

# Scripts the folding changes: Latin with accents, and the Greek, Cyrillic, Armenian and Cherokee
# letters that can pose as Latin ones. Names in other scripts (CJK, Arabic, Devanagari…) stay as written.
_FOLDABLE = re.compile(r"[\u00a0-\u02af\u2000-\u206f\u0370-\u058f\u13a0-\u13ff\u1e00-\u1eff\uff00-\uffef]")

# Hangul syllable = 19 initials × 21 vowels × 28 finals. Each jamo with the letters people use for it.
_INITIALS = "g,k|kk,gg|n|d,t|tt|r,l|m|b,p|pp|s,sh|ss|-|j,ch|jj|ch|k|t|p|h".split("|")
_VOWELS = "a|ae|ya|yae|eo,u,o|e|yeo,yu,yo|ye|o|wa|wae|oe,oi,we|yo|u,oo|wo|we|wi,wee|yu,yoo|eu,u|ui,ee,eui|i,ee".split(
    "|"
)
_FINALS = "-|k,g|k|k|n|n|n|t,d|l|l|l|l|l|l|l|l|m|p,b|p|t,s|t|ng|t|t|k|t|p|t".split("|")
# Korean surnames whose usual spelling no romanization rule gives.
_KOREAN_SURNAME_SPELLINGS = {
    "이": "lee yi rhee",
    "박": "park pak",
    "임": "lim",
    "오": "oh",
    "안": "ahn",
    "노": "roh noh",
    "류": "ryu yoo yu",
    "유": "yoo",
    "우": "woo",
    "라": "ra la",
    "여": "yeo yuh",
    "문": "moon",
    "구": "koo ku",
    "주": "joo ju",
}
# Korean given-name syllables as they are usually spelled on forms beside the rule-made ones.
_KOREAN_SYLLABLE_SPELLINGS = (
    "woo young yong yeon yun yoon eun won yoo hye hee hyun kyung sung seung joon suk chul hoon jin"
)
_PINYIN_INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split() + [""]
_PINYIN_FINALS = (
    "a o e i u ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai ui uan un uang ueng ue "
    "v ve van vn"
).split()
# Words of a clinic's day that are also in Faker's name lists. Capitalised in a screen or button name
# ("Sign Order", "Patient Lookup") they are not names.
_CLINIC_WORDS = (
    "access account accounts admit advocate alert allergy appointment arrival assessment assistance badge banner bay "
    "bed bill billing board button call care cart center chart check checkin chief clinic close code codes "
    "communication complete consent contact cosign count cue cuff dash demographics desk discharge doctor dose "
    "draft drop education encounter entry experience express face family fax field financial flag flow flowsheet "
    "form forms front gap guide handout header health help home hub identification inbox info information "
    "instructions intake label labels lab link list log lookup mark message messages messaging monitor name names "
    "navigator note number order orders pager panel patient pend pharmacy phone pool portal print printer "
    "queue record records referral registration relations reminder report result results review reviewed room "
    "rounds route safety satisfaction scan schedule screen search services shift sign site slot station status "
    "summary switch tab tablet task team template test tracker tracking transfer transport triage update view "
    "visit vitals wait ward wifi wristband accounts advocacy arrival checkin contact demographics identification "
    "kiosk app calls letter letters workflow workflows id wi-fi lines line hub ready"
).split()


# A word that occurs this often in pyspellchecker's English frequency list is English vocabulary;
# surnames missing from the name lists occur far less ("Goldberg" 94, "MacLeod" 50, "Dell" 378 is a name too).
_ENGLISH_FREQUENCY = 500


@dataclass(frozen=True)
class NameLists:
    given: frozenset[str]
    surnames: frozenset[str]
    east_asian_surnames: frozenset[str]
    syllables: frozenset[str]
    common: frozenset[str]
    clinic_words: frozenset[str]
    english: frozenset[str]
    # Native-script lists for writing without spaces between names (Chinese, Japanese, Korean).
    cjk_surnames: frozenset[str]
    cjk_given: frozenset[str]
    cjk_given_chars: frozenset[str]


def fold_name(name: str) -> str:
    return screen_text(name).text.lower()


def _romanise_syllable(syllable: str) -> set[str]:
    index = ord(syllable) - 0xAC00
    if not 0 <= index < 11172:
        return set()
    initial, vowel, final = index // 588, (index % 588) // 28, index % 28
    return {
        (i + v + f).replace("-", "")
        for i in _INITIALS[initial].split(",")
        for v in _VOWELS[vowel].split(",")
        for f in _FINALS[final].split(",")
    }


def _romanise_korean(name: str) -> set[str]:
    """The spellings of a Hangul name: joined ("sujin", "soojin") and hyphenated ("su-jin")."""
    per_syllable = [_romanise_syllable(char) for char in name]
    if not all(per_syllable):
        return set()
    spellings = set()
    for parts in itertools.product(*per_syllable):
        spellings.update(("".join(parts), "-".join(parts)))
    return spellings


def _provider_lists():
    """(locale, given names, surnames) for every person provider Faker ships."""
    import faker.providers.person as person

    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        given: set[str] = set()
        surnames: set[str] = set()
        for attribute in dir(provider):
            if not attribute.endswith("names") or attribute == "language_names":
                continue
            values = getattr(provider, attribute)
            if not isinstance(values, tuple | list | dict | set | frozenset):
                continue
            names = {value for value in values if isinstance(value, str)}
            if "last" in attribute:
                surnames.update(names)
            elif "first" in attribute or "middle" in attribute:
                given.update(names)
        yield module.name, given, surnames


def _fold_all(names) -> list[str]:
    """fold_name for many names at once: one pass of the text folding over those it can change."""
    names = [name.replace("\n", " ") for name in names]
    foldable = [name for name in names if _FOLDABLE.search(name) or not unicodedata.is_normalized("NFKC", name)]
    folded = dict(zip(foldable, screen_text("\n".join(foldable)).text.split("\n"), strict=True)) if foldable else {}
    return [folded.get(name, name).lower() for name in names]


def _add_folded(target: set[str], names) -> None:
    for folded in _fold_all(names):
        target.add(folded)
        if "'" in folded:
            target.add(folded.replace("'", ""))


def _english_words() -> frozenset[str]:
    """English words in common use, from the frequency list pyspellchecker ships (its English dictionary)."""
    with gzip.open(resources.files("spellchecker") / "resources" / "en.json.gz", "rt", encoding="utf-8") as data:
        frequencies = json.load(data)
    return frozenset(word for word, count in frequencies.items() if count >= _ENGLISH_FREQUENCY)


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    from faker.providers.lorem.en_US import Provider as EnglishWords

    given: set[str] = set()
    surnames: set[str] = set()
    east_surnames: set[str] = set()
    syllables: set[str] = {i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS}
    syllables.update(_KOREAN_SYLLABLE_SPELLINGS.split())
    cjk_surnames: set[str] = set()
    cjk_given: set[str] = set()
    for locale, locale_given, locale_surnames in _provider_lists():
        _add_folded(given, locale_given)
        _add_folded(surnames, locale_surnames)
        if locale.startswith(("zh", "ja", "ko", "vi")):
            east_surnames.update(
                folded for folded in _fold_all(locale_surnames) if folded.isascii() and folded.isalpha()
            )
            for folded in _fold_all(locale_given):
                if folded.isascii():
                    syllables.update(folded.replace(" ", "-").split("-"))
        if locale.startswith(("zh", "ja", "ko")):
            cjk_surnames.update(name for name in locale_surnames if not name.isascii())
            cjk_given.update(name for name in locale_given if not name.isascii())
        if locale == "ko_KR":
            for name in locale_given:
                romanised = _romanise_korean(name)
                given.update(romanised)
                syllables.update(part for spelling in romanised for part in spelling.split("-"))
            for name in locale_surnames:
                spellings = _romanise_korean(name) | set(_KOREAN_SURNAME_SPELLINGS.get(name, "").split())
                east_surnames.update(spelling for spelling in spellings if "-" not in spelling)
    surnames |= east_surnames
    common = {word.lower() for word in EnglishWords.word_list} | set(_CLINIC_WORDS)
    return NameLists(
        given=frozenset(given),
        surnames=frozenset(surnames),
        east_asian_surnames=frozenset(east_surnames),
        syllables=frozenset(syllable for syllable in syllables if syllable),
        common=frozenset(common),
        clinic_words=frozenset(_CLINIC_WORDS),
        english=_english_words(),
        cjk_surnames=frozenset(cjk_surnames),
        cjk_given=frozenset(cjk_given),
        cjk_given_chars=frozenset(char for name in cjk_given for char in name),
    )
