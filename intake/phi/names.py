"""Patient names, in the folded text (see text.py).

A name is reported when the text gives a reason to read words as a person's name:

- a patient cue or an honorific before it: "pt Maria Lopez", "Patient: KIM, Soo-Jin", "Mrs. Garcia",
  "a patient named Oduya", "pt 王伟";
- "Last, First" with a known surname and a known given name: "SMITH, JOHN", "Hernandez, Jose";
- a known given name and a known surname side by side, in either order where the surname is East
  Asian ("Wei Zhang", "Zhang Wei", "Nguyen Thi Lan", "José Hernández", "Soo-Jin Kim"), unless both
  are everyday words ("Will Call", "Mark Reviewed") or the pair names a place ("Rose Hill");
- a known name before "in room 4", "(bed 2)", or with a possessive beside another name
  ("Priya Shah's");
- in Chinese, Japanese or Korean script, a known surname followed by given-name characters (王伟,
  김민준); in other scripts two known names side by side (Иван Петров, محمد علي).

Names after a provider's or a colleague's title or before their role ("Dr. Patel", "NP Rivera", "Ms.
Alvarez, our practice manager", "Mark from IT") are not patient information and are let through, as
are names followed by a place word ("the Rose Hill clinic", "Jackson Heights site").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .name_lists import NameLists, name_lists
from .text import Reading

Spans = Iterator[tuple[int, int]]

# A word: letters of any script, joined by apostrophes or hyphens ("O'Brien", "Abernathy-Cole").
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff]{2,}|[\uac00-\ud7a3]{2,}")
_PARTICLES = frozenset(
    "van von der den de del della dela da das dos di du le la las los bin bint ibn al el ben abu ter ten y e st".split()
)
_HONORIFICS = frozenset("mr mrs ms miss mx mister master sr sra srta mme mlle herr frau senor senora".split())
_PATIENT_CUES = frozenset("patient patients pt pts client clients".split())
# After a patient cue these words introduce the name: "a patient named Oduya", "pt name is".
_CUE_LINKS = frozenset("named called is was name".split())
# After these only a known name counts: "the patient is Korean" is no name.
_WEAK_LINKS = frozenset("is was".split())
_ROOM_AFTER = re.compile(
    r"(?:'s)?\s*(?:,\s*)?(?:\(\s*)?(?i:in\s+|from\s+|at\s+)?(?i:room|rm|bed|bay|exam|hallway|chair|cubicle|stretcher)\s*#?\d"
)

# Titles and staff words that make the following name a provider's or a colleague's ("Dr. Patel",
# "Nurse Kim's", "NP Rivera", "our practice manager Ms. Alvarez", "Ms. Alvarez, our practice manager").
_CREDENTIAL = r"(?:NP|PA|PA-C|RN|LPN|LVN|CNA|MA|MAs|APP|APRN|CRNA|MD|DO|PhD|PharmD|DNP|FNP|FNP-C|EMT|RT|CMA)"
_STAFF_WORD = (
    r"(?i:dr|doctor|doc|nurse|practitioner|scribe|tech|technician|therapist|pharmacist|provider|physician|midwife"
    r"|surgeon|hospitalist|resident|intern|fellow|manager|director|supervisor|administrator|coordinator|lead"
    r"|chief|colleague|coworker|co-worker|receptionist|registrar|analyst|trainer|educator|champion|attending"
    r"|clerk|secretary|interpreter|translator|dietitian|chaplain|phlebotomist|paramedic|engineer|developer"
    r"|consultant|rep|representative|vendor|superuser|admin|staff|cardiologist|radiologist|pediatrician"
    r"|psychiatrist|dermatologist|specialist|partner|preceptor|student|volunteer|instructor|officer|scheduler"
    r"|biller|coder|assistant|aide|operator|courier|driver|liaison|navigator|agent|planner|buyer|architect"
    r"|medical\s+assistant|social\s+worker|case\s+manager|front\s+desk)s?"
)
_STAFF_TITLE = re.compile(rf"(?:{_STAFF_WORD}|{_CREDENTIAL})")
_STAFF_BEFORE = re.compile(rf"\b(?:{_STAFF_WORD}|{_CREDENTIAL})\b\.?,?\s*(?:(?i:and|&)\s+)?$")
_STAFF_DEPARTMENT = (
    r"(?i:(?:the\s+)?(?:front\s+desk|help\s+desk|lab|vendor)|IT(?:\s+\w+)?|HR|billing|registration|pharmacy"
    r"|informatics|coding|scheduling|radiology|compliance|quality|nursing|admin|administration|epic|cerner)"
)
_STAFF_AFTER = re.compile(
    rf"(?:'s)?(?:,\s*{_CREDENTIAL}\b|\s+{_CREDENTIAL}\b(?!\s+\d)"
    rf"|,?\s+(?i:who\s+is\s+|is\s+|are\s+|was\s+|were\s+)?(?i:our|the|a|an|my|their)\s+(?:[\w-]+\s+){{0,3}}{_STAFF_WORD}\b"
    rf"|\s*\((?:[\w-]+\s+){{0,2}}{_STAFF_WORD}\)"
    rf"|\s+(?i:from|in|at|of)\s+{_STAFF_DEPARTMENT}\b)"
)
_PLACE_AFTER = re.compile(
    r"(?:'s)?\s+(?i:clinic|clinics|hospital|medical|health|center|centre|urgent|campus|site|sites|pharmacy|practice"
    r"|building|pavilion|office|location|branch|family\s+(?:medicine|practice)|primary|pediatrics|school|elementary"
    r"|university|college|county|city|street|st\b|avenue|ave\b|road|rd\b|lane|drive|way|boulevard|blvd|plaza|mall"
    r"|station|library|church|park|neighborhood|area|region|campus|team|pod|unit|wing|tower|lab|labs|imaging"
    r"|va|vamc|vha|cboc)\b"
)
# A given name and a toponym ("Rose Hill", "Oak Park") are a place when the given name is a tree,
# a colour or a landscape word; "Jane Park" is still a name.
_TOPONYMS = frozenset(
    "north south east west northeast northwest southeast southwest hill hills park wood woods field fields brook "
    "dale ridge valley lake lakes springs grove heights view point "
    "creek mill mills bridge ford haven harbor harbour beach bay garden gardens glen meadow meadows forest river "
    "rock stone plains falls crossing station square village town city county hollow vale shore".split()
)
_PLACE_WORDS = frozenset(
    "rose oak maple cedar pine elm birch willow ash aspen holly ivy laurel magnolia cherry apple olive hazel heather "
    "iris lily daisy violet fern sage juniper cypress spruce redwood poplar green red white black blue gray grey "
    "golden silver fair spring summer autumn winter sunny pleasant clear rich high long deer fox eagle hawk bear "
    "wolf mountain valley river lake rock stone sand bay ocean sea forest glen meadow north south east west upper "
    "lower old new little big great royal kings queens grand highland lincoln washington jackson jefferson "
    "franklin madison hope union liberty mount mt saint st bell spring mercy providence trinity sinai bethany christ "
    "faith charity kaiser banner advocate ascension sutter dignity georgia virginia carolina dakota indiana florida "
    "montana nevada austin dallas houston denver phoenix orlando tyler charlotte savannah sydney paris london "
    "victoria florence adelaide chester".split()
)
# Second words that make a pair an institution: "Jackson Memorial", "Austin Regional".
_INSTITUTION_WORDS = frozenset(
    "memorial regional general community medical health healthcare hospital hospitals clinic clinics center centre "
    "university county children childrens pediatrics family urgent care pharmacy labs imaging radiology orthopedics "
    "cardiology dermatology surgery oncology womens specialty physicians associates partners group network system "
    "systems plaza mall station airport school college academy church methodist baptist presbyterian lutheran "
    "adventist catholic mission foundation institute".split()
)
_PARTICLES_BETWEEN = re.compile(r" (?:[a-z]+ ){1,2}")
_CUE_TO_NAME = re.compile(r"(?:'s)?\.?\s*[:,-]?\s*")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_DETERMINER_BEFORE = re.compile(r"\b(?i:the|a|an|this|that|these|those|each|every|any|no|our|your|their)\s+$")
# Two to four morae of romanised Japanese: a Japanese given name beside a Japanese surname.
_MORA = r"(?:[kgsztdnhbpmr]y?[aiueo]|sh[aiuo]|ch[aiuo]|ts?u|j[aiuo]|f?u|w[ao]|y[auo]|[aiueo])n?"
_JAPANESE_GIVEN = re.compile(rf"(?:{_MORA}){{2,4}}")
# What is named after a person is not that person: "Thomas Jefferson University Hospital", "Ronald
# McDonald House", "Lucile Packard Children's", "Cesar Chavez Day".
_NAMED_AFTER = _INSTITUTION_WORDS | frozenset(
    "house day award prize fund lecture program programme building wing hall pavilion tower library park bridge "
    "street avenue road scholarship fellowship trust society syndrome disease protocol score scale criteria test "
    "sign maneuver method rule".split()
)
# Endings of English words, not of names: "Scheduling", "Reviewed", "Registration".
_ENGLISH_ENDING = re.compile(r"(?:ing|tion|sion|ment|ness|able|ible|ity|ics|ogy|ism|ies|ful|less|ward|ous|ive|ed)$")
# Capitalised words that are not names in a clinic's text: sentence words, days and months, the
# systems clinics run.
_NOT_NAMES = frozenset(
    """
    the this that these those then there they their them we our he she his her it its if in on at as an and but
    or so not no yes when while after before because since also still every each all some any both today
    yesterday tomorrow later now please note per was were is are has had have who which what where why how
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december epic cerner athena athenahealth meditech allscripts nextgen eclinicalworks
    citrix dragon zebra windows excel teams outlook chrome edge word office hello world haiku canto rover
    mychart kronos omnicell pyxis cisco vocera imprivata workday
    """.split()
)


@dataclass(slots=True)
class _Word:
    start: int
    end: int  # without a possessive "'s"
    text: str
    key: str  # lower case, apostrophes kept
    possessive: bool
    latin: bool
    capitalised: bool
    upper: bool


# Lower-case words the recognizers read: cues and what links a cue to a name ("a patient named").
_LOWER_CASE_KEPT = _PATIENT_CUES | _HONORIFICS | _CUE_LINKS
# After such a word the next few lower-case words are kept too ("pt maria lopez").
_KEPT_AFTER_A_CUE = 3


def _words(text: str) -> list[_Word]:
    """The words that may be or introduce a name, in order: capitalised words, words of scripts
    without case, cues and the few words after them. Other lower-case words are left out."""
    words = []
    kept_after_cue = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word[0].islower():
            key = word.lower()
            if key in _LOWER_CASE_KEPT:
                kept_after_cue = _KEPT_AFTER_A_CUE
            elif kept_after_cue:
                kept_after_cue -= 1
            else:
                continue
        possessive = len(word) > 3 and word[-2:] in ("'s", "'S")
        if possessive:
            word = word[:-2]
        start = match.start()
        words.append(
            _Word(
                start,
                start + len(word),
                word,
                word.lower(),
                possessive,
                word.isascii(),
                word[0].isupper(),
                len(word) > 1 and word.isupper(),
            )
        )
    return words


class _Lookup:
    def __init__(self, lists: NameLists):
        self.lists = lists

    def _keys(self, word: _Word) -> list[str]:
        keys = [word.key]
        if "'" in word.key:
            keys.append(word.key.replace("'", ""))
        return keys

    def given(self, word: _Word) -> bool:
        lists = self.lists
        if any(key in lists.given for key in self._keys(word)):
            return True
        parts = word.key.replace("'", "-").split("-")
        return len(parts) > 1 and all(part in lists.given or part in lists.syllables for part in parts)

    def surname(self, word: _Word) -> bool:
        lists = self.lists
        if any(key in lists.surnames for key in self._keys(word)):
            return True
        parts = word.key.split("-")
        if len(parts) > 1 and parts[0] in _PARTICLES:
            return parts[-1] in lists.surnames or parts[-1] in lists.given  # "al-Rashid", "el-Amin"
        # "Abernathy-Cole", "Hernandez-Lopez"; not "X-ray"
        return len(parts) > 1 and all(len(part) > 1 for part in parts) and any(part in lists.surnames for part in parts)

    def east_asian_surname(self, word: _Word) -> bool:
        return word.key in self.lists.east_asian_surnames

    def east_asian_given(self, word: _Word) -> bool:
        """Romanised Chinese or Korean given name: "Wei", "Soo-Jin", "Xiaoming", "Jiahao"."""
        key, syllables = word.key, self.lists.syllables
        if key in self.lists.given:
            return True
        parts = key.split("-")
        if len(parts) in (2, 3) and all(part in syllables for part in parts):
            return True
        if len(parts) == 1 and any(key[:cut] in syllables and key[cut:] in syllables for cut in range(2, len(key) - 1)):
            return True
        return bool(_JAPANESE_GIVEN.fullmatch(key))  # "Haruto", "Yuki", "Sakura"

    def common(self, word: _Word) -> bool:
        """An everyday English word, a name or not ("will", "grace", "young")."""
        return word.key in self.lists.common or word.key in _NOT_NAMES

    def everyday(self, word: _Word) -> bool:
        """A word of a clinic's day that is not a name here: "Portal", "Education", "Monday"."""
        return word.key in self.lists.clinic_words or word.key in _NOT_NAMES

    def known(self, word: _Word) -> bool:
        return self.given(word) or self.surname(word)


def _place_after(text: str, end: int) -> bool:
    """ "the Rose Hill clinic", "Jackson Heights site"; not after a possessive ("Aisha Bello's lab order")."""
    return text[end - 2 : end] != "'s" and bool(_PLACE_AFTER.match(text, end))


def _staff_context(text: str, start: int, end: int) -> bool:
    return bool(_STAFF_BEFORE.search(text, max(0, start - 40), start) or _STAFF_AFTER.match(text, end))


def _is_name_like(word: _Word, lookup: _Lookup) -> bool:
    """Could be part of a name at all: capitalised, not a sentence word, weekday or system, not a title."""
    if not word.capitalised or word.key in _NOT_NAMES or _STAFF_TITLE.fullmatch(word.text):
        return False
    if word.upper and len(word.text) <= 3 and word.latin:
        return lookup.known(word) and not lookup.common(word)  # "ED", "MAR", "CBC" are not; "KIM", "LI" are
    return True


def _reads_as_a_name(word: _Word, lookup: _Lookup, *, upper_case: bool = False) -> bool:
    """A capitalised word no list knows that reads as a name ("Goldberg", "Krishnan"): not an
    everyday word, a place or institution word, or an English word shape ("Scheduling", "Reviewed")."""
    return (
        word.latin
        and word.capitalised
        and (upper_case or not word.upper)
        and len(word.text) >= 4
        and not lookup.known(word)
        and not lookup.common(word)
        and not lookup.everyday(word)
        and word.key not in lookup.lists.english
        and word.key not in _INSTITUTION_WORDS
        and word.key not in _TOPONYMS
        and not _ENGLISH_ENDING.search(word.key)
    )


def _pair_is_a_name(first: _Word, second: _Word, lookup: _Lookup, particle: bool = False) -> bool:
    if not (first.latin and second.latin):
        return False
    if lookup.common(first) and lookup.common(second):
        return False  # "Will Call", "Mark Reviewed"
    if first.key in _PLACE_WORDS and (second.key in _TOPONYMS or second.key in _INSTITUTION_WORDS):
        return False  # "Rose Hill", "Mercy West"
    if second.key in _INSTITUTION_WORDS:
        return False  # "Jackson Memorial"
    if first.upper != second.upper and (first.upper or second.upper) and min(len(first.text), len(second.text)) <= 3:
        return False  # "Sign ED", "EHR Lee": an acronym beside a word
    firmly_given = lookup.given(first) and not lookup.common(first) and first.key not in _PLACE_WORDS
    if lookup.given(first) and lookup.surname(second):
        return True
    if particle and firmly_given and (lookup.given(second) or _reads_as_a_name(second, lookup)):
        return True  # "Mohammed Al Amin", "Maria de la Cruz"
    if _reads_as_a_name(first, lookup) and lookup.surname(second) and not lookup.common(second):
        return True  # "Ananya Iyer"
    if lookup.east_asian_surname(first) and (lookup.east_asian_given(second) or lookup.given(second)):
        return True  # "Zhang Wei", "Nguyen Thi", "Kim Soo-Jin"
    if lookup.east_asian_given(first) and lookup.east_asian_surname(second):
        return True  # "Soo-Jin Kim", "Xiaoming Li"
    if firmly_given and _reads_as_a_name(second, lookup):
        return True  # "Hannah Goldberg", "Ravi Krishnan"
    # One known name with a possessive beside another capitalised word: "Priya Shah's".
    return second.possessive and (lookup.given(first) or lookup.surname(second))


def _joined(text: str, left: _Word, right: _Word) -> bool:
    """Two words of one name: a space, an initial's period, or particles ("van der") between them."""
    if left.possessive:
        return False
    between = text[left.end : right.start]
    if between == " " or between == ". " and len(left.text) == 1:
        return True
    return bool(_PARTICLES_BETWEEN.fullmatch(between)) and all(particle in _PARTICLES for particle in between.split())


def _sequences(text: str, words: list[_Word], lookup: _Lookup) -> list[list[int]]:
    """Runs of name-like words standing together, as lists of word indexes."""
    runs: list[list[int]] = []
    for index, word in enumerate(words):
        if not (_is_name_like(word, lookup) or (len(word.text) == 1 and word.text.isupper())):
            continue
        if runs and runs[-1][-1] == index - 1 and _joined(text, words[index - 1], word):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _span(words: list[_Word], first: int, last: int) -> tuple[int, int]:
    end_word = words[last]
    return words[first].start, end_word.end + (2 if end_word.possessive else 0)


def _after_a_determiner(text: str, start: int) -> bool:
    """ "the Grace Period", "our Rose Hill site": a noun phrase, not a person."""
    return bool(_DETERMINER_BEFORE.search(text, max(0, start - 8), start))


def _name_pair_in(run: list[int], text: str, words: list[_Word], lookup: _Lookup) -> int | None:
    """The index of the second word of the first name pair in a run of name-like words, or None."""
    names = [i for i in run if len(words[i].text) > 1]
    for position, left in enumerate(names):
        for offset, right in enumerate(names[position + 1 : position + 3]):
            skipped = [words[i] for i in names[position + 1 : position + 1 + offset]]
            particle = all(word.key in _PARTICLES for word in skipped) and (
                bool(skipped) or text[words[left].end : words[right].start].strip() != ""
            )
            if skipped and not particle and not lookup.east_asian_surname(words[left]):
                continue  # only a particle, or a Vietnamese middle name ("Tran Quoc Bao"), stands between
            if _pair_is_a_name(words[left], words[right], lookup, particle or bool(skipped)):
                return right
    return None


def _side_by_side(text: str, words: list[_Word], lookup: _Lookup) -> Spans:
    for run in _sequences(text, words, lookup):
        right = _name_pair_in(run, text, words, lookup)
        if right is None or any(words[i].key in _NAMED_AFTER for i in run if i > right):
            continue  # no name, or a name an institution or a day is named after
        start, end = _span(words, run[0], run[-1])
        if not (_staff_context(text, start, end) or _place_after(text, end) or _after_a_determiner(text, start)):
            yield start, end


def _last_comma_first(text: str, words: list[_Word], lookup: _Lookup) -> Spans:
    """ "SMITH, JOHN", "Hernandez, Maria Jose", "KIM, Soo-Jin"."""
    for index in range(len(words) - 1):
        last, first = words[index], words[index + 1]
        if text[last.end : last.end + 1] != "," or first.start - last.end > 2 or last.possessive:
            continue
        if not (_is_name_like(last, lookup) and _is_name_like(first, lookup)):
            continue
        if lookup.common(last) and lookup.common(first):
            continue
        surname = lookup.surname(last) and not lookup.common(last)
        given = (lookup.given(first) or lookup.east_asian_given(first)) and not lookup.common(first)
        if (
            lookup.surname(last)
            and (lookup.given(first) or lookup.east_asian_given(first))
            or surname
            and _reads_as_a_name(first, lookup, upper_case=last.upper)  # "ADEYEMI, OLUWASEUN"
            or given
            and _reads_as_a_name(last, lookup, upper_case=first.upper)  # "Goldberg, Hannah"
        ):
            end_index = index + 1
            while end_index + 1 < len(words) and _joined(text, words[end_index], words[end_index + 1]):
                following = words[end_index + 1]
                if not following.capitalised or not lookup.known(following) and len(following.text) > 1:
                    break  # a middle name or an initial: "GARCIA, MARIA J", not "…, MARIA ever"
                end_index += 1
            start, end = _span(words, index, end_index)
            if not _staff_context(text, start, end) and not _place_after(text, end):
                yield start, end


def _lower_case_name_end(text: str, words: list[_Word], index: int, lookup: _Lookup) -> int | None:
    """A name typed in lower case after a cue: two known names ("pt maria lopez"), or one known name
    that is no English word ("pt hernandez"); not "a patient seen at", "patient education"."""
    word = words[index]
    if not lookup.known(word) or lookup.common(word):
        return None
    following = words[index + 1] if index + 1 < len(words) else None
    if (
        following
        and text[word.end : following.start] in (" ", ", ", ",")
        and not following.capitalised
        and lookup.known(following)
        and not lookup.common(following)
    ):
        return index + 1
    return None if word.key in lookup.lists.english else index


def _cue_name_end(text: str, words: list[_Word], index: int, lookup: _Lookup) -> int | None:
    """The index of the last word of a name starting at words[index] after a cue, or None."""
    word = words[index]
    if not word.latin:
        return index  # "pt 王伟", "patient Иванов"
    if word.capitalised:
        if not _is_name_like(word, lookup):
            return None
    else:
        return _lower_case_name_end(text, words, index, lookup)
    end = index
    while end + 1 < len(words):
        following = words[end + 1]
        between = text[words[end].end : following.start]
        if words[end].possessive:
            break
        if between in (" ", ". ") and following.capitalised and _is_name_like(following, lookup):
            end += 1
        elif (
            between == ", "
            and following.capitalised
            and _is_name_like(following, lookup)
            and (lookup.known(following) or following.upper or "-" in following.text)
        ):
            end += 1  # "Pt: KIM, Soo-Jin"
        else:
            break
    return end


def _cued(text: str, words: list[_Word], lookup: _Lookup) -> Spans:
    for index, cue in enumerate(words[:-1]):
        honorific = cue.key in _HONORIFICS and (cue.capitalised or text[cue.end : cue.end + 1] == ".")
        if not (honorific or cue.key in _PATIENT_CUES):
            continue
        if cue.upper and cue.key in ("ms", "pt") and text[cue.end : cue.end + 1] != ".":
            continue  # "MS" is multiple sclerosis, "PT" physical therapy
        between = text[cue.end : words[index + 1].start]
        if cue.key in _PATIENT_CUES and not cue.key.startswith("pt") and "." in between:
            continue  # "…one patient. Nurses keep a list": a sentence ended
        if not _CUE_TO_NAME.fullmatch(between) or "\n" in between:
            continue
        start_index, linked = index + 1, False
        while start_index < len(words) - 1 and words[start_index].key in _CUE_LINKS:
            linked = linked or words[start_index].key in _WEAK_LINKS
            start_index += 1
        first = words[start_index]
        if first.capitalised and (_STAFF_TITLE.fullmatch(first.text) or _STAFF_TITLE.fullmatch(first.text.rstrip("s"))):
            continue  # "patients Nurse Kim saw"
        if first.latin and (lookup.everyday(first) or lookup.common(first) and not lookup.known(first)):
            continue  # "Patient Education", "Master Patient Index"
        # A capitalised "Patient" inside a sentence starts a screen's or a team's name ("the Patient
        # Kiosk"); so do "is"/"was" ("the patient is Korean"): then only a known name counts.
        title_case = (
            cue.capitalised and not honorific and cue.start > 0 and not _SENTENCE_END.search(text, 0, cue.start)
        )
        if first.latin and (linked or title_case and not re.search(r"[:,]", between)) and not lookup.known(first):
            continue
        end_index = _cue_name_end(text, words, start_index, lookup)
        if end_index is None:
            continue
        start = cue.start if honorific else first.start
        _, end = _span(words, start_index, end_index)
        if _staff_context(text, start, end) or _place_after(text, end):
            continue
        yield start, end


def _before_a_room(text: str, words: list[_Word], lookup: _Lookup) -> Spans:
    """A known name right before a bed or a room: "Maria in room 4", "Okafor (bed 2)"."""
    for word in words:
        if (
            word.latin
            and _is_name_like(word, lookup)
            and lookup.known(word)
            and not lookup.common(word)
            and _ROOM_AFTER.match(text, word.end)
            and not _staff_context(text, word.start, word.end)
        ):
            yield word.start, word.end + (2 if word.possessive else 0)


def _cjk_given(given: str, lists: NameLists) -> bool:
    return given in lists.cjk_given or all(char in lists.cjk_given_chars for char in given)


def _other_scripts(text: str, words: list[_Word], lookup: _Lookup) -> Spans:
    lists = lookup.lists
    for match in _CJK_RUN.finditer(text):
        run = match.group()
        for offset in range(len(run) - 1):
            found = next(
                (
                    (offset, offset + cut + size)
                    for cut in (2, 1)
                    for size in (2, 1)
                    if run[offset : offset + cut] in lists.cjk_surnames
                    and len(run[offset + cut : offset + cut + size]) == size
                    and _cjk_given(run[offset + cut : offset + cut + size], lists)
                ),
                None,
            )
            if found:
                yield match.start() + found[0], match.start() + found[1]
                break
    native = [word for word in words if not word.latin]
    for left, right in zip(native, native[1:], strict=False):
        if text[left.end : right.start].strip() == "" and lookup.known(left) and lookup.known(right):
            yield left.start, right.end


def name_spans(reading: Reading) -> Spans:
    text = reading.text
    lookup = _Lookup(name_lists())
    words = _words(text)
    yield from _cued(text, words, lookup)
    yield from _last_comma_first(text, words, lookup)
    yield from _side_by_side(text, words, lookup)
    yield from _before_a_room(text, words, lookup)
    yield from _other_scripts(text, words, lookup)
