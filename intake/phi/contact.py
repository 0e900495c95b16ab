"""Ways to reach a person: e-mail addresses, phone numbers, street addresses.

Each recognizer reads the folded text (see text.py) and yields (start, end) spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from .numbers import SPACED_DIGITS, compile_lower
from .text import Reading

Spans = Iterator[tuple[int, int]]

# ---------------------------------------------------------------------------------------------
# E-mail, plain and spelled out ("jsmith at gmail dot com", "j.smith [at] example [dot] org")

_BRACKETED_AT = r"\s*[(\[{<]\s*(?i:at)\s*[)\]}>]\s*"
_BRACKETED_DOT = r"\s*[(\[{<]\s*(?i:dot)\s*[)\]}>]\s*"
_SPOKEN_AT = r"(?:\s+(?i:at)\s+|\s*-(?i:at)-\s*|_(?i:at)_)"
_SPOKEN_DOT = r"(?:\s+(?i:dot|period)\s+|\s*-(?i:dot)-\s*|_(?i:dot)_)"
_LOCAL = r"[A-Za-z0-9][\w.%+'-]*"
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]*"
_EMAIL_PLAIN = re.compile(rf"{_LOCAL}\s?@\s?{_LABEL}(?:\s?\.\s?{_LABEL})*")
_EMAIL_OBFUSCATED = re.compile(
    rf"(?P<local>{_LOCAL})(?P<at>{_BRACKETED_AT}|{_SPOKEN_AT}|\s?@\s?)"
    rf"(?P<domain>{_LABEL}(?:(?:{_BRACKETED_DOT}|{_SPOKEN_DOT}|\.){_LABEL})+|{_LABEL})"
)
# Where people keep their mail: a domain made of one of these needs no top-level domain to count.
_MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo ymail rocketmail hotmail outlook live msn aol icloud me mac proton protonmail pm "
    "comcast verizon att sbcglobal bellsouth charter cox earthlink juno gmx web mail zoho yandex qq 163 126 "
    "fastmail hey tutanota tuta mailinator".split()
)
# Providers whose name is no English word or product people log in "at": "jsmith at gmail" is an address.
_MAIL_ONLY_PROVIDERS = frozenset("gmail googlemail yahoo ymail hotmail aol icloud protonmail comcast sbcglobal".split())
_TOP_LEVEL = frozenset(
    "com org net edu gov mil int io co us uk ca au nz ie in de fr es it nl be ch at se no dk fi pl pt br mx ar "
    "cl co jp cn kr tw hk sg my ph vn th id za ng ke gh ru ua tr gr il ae sa eg ma info biz me fm tv cc app dev "
    "health care email mail online site xyz tech ai".split()
)


def _email_parts(domain: str) -> list[str]:
    return [
        part.lower()
        for part in re.split(r"(?i)\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+(?:dot|period)\s+|-dot-|_dot_|\.", domain)
    ]


# Where an address could be: an "@" or a spelled-out "at". The patterns run from the word before it.
_AT_ANCHOR = re.compile(r"@|[(\[{<]\s*(?i:at)\s*[)\]}>]|\s(?i:at)\s|-(?i:at)-|_(?i:at)_")
_LOCAL_TAIL = re.compile(r"[A-Za-z0-9][\w.%+'-]*\s?$")
# Role mailboxes are no person's address: "helpdesk@clinic.org".
_ROLE_MAILBOXES = frozenset(
    "helpdesk help-desk servicedesk service-desk support it itsupport noreply no-reply donotreply info admin "
    "webmaster postmaster billing registration scheduling appointments referrals records medicalrecords "
    "pharmacy lab frontdesk front-desk clinic office".split()
)


def _accepted(match: re.Match[str]) -> bool:
    at, domain = match.group("at"), match.group("domain")
    parts = _email_parts(domain)
    provider = parts[0] in _MAIL_PROVIDERS
    spelled_dot = len(parts) > len(domain.split("."))
    top_level = len(parts) > 1 and parts[-1] in _TOP_LEVEL
    return bool(
        ("@" in at or at.strip().startswith(("(", "[", "{", "<")))
        and (provider or top_level)
        or provider
        and top_level
        or len(parts) == 1
        and parts[0] in _MAIL_ONLY_PROVIDERS  # "jsmith at gmail"
        or spelled_dot
        and top_level  # "j.smith at example dot org"
        or top_level
        and re.search(r"[._+\d]", match.group("local"))  # not "the portal at mychart.org"
    )


def email_spans(reading: Reading) -> Spans:
    text = reading.text
    for anchor in _AT_ANCHOR.finditer(text):
        local = _LOCAL_TAIL.search(text, max(0, anchor.start() - 64), anchor.start())
        if not local or local.group().strip().lower() in _ROLE_MAILBOXES:
            continue
        plain = _EMAIL_PLAIN.match(text, local.start()) if anchor.group() == "@" else None
        if plain:
            parts = _email_parts(plain.group().split("@", 1)[1].strip())
            if len(parts) > 1 and len(parts[-1]) >= 2 and parts[-1].isalpha() or parts[0] in _MAIL_PROVIDERS:
                yield plain.start(), plain.end()
                continue
        spelled = _EMAIL_OBFUSCATED.match(text, local.start())
        if spelled and _accepted(spelled):
            yield spelled.start(), spelled.end()


# ---------------------------------------------------------------------------------------------
# Phone numbers

# How the digits of a North American number are grouped when people write them: 555-0190,
# 312-555-0199, 1-800-555-0134, 7185550172, 1 718 555 0172. Other groupings (a lot "2024-113", an
# NDC code "0006-4121-02") are not phone numbers unless written in international form (+44 ...)
# or after a phone cue ("cell 07700 900123").
_NANP_GROUPS = {(3, 4), (3, 3, 4), (1, 3, 3, 4), (10,), (11,), (3, 7), (1, 10), (6, 4), (3, 3, 2, 2), (1, 3, 7)}
_PHONE_CUE = compile_lower(
    r"(?i:\b(?:phone|ph|cell(?:phone)?|mobile|mob|tel|telephone|callback|call-?back|call(?:ed)?(?:\s+back)?"
    r"|text(?:ed)?|sms|voicemail|vm|whatsapp|fax|pager|contact|reach(?:ed)?|dial(?:ed)?|home|work"
    r"|(?:his|her|their|mom's|dad's|mother's|father's|daughter's|son's|wife's|husband's|patient's)\s+number)\b)"
    r"(?:[\s:#.=,-]|(?<=\s)(?i:at|on|to|is|was|of|no|num|number)\b)*"
)
_CUED_DIGITS = re.compile(r"\+?\(?\d[\d\s().-]{5,22}\d")
_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension)\s*\d")


# Where a phone number could be: seven or more digits with the punctuation numbers are written with.
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")


def phone_spans(reading: Reading) -> Spans:
    text = reading.text
    # libphonenumber reads only the stretches that hold enough digits, with a little context around them.
    for run in _DIGIT_RUN.finditer(text):
        if sum(char.isdigit() for char in run.group()) < 7:
            continue
        offset = max(0, run.start() - 4)
        window = text[offset : run.end() + 16]
        for match in phonenumbers.PhoneNumberMatcher(window, "US", leniency=phonenumbers.Leniency.POSSIBLE):
            number = _EXTENSION.split(match.raw_string)[0]
            groups = tuple(len(group) for group in re.findall(r"\d+", number))
            if number.lstrip("(").startswith("+") or (
                groups in _NANP_GROUPS and (groups != (3, 4) or not number.isdigit())
            ):
                yield offset + match.start, offset + match.end
    for cue in reading.near_digits(_PHONE_CUE, lower=True):
        digits = _CUED_DIGITS.match(text, cue.end())
        if digits and 7 <= sum(char.isdigit() for char in digits.group()) <= 15:
            yield digits.start(), digits.end()
    for match in reading.near_digits(SPACED_DIGITS):
        if sum(char.isdigit() for char in match.group()) >= 10:
            yield match.start(), match.end()


# ---------------------------------------------------------------------------------------------
# Street addresses

# Capitalised, as street names are written ("12 Providers run late" is no address), or one of the
# unmistakable ones in lower case.
_STREET_SUFFIX = (
    r"(?:(?=[A-Z])(?i:street|str|st|avenue|ave|av|road|rd|lane|ln|drive|drv|dr|boulevard|blvd|court|ct|way|wy|place|pl"
    r"|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|alley|aly|crescent|cres|pike"
    r"|plaza|route|rte|expressway|expy|freeway|fwy|turnpike|tpke|close|row|walk|heights|hts|path|run|pass"
    r"|crossing|xing|commons|mews|gardens|gdns|grove|grv|glen|hollow|bend|cove|landing|ridge|point|pt"
    r"|estates|manor|meadows?|park|view|vista|knoll|bluff|creek|hill|hills|green|gate|field|fields|wood"
    r"|woods|brook|spur|causeway|esplanade|promenade|quay|wharf)"
    r"|street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|court|ct|parkway|pkwy|highway|hwy|terrace)\b\.?"
)
_DIRECTION = r"(?:(?:[NSEW]|NE|NW|SE|SW)\.?|North|South|East|West|Northeast|Northwest|Southeast|Southwest)"
_STREET_WORD = r"(?:[A-Z][a-zA-Z'-]+|\d{1,3}(?:st|nd|rd|th))"
_UNIT_WORD = r"apt|apartment|unit|suite|ste|#|flat|bldg|trlr"
_UNIT = rf"(?:,?\s+(?i:{_UNIT_WORD}|no\.|number|floor|fl|room|rm|building|lot|space)\.?\s*#?\s*[A-Za-z0-9-]{{1,6}}\b)"
_RESIDENCE_UNIT = rf"(?:,?\s+(?i:{_UNIT_WORD})\.?\s*#?\s*(?:[A-Za-z]?\d[A-Za-z0-9-]{{0,5}}|[A-Za-z])\b)"
# A house number; the look-behind follows the first digit so that the scan can jump from digit to digit.
_HOUSE_NUMBER = r"\d(?<![\w/.,:$#-]\d)\d{0,5}[A-Za-z]?(?:-\d{1,4})?"
_ADDRESS = re.compile(
    rf"{_HOUSE_NUMBER}\s+(?:{_DIRECTION}\s+)?{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,3}}?\s+{_STREET_SUFFIX}"
    rf"(?:\s+{_DIRECTION}\b\.?)?{_UNIT}?"
    rf"|{_HOUSE_NUMBER}\s+(?:{_DIRECTION}\s+)?(?!{_DIRECTION}\b){_STREET_WORD}(?:\s+{_STREET_WORD}){{0,2}}{_RESIDENCE_UNIT}"
    r"|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b"
    r"|\b(?:Calle|Avenida|Av\.|Rua|Rue|Via|Viale|Carrer|Camino|Paseo)\s+(?:(?:de|del|la|las|los|da|do|des|du)\s+)*"
    r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3},?\s+(?:n[o.]?\s*)?\d{1,5}[A-Za-z]?\b"
    r"|\b[A-Z][a-z]+(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b"
)
# The same, where case does not matter: read in the lowered text, each only if its word is there.
_ADDRESS_ANY_CASE = (
    (
        ("route", "rte", "highway", "hwy", "road", "rd", "us ", "interstate", "i-"),
        compile_lower(
            r"\d(?<![\w/.-]\d)\d{0,5}\s+(?:route|rte|highway|hwy|county\s+road|county\s+rd|state\s+route|us|interstate"
            r"|i-)\s*\d{1,4}\b"
        ),
    ),
    (("box",), compile_lower(r"\b(?:p\.?\s?o\.?\s*box|post\s+office\s+box)\s+\d+")),
    (
        ("zip", "postal", "postcode"),
        compile_lower(r"\b(?:zip(?:\s*code)?|postal\s+code|postcode)[\s:#]*\d{5}(?:-\d{4})?\b"),
    ),
)
# Without a street word, a house number and a name are an address when the text says so: "lives at
# 77 Elm", "home address: 12 Orchard".
_ADDRESS_CUE = compile_lower(
    r"(?i:\b(?:lives|living|lived|resides|residing|staying|stays)\s+(?:at|on)|\bhome\s+(?:address\s+)?(?:is\s+)?(?:at|on|:)"
    r"|\b(?:home\s+|mailing\s+|street\s+)?address(?:\s+(?:is|was|of))?\s*[:=]?|\bmailed\s+to)\s+"
)
_CUED_ADDRESS = re.compile(
    rf"{_HOUSE_NUMBER}\s+(?:{_DIRECTION}\s+)?{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,2}}"
    # or a street without its number: "lives on Maple Ave, #12"
    rf"|(?:{_DIRECTION}\s+)?{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,2}}?\s+{_STREET_SUFFIX}{_UNIT}?"
)
# The clinic's own street is a place, not a patient's address: "the 200 Main Street clinic", "our
# clinic at 200 Main Street".
_PLACE_AFTER = re.compile(
    r"(?i)(?:'s)?\s+(?:urgent\s+care\s+|medical\s+|family\s+|primary\s+care\s+|main\s+)?(?:clinic|clinics|site|office|campus|location"
    r"|building|branch|practice|hospital|center|centre|lab|pharmacy|facility|annex|pavilion|outpatient)\b"
)
_PLACE_BEFORE = re.compile(
    r"(?i)\b(?:clinic|site|office|campus|location|building|branch|practice|hospital|center|centre|lab|pharmacy"
    r"|facility|headquarters|hq|vendor|company|we|ours?)(?:'s)?"
    r"(?:(?:\s+(?:is|are|was|were|sits|moved|located|opened|now))*\s+(?:at|on|to)"
    r"|\s+(?:mailing\s+|street\s+|new\s+)?address(?:\s+(?:is|was))?\s*[:,]?)\s+$"
)
# Whose address it is when not the patient's: "our clinic's address", "the vendor's mailing address".
_PLACE_OWNER = re.compile(
    r"\b(?:clinic|office|site|campus|location|practice|hospital|pharmacy|lab|vendor|company|our|new|old\s+clinic)"
    r"(?:'s)?\s*(?:\w+\s+){0,2}$"
)


def _is_a_place(text: str, start: int, end: int) -> bool:
    return bool(_PLACE_AFTER.match(text, end) or _PLACE_BEFORE.search(text[max(0, start - 60) : start]))


def address_spans(reading: Reading) -> Spans:
    text = reading.text
    patterns = [(_ADDRESS, False)] + [
        (pattern, True) for words, pattern in _ADDRESS_ANY_CASE if any(word in reading.lower for word in words)
    ]
    for pattern, lower in patterns:
        for match in reading.near_digits(pattern, lower=lower):
            if not _is_a_place(text, match.start(), match.end()):
                yield match.start(), match.end()
    for cue in _ADDRESS_CUE.finditer(reading.lower):
        address = _CUED_ADDRESS.match(text, cue.end())
        if not address or re.fullmatch(rf"\S+\s+{_DIRECTION}", address.group()):
            continue  # "moved to 3 West": a unit
        if _PLACE_OWNER.search(reading.lower, max(0, cue.start() - 24), cue.start()):
            continue  # "the clinic's address is 200 Main Street"
        yield address.start(), address.end()
