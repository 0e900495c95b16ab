"""The patient-information screen of product.md §10.

`phi_screen_fields` checks free-text fields before anything is stored, logged or queued, and
raises a ValidationError naming the field, the kind of identifier and where it is. The refused
text itself is never put into the message beyond the position, and never logged.

How it finds identifiers:

- phone numbers: Google's libphonenumber (the `phonenumbers` package, "lite" build without the
  geocoder data) finds numbers in free text in every common format, national and international;
- e-mail, SSN, MRN, dates of birth and street addresses: recognizers written here, each a pattern
  plus the context words that make it an identifier (a date is a date of birth when a birth cue
  is near or its year is long past; a number is an MRN when a record cue precedes it);
- patient names: a name after a patient cue ("pt", "patient", "Mr./Mrs./Ms.") or, without a
  cue, a first name followed by a surname from Faker's per-locale name lists (tens of thousands
  of names from many countries). Names after a provider or staff title ("Dr. Patel", "Nurse
  Kim's", "NP Rivera") are not patient information and are let through.

Why not a ready-made scrubber: Presidio's AnalyzerEngine downloads a spaCy model when it starts
(it fails here, offline); its pattern recognizers used alone (e-mail, US SSN, phone, date) catch
144 of the 210 sample identifiers (none of the names, MRNs or addresses) and refuse 7 of 155 of
our clean texts (event dates), while pulling in spaCy, numpy and thinc. scrubadub brings
scikit-learn, nltk and textblob for the same kind of patterns. Either would still need the
clinical cues ("MR#", "pt", "D.O.B.") and the provider-name exceptions written here. phonenumbers does one hard
thing (phone formats the world over) well, so it is used; Faker (already used by the tests'
factories) supplies name lists that would otherwise be copied in by hand.

Measured with `python -m tests.intake.phi_eval` on tests/data/phi/samples.jsonl and on
tests/data/phi/heldout.jsonl (other names, phrasings and templates, written apart).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


KIND_LABELS = {
    "mrn": "a medical record number",
    "ssn": "a social security number",
    "dob": "a date of birth",
    "phone": "a phone number",
    "email": "an e-mail address",
    "address": "a street address",
    "name": "a patient name",
}

# ---------------------------------------------------------------------------------------------
# E-mail, SSN, MRN

_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")

_SSN_SHAPED = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")
_SSN_CUED = re.compile(
    r"(?i:\b(?:ssn|ss\s?#|ss\s?no\.?|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)\b)"
    r"[\s:#=.-]*(?:is\s+|was\s+)?(?P<id>\d{3}[\s.-]?\d{2}[\s.-]?\d{4})(?!\d)"
)

_MRN_CUE = (
    r"(?i:\bmrn\b|\bmr\s?#|\bmr\s+(?:number|no\b\.?)|\bmedical\s+record(?:\s+(?:number|no\b\.?|#))?"
    r"|\brecord\s+(?:number|no\b\.?|#)|\bchart\s*(?:number|no\b\.?|#|id\b)|\bpatient\s+(?:id|identifier|number|no\b\.?|#)"
    r"|\bacct\b\.?|\baccount\s+(?:number|no\b\.?|#)|\bencounter\s+(?:number|no\b\.?|#)|\bcsn\b|\bfin\b)"
)
_MRN = re.compile(_MRN_CUE + r"[\s:#=.-]*(?:is\s+|was\s+)?(?P<id>[A-Z]{0,3}-?\d(?:[\d-]{2,14})\d)\b")

# ---------------------------------------------------------------------------------------------
# Dates of birth

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_NUMERIC_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})"
_TEXT_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH},?\s+\d{{4}})"
)
_ANY_DATE = rf"(?:{_NUMERIC_DATE}|{_TEXT_DATE})"
_BIRTH_CUE = r"(?i:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?(?:date|day)\b|\bborn\b|\bb\.(?=\s*\d))"
# A birth cue, then at most four short words (", on", "is", "in 1950 on"), then a date.
_DOB_CUED = re.compile(_BIRTH_CUE + rf"[\s:=)(,-]*(?:[\w']{{1,8}}[\s,:]+){{0,4}}?(?P<date>{_ANY_DATE})(?!\d)")
_FULL_DATE = re.compile(
    # Without a birth cue a two-digit year counts only when written with slashes (4/5/88): "12-24-48
    # hours" is a schedule.
    rf"(?<![\d/.-])(?:(?P<m1>\d{{1,2}})(?P<sep>[/.-])(?P<d1>\d{{1,2}})(?P=sep)(?P<y1>\d{{4}}|(?<=/)\d{{2}})"
    rf"|(?P<y2>\d{{4}})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<y4>\d{{4}}))(?![\d/-])"
)
# A full date this many years old is a birth date, not the date of something that happened in a
# clinic's software; events in a problem statement are recent.
_OLD_DATE_YEARS = 20


def _year(value: str) -> int:
    year = int(value)
    if year < 100:
        this_year = date.today().year % 100
        year += 2000 if year <= this_year else 1900
    return year


def _dob_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _DOB_CUED.finditer(text):
        yield match.start(), match.end("date")
    cutoff = date.today().year - _OLD_DATE_YEARS
    for match in _FULL_DATE.finditer(text):
        groups = match.groupdict()
        if groups["m1"] and not (1 <= int(groups["m1"]) <= 12 or 1 <= int(groups["d1"]) <= 12):
            continue
        year = next(groups[key] for key in ("y1", "y2", "y3", "y4") if groups[key])
        if 1900 <= _year(year) <= cutoff:
            yield match.start(), match.end()


# ---------------------------------------------------------------------------------------------
# Phone numbers

# How the digits of a North American number are grouped when people write them: 555-0190,
# 312-555-0199, 1-800-555-0134, 7185550172, 1 718 555 0172. Other groupings (a lot "2024-113", an
# NDC code "0006-4121-02") are not phone numbers unless written in international form (+44 ...).
_NANP_GROUPS = {(3, 4), (3, 3, 4), (1, 3, 3, 4), (10,), (11,), (3, 7), (1, 10)}


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE):
        number = re.split(r"(?i)\s*(?:x|ext\.?|extension)\s*\d", match.raw_string)[0]
        groups = tuple(len(group) for group in re.findall(r"\d+", number))
        if number.lstrip("(").startswith("+"):
            yield match.start, match.end
        elif groups in _NANP_GROUPS and (groups != (3, 4) or not number.isdigit()):
            yield match.start, match.end


# ---------------------------------------------------------------------------------------------
# Street addresses

_STREET_SUFFIX = (
    r"(?i:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|ter"
    r"|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|alley|crescent|pike|plaza|route|rte"
    r"|expressway|freeway|turnpike|close|row|walk|heights|hts)\b\.?"
)
_DIRECTION = r"(?:(?:[NSEW]|NE|NW|SE|SW)\.?|North|South|East|West)"
_STREET_WORD = r"(?:[A-Z][a-zA-Z'’-]+|\d{1,3}(?:st|nd|rd|th))"
_UNIT = r"(?:,?\s+(?i:apt|apartment|unit|suite|ste|#|no\.|floor|fl)\.?\s*#?\s*[A-Za-z0-9-]{1,6})"
_ADDRESS = re.compile(
    rf"(?<![\w/.-])\d{{1,6}}[A-Za-z]?\s+(?:{_DIRECTION}\s+)?{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,3}}?\s+{_STREET_SUFFIX}"
    rf"{_UNIT}?"
    r"|(?<![\w/.-])\d{1,6}\s+(?i:route|highway|hwy|county\s+road|state\s+route|us)\s+\d{1,4}\b"
    r"|\b(?i:p\.?\s?o\.?\s+box)\s+\d+"
    r"|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
)

# ---------------------------------------------------------------------------------------------
# Patient names

_NAME_TOKEN = r"(?:[A-Z]\.\s?)?(?:[A-Z]['’])?[A-Z][a-zA-Z]*[a-z](?:-[A-Z][a-zA-Z]*[a-z])*"
_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|da|di|du|le|la|bin|al|ben|st\.)\s+)"
_FULL_NAME = rf"{_NAME_TOKEN}(?:\s+{_PARTICLE}*{_NAME_TOKEN}){{0,2}}"

_HONORIFIC = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Mister|Master)\b\.?\s+(?P<name>{_PARTICLE}*{_FULL_NAME})")
_PATIENT_CUE = re.compile(
    # Only the abbreviation takes a period ("pt. Lopez"); "…a patient. Nurses keep…" ends a sentence.
    r"(?i:\b(?:(?:patient|client)s?\b(?:['’]s)?|pts?\b\.?))"
    r"(?:\s*[:,-]\s*|\s+)(?:(?i:named|called|is|was|name\s+is)\s+)?"
    rf"(?P<name>{_FULL_NAME})"
)
_NAME_WORD = re.compile(rf"\b{_NAME_TOKEN}(?P<poss>['’]s\b)?")

# Titles and staff words that make the following name a provider's or a colleague's ("Dr. Patel",
# "Nurse Kim's", "NP Rivera", "our practice manager Ms. Alvarez", "Ms. Alvarez, our practice manager").
_CREDENTIAL = r"(?:NP|PA|PA-C|RN|LPN|LVN|CNA|MA|APP|APRN|CRNA|MD|DO|PhD|PharmD|DNP|FNP|FNP-C)"
_STAFF_WORD = (
    r"(?i:dr|doctor|nurse|practitioner|scribe|tech|technician|therapist|pharmacist|provider|physician|midwife"
    r"|surgeon|hospitalist|resident|intern|fellow|manager|director|supervisor|administrator|coordinator|lead"
    r"|chief|colleague|coworker|co-worker|receptionist|registrar|analyst|trainer|educator|champion|attending)"
)
_STAFF_TITLE = re.compile(rf"{_STAFF_WORD}|{_CREDENTIAL}")
_STAFF_BEFORE = re.compile(rf"\b(?:{_STAFF_WORD}|{_CREDENTIAL})\b\.?,?\s*$")
_STAFF_AFTER = re.compile(
    rf"^(?:['’]s)?(?:,\s*{_CREDENTIAL}\b|,?\s+(?:(?i:who\s+is\s+|is\s+)?(?i:our|the|a)\s+(?:[\w-]+\s+){{0,2}}"
    rf"{_STAFF_WORD}\b|\((?:[\w-]+\s+){{0,2}}{_STAFF_WORD}\)|(?i:from)\s+(?:the\s+)?(?:IT|HR|billing|registration)\b))"
)
_INSTITUTION_AFTER = re.compile(
    r"^\s+(?i:clinic|hospital|medical|health|center|centre|urgent|campus|site|pharmacy|practice|building"
    r"|pavilion|family\s+(?:medicine|practice)|street|st\b|avenue|road|lane|drive|way)"
)

# Capitalized words that follow "patient" as a department, screen or product name, and common
# sentence words that can follow "pt." at a sentence end. They are not names.
_NOT_NAMES = frozenset(
    """
    Access Accounts Advocate Advocacy Appointment Arrival Assistance Banner Bed Board Care Chart Check Checkin
    Communication Contact Demographics Education Experience Family Financial Flow Forms Header Home Identification
    Info Information Instructions Intake Label Labels List Lookup Messages Messaging Name Names Navigator Number
    Portal Queue Record Records Registration Relations Room Safety Satisfaction Search Services Status Summary
    Tracking Transfer Transport Transportation Wristband Wristbands Id Wi-Fi Wifi Kiosk App Tablet Monitor Pager
    Station Tracker Line Lines Phone Calls Call Letter Letters Flowsheet Workflow Workflows Assessment Handout
    The This That These Those Then There They Their Them We Our He She His Her It Its If In On At As An And But
    Or So Not No Yes When While After Before Because Since Also Still Every Each All Some Any Both Today
    Yesterday Tomorrow Later Now Please Note Per Was Were Is Are Has Had Have Who Which What Where Why How
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Epic Cerner Athena Meditech Meditech
    """.split()
)


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """First names and surnames in Latin script from Faker's person providers, many locales."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    for locale in _NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            firsts.update(_latin_names(getattr(provider, attribute, ())))
        lasts.update(_latin_names(getattr(provider, "last_names", ())))
    return frozenset(firsts - _NOT_NAMES), frozenset(lasts - _NOT_NAMES)


_NAME_LOCALES = (
    "en_US en_GB en_IE en_CA en_AU en_NZ en_IN en_PK en_NG en_KE en_PH yo_NG ig_NG ha_NG tw_GH sw zu_ZA es_ES es_MX "
    "es_CO es_AR fr_FR fr_CA de_DE de_AT it_IT pl_PL pt_BR pt_PT nl_NL vi_VN tr_TR sv_SE fi_FI da_DK no_NO cs_CZ "
    "sk_SK ro_RO hu_HU hr_HR sl_SI lt_LT lv_LV et_EE id_ID az_AZ uz_UZ ga_IE is_IS fil_PH"
).split()
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z'-]+")


def _latin_names(names) -> Iterator[str]:
    return (name for name in names if _LATIN_NAME.fullmatch(name))


def _staff_context(text: str, start: int, end: int) -> bool:
    return bool(_STAFF_BEFORE.search(text[max(0, start - 40) : start]) or _STAFF_AFTER.search(text[end : end + 60]))


def _is_not_a_name(word: str) -> bool:
    word = word.split(".")[-1].strip()
    return word in _NOT_NAMES or word.rstrip("s") in _NOT_NAMES


def _name_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _HONORIFIC.finditer(text):
        if not _staff_context(text, match.start(), match.end()):
            yield match.start(), match.end()
    for match in _PATIENT_CUE.finditer(text):
        first_word = match.group("name").split()[0]
        if _STAFF_TITLE.fullmatch(first_word) or _STAFF_TITLE.fullmatch(first_word.removesuffix("s")):
            continue  # "patients Nurse Kim saw", "pt. Nurses keep a list": staff, not a patient
        if not _is_not_a_name(first_word) and not _INSTITUTION_AFTER.match(text[match.end() :]):
            yield match.start("name"), match.end("name")
    firsts, lasts = _name_lists()
    words = list(_NAME_WORD.finditer(text))
    for first, last in zip(words, words[1:], strict=False):
        between = text[first.end() : last.start()]
        if first.group("poss") or not re.fullmatch(rf"\s+{_PARTICLE}*", between):
            continue
        first_name, last_name = first.group().split("'")[0], last.group().split("'")[0].split("’")[0]
        known = (first_name in firsts) + (last_name in lasts)
        if first_name in _NOT_NAMES or _STAFF_TITLE.fullmatch(first_name):
            continue
        if known == 2 or (known == 1 and last.group("poss")):
            if not _staff_context(text, first.start(), last.end()) and not _INSTITUTION_AFTER.match(text[last.end() :]):
                yield first.start(), last.end()


# ---------------------------------------------------------------------------------------------
# The screen


def _regex_spans(pattern: re.Pattern[str], group: str | int = 0):
    def spans(text: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(text):
            yield match.start(group), match.end(group)

    return spans


# In order of precedence: where two recognizers claim the same characters, the first one names them.
_RECOGNIZERS = (
    ("email", _regex_spans(_EMAIL)),
    ("ssn", _regex_spans(_SSN_CUED, "id")),
    ("ssn", _regex_spans(_SSN_SHAPED)),
    ("mrn", _regex_spans(_MRN, "id")),
    ("dob", _dob_spans),
    ("phone", _phone_spans),
    ("address", _regex_spans(_ADDRESS)),
    ("name", _name_spans),
)


def phi_find(text: str) -> list[Finding]:
    """Every patient identifier found in `text`, by position; overlapping claims are resolved once."""
    if not text:
        return []
    findings: list[Finding] = []
    for kind, spans in _RECOGNIZERS:
        for start, end in spans(text):
            if not any(start < other.end and other.start < end for other in findings):
                findings.append(Finding(kind=kind, start=start, end=end))
    return sorted(findings, key=lambda f: f.start)


def phi_message(finding: Finding, text: str, field: str | None = None, label: str | None = None) -> str:
    """Name the field, the kind of identifier and where it is; never quote the text itself."""
    line = text.count("\n", 0, finding.start) + 1
    column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
    where = f"line {line}, characters {column}–{column + finding.end - finding.start - 1}"
    name = label or (field.replace("_", " ").capitalize() if field else "This")
    subject = f"{name} holds"
    return (
        f"{subject} what looks like {KIND_LABELS[finding.kind]} ({where}). Bridge must not hold patient "
        "information: describe the problem without it."
    )


MESSAGES_PER_FIELD = 5


def phi_screen_fields(fields: dict[str, str], *, labels: dict[str, str] | None = None) -> None:
    """Raise ValidationError({field: [message, …]}) if any field holds patient information.

    `labels` gives the words a message uses for a field (default: the field name in plain words).
    """
    errors: dict[str, list[str]] = {}
    for name, text in fields.items():
        findings = phi_find(text)
        label = (labels or {}).get(name)
        messages = [phi_message(finding, text, name, label) for finding in findings[:MESSAGES_PER_FIELD]]
        if len(findings) > MESSAGES_PER_FIELD:
            messages.append(f"… and {len(findings) - MESSAGES_PER_FIELD} more places like these.")
        if messages:
            errors[name] = messages
    if errors:
        raise ValidationError(errors)
