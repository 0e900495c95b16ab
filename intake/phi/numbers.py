"""Identifying numbers: social security numbers, record and account numbers, dates of birth.

Each recognizer reads the folded text (see text.py) and yields (start, end) spans. A number is an
identifier by its shape where the shape says so (123-45-6789), otherwise by the cue before it
("MRN", "member id", "ss#", "DOB"): order codes, lot numbers, NDC codes, versions and ticket keys have
the same digits and no such cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .text import Reading

Spans = Iterator[tuple[int, int]]


def compile_lower(source: str) -> re.Pattern[str]:
    """A case-insensitive pattern compiled for Reading.lower: IGNORECASE scanning costs ten times more."""
    return re.compile(source.replace("(?i:", "(?:"))


# Up to four short words between a cue and its number: "SSN for this patient is", "DOB, on".
_GAP = r"(?:[\s:#=.,)(-]*(?:(?<=[\s:#=.,)(-])[\w']{1,10}[\s:#=.,]+){0,4}?)"
# Digits broken by single spaces, dots, dashes or slashes anywhere: "123 45 6789", "1-2-3-4-5-6-7-8-9".
_LOOSE_NINE = r"\d(?:[ ./-]?\d){8}(?![ ./-]?\d)"

# ---------------------------------------------------------------------------------------------
# Social security numbers

_SSN_SHAPED = re.compile(r"\d(?<![\d./-]\d)\d{2}(?:\s?[-./]\s?|\s)\d{2}(?:\s?[-./]\s?|\s)\d{4}(?![\d]|[-./]\d)")
_SSN_CUE = (
    r"(?i:\b(?:ssn|ss\s?(?:#|no\b\.?|num(?:ber)?\b)|s\.s\.(?:n\.?|#)|soc(?:ial)?\.?\s*sec(?:urity)?\b\.?"
    r"(?:\s*(?:number|num|no\b\.?|#|card))?|social(?:\s+(?:number|no\b\.?|#|card))?)(?!\w))"
)
# "SSN ending in 6789", "last four of SSN 6789"
_LAST_FOUR = r"(?i:(?:ending\s+in|last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:is|are|of))?)[\s:]*)\d{4}(?!\d)"
_SSN_CUED = compile_lower(_SSN_CUE + _GAP + rf"(?P<id>{_LOOSE_NINE}|{_LAST_FOUR})")
# Nine or more single digits spaced out to slip past patterns: "1 2 3 4 5 6 7 8 9".
SPACED_DIGITS = re.compile(r"\d(?<![\d./-]\d)(?:[ ./-]\d){8,14}(?![ ./-]?\d)")


def ssn_spans(reading: Reading) -> Spans:
    for match in reading.near_digits(_SSN_CUED, lower=True):
        yield match.start("id"), match.end("id")
    for match in reading.near_digits(_SSN_SHAPED):
        yield match.start(), match.end()
    for match in reading.near_digits(SPACED_DIGITS):
        if sum(char.isdigit() for char in match.group()) == 9:
            yield match.start(), match.end()


# ---------------------------------------------------------------------------------------------
# Medical record numbers, and account, member and policy numbers

_NUMBER_WORD = r"(?:number|num\b\.?|no\b\.?|nbr|#|id\b|identifier)"
_MRN_CUE = (
    rf"(?i:\bmrn\b|\bmr\s?{_NUMBER_WORD}|\bmed(?:ical|\.)?\s*rec(?:ord|\.)?s?\s*{_NUMBER_WORD}"
    rf"|\bmedical\s+record\b|\b(?:health\s+)?record\s*{_NUMBER_WORD}|\bchart\s*{_NUMBER_WORD}"
    rf"|\b(?:patient|pt)\s*{_NUMBER_WORD}|\b(?:encounter|visit|admission|case)\s*{_NUMBER_WORD}"
    rf"|\b(?:accession|specimen|requisition)\s*{_NUMBER_WORD}|\bcsn\b|\bfin\b|\bempi\b)"
)
_ACCOUNT_CUE = (
    rf"(?i:\bacct\b\.?(?:\s*{_NUMBER_WORD})?|\baccount\s*{_NUMBER_WORD}"
    rf"|\b(?:member|subscriber|beneficiary|policy|policyholder|insurance|insured|guarantor)\s*{_NUMBER_WORD}"
    rf"|\b(?:medicare|medicaid|mbi|hicn|medi-cal)(?:\s*{_NUMBER_WORD})?|\bclaim\s*{_NUMBER_WORD}"
    rf"|\bdriver'?s\s+licen[cs]e(?:\s*{_NUMBER_WORD})?|\bdl\s*#|\bpassport(?:\s*{_NUMBER_WORD})?)"
)
# A bare word that names a record, followed right away by a long number: "the chart 00412345".
_BARE_CUE = r"(?i:\b(?:chart|record|account|acct|member|patient|pt)\b)"
# An identifier: groups of letters and digits joined by single dashes, dots or spaces, every later
# group holding a digit ("A1234567", "XGH123456789", "1EG4-TE5-MK73", "E 0045 9812").
_ID = r"(?P<id>[A-Za-z]{0,4}-?\d[A-Za-z\d]*(?:[-. /][A-Za-z]{0,3}\d[A-Za-z\d]*){0,4})"
_MRN = compile_lower(_MRN_CUE + _GAP + _ID)
_ACCOUNT = compile_lower(_ACCOUNT_CUE + _GAP + _ID)
_BARE = compile_lower(_BARE_CUE + r"[\s:#=]*" + _ID)


def _id_spans(pattern: re.Pattern[str], reading: Reading, min_digits: int) -> Spans:
    for match in reading.near_digits(pattern, lower=True):
        ident = match.group("id").rstrip(".")
        if sum(char.isdigit() for char in ident) >= min_digits and len(ident) <= 24:
            yield match.start("id"), match.start("id") + len(ident)


def mrn_spans(reading: Reading) -> Spans:
    yield from _id_spans(_MRN, reading, 4)
    yield from _id_spans(_BARE, reading, 5)


def account_spans(reading: Reading) -> Spans:
    yield from _id_spans(_ACCOUNT, reading, 4)


# ---------------------------------------------------------------------------------------------
# Dates of birth

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)\d{2}|'?\d{2})"
_DSEP = r"\s?[/.-]\s?"
_NUMERIC_DATE = (
    rf"(?:\d{{1,2}}{_DSEP}\d{{1,2}}{_DSEP}(?:\d{{4}}|\d{{2}})|\d{{4}}{_DSEP}\d{{1,2}}{_DSEP}\d{{1,2}}"
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d{2})"
)
_TEXT_DATE = (
    rf"(?:{_MONTH}[\s/-]*{_DAY},?[\s/-]*{_YEAR}|{_DAY}[\s/-]*(?:of\s+)?{_MONTH},?[\s/-]*{_YEAR}"
    rf"|{_MONTH},?\s+(?:19|20)\d{{2}}|{_MONTH}\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTH}|\d{{1,2}}{_DSEP}\d{{1,2}})"
)
_ANY_DATE = rf"(?:{_NUMERIC_DATE}|{_TEXT_DATE})"
_BIRTH_CUE = (
    r"(?i:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?(?:date|day)s?\b|\bb-?day\b|\bborn\b"
    r"|\bb\.(?=\s*\d)|\bdob/age\b|\bfecha\s+de\s+nacimiento\b)"
)
_DOB_CUED = compile_lower(_BIRTH_CUE + _GAP + rf"(?P<date>{_ANY_DATE})(?![\d/])")
# Without a birth cue a two-digit year counts only when written with slashes (4/5/88): "12-24-48
# hours" is a schedule. Each pattern starts with what it must start with (a digit, a month's name),
# and the look-behind follows the first digit, so that the scan jumps to the candidates.
_NUMERIC_FULL_DATE = compile_lower(
    r"(?P<m1>\d(?<![\d/.-]\d)\d?)(?P<sep>[/.-])(?P<d1>\d{1,2})(?P=sep)(?P<y1>\d{4}|(?<=/)\d{2})(?![\d/-])"
    r"|(?P<y2>\d(?<![\d/.-]\d)\d{3})(?P<sep2>[-/.])(?P<m2>\d{1,2})(?P=sep2)(?P<d2>\d{1,2})(?![\d/-])"
)
_TEXT_FULL_DATE = compile_lower(
    rf"{_MONTH}[\s-]*{_DAY},?[\s-]*(?P<y3>\d{{4}})(?![\d/-])"
    rf"|\d(?<![\d/.-]\d)\d?(?:st|nd|rd|th)?[\s-]*(?:of\s+)?{_MONTH},?[\s-]*(?P<y4>\d{{4}})(?![\d/-])"
)
# A full date this many years old is a birth date, not the date of something that happened in a
# clinic's software; events in a problem statement are recent.
_OLD_DATE_YEARS = 20
# "Patients born before 1/1/1950", "since 01/01/2000": a date that bounds a group or a period.
_BOUND_WORDS = re.compile(r"(?i)\b(?:before|after|since|prior|until|till|between|from|through|older|younger|earlier)\b")


# Without a birth cue, an old date is a birth date when the sentence is about a person.
_PERSON_WORDS = re.compile(
    r"(?i)\b(?:patient|patients|pt|pts|he|she|his|her|him|man|woman|lady|gentleman|guy|boy|girl|child|kid|infant"
    r"|baby|newborn|toddler|teen|teenager|son|daughter|mother|father|mom|dad|wife|husband|grandmother|grandfather"
    r"|grandma|grandpa|veteran|member|client|person|someone|male|female|y/?o|yo|year-old|years?\s+old|mr|mrs|ms"
    r"|miss|age|aged|born|dob|birth|birthday|chart|charts)\b"
)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right = min(position for position in (text.find(". ", end), text.find("\n", end), len(text)) if position >= 0)
    return text[left + 1 : start] + " " + text[end:right]


def _year(value: str) -> int:
    year = int(value)
    if year < 100:
        this_year = date.today().year % 100
        year += 2000 if year <= this_year else 1900
    return year


def dob_spans(reading: Reading) -> Spans:
    text = reading.text
    for match in reading.near_digits(_DOB_CUED, lower=True):
        if not _BOUND_WORDS.search(text, match.start(), match.start("date")):
            yield match.start(), match.end("date")
    cutoff = date.today().year - _OLD_DATE_YEARS
    full_dates = (
        match for pattern in (_NUMERIC_FULL_DATE, _TEXT_FULL_DATE) for match in reading.near_digits(pattern, lower=True)
    )
    for match in full_dates:
        groups = {"m1": None, "m2": None, "y1": None, "y2": None, "y3": None, "y4": None, **match.groupdict()}
        if groups["m1"] and not (1 <= int(groups["m1"]) <= 12 or 1 <= int(groups["d1"]) <= 12):
            continue
        if groups["m2"] and not 1 <= int(groups["m2"]) <= 12:
            continue
        if _BOUND_WORDS.search(text, max(0, match.start() - 24), match.start()):
            continue
        if not _PERSON_WORDS.search(_sentence_around(text, match.start(), match.end())):
            continue  # "the policy dated 03/15/1999": an old document, not somebody's birthday
        year = next(groups[key] for key in ("y1", "y2", "y3", "y4") if groups[key])
        if 1900 <= _year(year) <= cutoff:
            yield match.start(), match.end()
