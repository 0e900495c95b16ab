"""The patient-information screen (docs/domain.md, Patient information; docs/deploy.md).

`phi_screen_fields` checks free-text fields before anything is stored, logged or queued, and
raises a ValidationError naming the field, the kind of identifier and where it is. The refused
text itself is never put into the message beyond the position, and never logged.

How it finds identifiers:

- the text is folded first (text.py): invisible characters removed, NFKC, accents off Latin letters,
  look-alike letters of other scripts read as the Latin ones they pose as, digits of any script
  read as 0–9; every folded character keeps its place in what the user typed, so positions in the
  messages point there;
- phone numbers: Google's libphonenumber (the `phonenumbers` package, "lite" build without the
  geocoder data) finds numbers in free text in every common format, national and international;
  a phone cue ("cell", "callback") makes any 7–15 digit grouping one (contact.py);
- e-mail addresses, plain and spelled out ("jsmith at gmail dot com"), and street addresses, with or
  without a street word when a unit or an address cue says so ("77 Elm, apartment 3") (contact.py);
- SSNs, record numbers (MRN, chart, encounter), account/member/policy numbers and dates of birth:
  a pattern plus the context words that make it an identifier (numbers.py);
- patient names (names.py): after a patient cue or an honorific, "Last, First", a known given name
  beside a known surname (Faker's per-locale name lists, romanised East Asian names, other
  scripts), never a provider's or a colleague's name ("Dr. Patel", "NP Rivera").

Why not a ready-made scrubber: Presidio's AnalyzerEngine downloads a spaCy model when it starts
(it fails here, offline); its pattern recognizers used alone (e-mail, US SSN, phone, date) catch
144 of the 210 sample identifiers (none of the names, MRNs or addresses) and refuse 7 of 155 of
our clean texts (event dates), while pulling in spaCy, numpy and thinc. scrubadub brings
scikit-learn, nltk and textblob for the same kind of patterns. Either would still need the
clinical cues ("MR#", "pt", "D.O.B.") and the provider-name exceptions written here. phonenumbers
does one hard thing (phone formats the world over) well, so it is used; Faker supplies name lists
that would otherwise be copied in by hand; confusable_homoglyphs carries Unicode's confusables table.

Measured with `python -m tests.intake.phi_eval` on the labelled sets in tests/data/phi/.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .contact import address_spans, email_spans, phone_spans
from .names import name_spans
from .numbers import account_spans, dob_spans, mrn_spans, ssn_spans
from .text import Reading, screen_text


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


KIND_LABELS = {
    "mrn": "a medical record number",
    "account": "an account, member or policy number",
    "ssn": "a social security number",
    "dob": "a date of birth",
    "phone": "a phone number",
    "email": "an e-mail address",
    "address": "a street address",
    "name": "a patient name",
}

# In order of precedence: where two recognizers claim the same characters, the first one names them.
_RECOGNIZERS = (
    ("email", email_spans),
    ("ssn", ssn_spans),
    ("mrn", mrn_spans),
    ("account", account_spans),
    ("dob", dob_spans),
    ("phone", phone_spans),
    ("address", address_spans),
    ("name", name_spans),
)


def phi_find(text: str) -> list[Finding]:
    """Every patient identifier found in `text`, by its position in `text`; overlaps resolved once."""
    if not text:
        return []
    screened = screen_text(text)
    claimed: list[tuple[int, int]] = []
    findings: list[Finding] = []
    reading = Reading(screened.text)
    for kind, spans in _RECOGNIZERS:
        for start, end in spans(reading):
            if start < end and not any(start < other_end and other_start < end for other_start, other_end in claimed):
                claimed.append((start, end))
                findings.append(Finding(kind, *screened.original_span(start, end)))
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
