"""The patient-information screen of product.md §10.

`phi_screen_fields` checks free-text fields before anything is stored, logged or queued, and
raises a ValidationError naming the field, the kind of identifier and where it is. The refused
text itself is never put into the message beyond the position, and never logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("mrn", re.compile(r"\bMRN\s*[#:]?\s*\d{5,}\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?:\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")),
]


def phi_find(text: str) -> list[Finding]:
    findings = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            findings.append(Finding(kind=kind, start=match.start(), end=match.end()))
    return sorted(findings, key=lambda f: f.start)


def phi_message(finding: Finding, text: str) -> str:
    line = text.count("\n", 0, finding.start) + 1
    column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
    return (
        f"This looks like {KIND_LABELS[finding.kind]} (line {line}, characters {column}–"
        f"{column + finding.end - finding.start - 1}). Bridge must not hold patient information: "
        "describe the problem without it."
    )


def phi_screen_fields(fields: dict[str, str]) -> None:
    """Raise ValidationError({field: [message, …]}) if any field holds patient information."""
    errors: dict[str, list[str]] = {}
    for name, text in fields.items():
        if not text:
            continue
        for finding in phi_find(text):
            errors.setdefault(name, []).append(phi_message(finding, text))
    if errors:
        raise ValidationError(errors)
