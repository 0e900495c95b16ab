"""A small phrase grammar for problem titles, statements and search queries.

Real backlogs repeat themselves: the same objects (an order set, the inbox, the after-visit
summary) fail in the same few ways at many sites. Building text from shared pieces gives the
similarity search the overlap it meets in production, without any patient information.
"""

from __future__ import annotations

import random

SUBJECTS: dict[str, list[str]] = {
    "charting": [
        "progress note template",
        "HPI section",
        "laceration repair smart phrase",
        "review of systems checklist",
        "physical exam macro",
        "problem list",
        "vitals flowsheet",
        "allergy reconciliation",
        "sports physical form",
        "note cosign queue",
    ],
    "orders": [
        "chest X-ray order",
        "urgent care lab order set",
        "rapid strep test order",
        "urinalysis order",
        "prescription refill",
        "DME order",
        "specialty referral order",
        "CT imaging order",
        "nebulizer treatment order",
        "tetanus vaccine order",
    ],
    "results": [
        "lab result",
        "imaging report",
        "rapid strep result",
        "urine culture result",
        "EKG tracing",
        "critical value alert",
        "COVID PCR result",
        "send-out lab result",
    ],
    "inbox": [
        "inbox message",
        "refill request",
        "patient portal message",
        "result notification",
        "cosign request",
        "fax from the hospital",
        "callback request",
    ],
    "triage": [
        "triage questionnaire",
        "chief complaint list",
        "acuity score",
        "nurse triage note",
        "pain scale prompt",
        "travel screening question",
        "sepsis screening alert",
    ],
    "discharge": [
        "discharge instructions",
        "work note",
        "school excuse letter",
        "follow-up appointment",
        "home medication list",
        "after-visit summary",
        "prescription printout",
    ],
    "scheduling": [
        "appointment slot",
        "walk-in queue",
        "telehealth visit link",
        "provider schedule template",
        "reminder call list",
        "online check-in",
    ],
    "billing": [
        "E/M level picker",
        "procedure code list",
        "modifier 25 prompt",
        "insurance eligibility check",
        "charge capture screen",
        "workers' comp claim form",
    ],
    "other": [
        "label printer",
        "badge tap login",
        "shared workstation session",
        "document scanner",
        "remote desktop session",
        "dictation microphone",
    ],
}

FAILURES = [
    "takes too many clicks to complete",
    "does not carry over from the previous visit",
    "has to be re-typed by hand",
    "times out before it can be signed",
    "shows up twice",
    "opens in the wrong tab",
    "loses free text on refresh",
    "asks for a second login",
    "is missing the default for our site",
    "cannot be found without a full search",
    "is routed to the wrong pool",
    "does not print on the first try",
    "arrives after the patient has left",
    "forces a hard stop with no override",
    "is hidden behind three menus",
    "freezes the screen for a minute",
    "drops the diagnosis code",
    "sends the wrong pharmacy",
]

CONTEXTS = [
    "during busy evening shifts",
    "at every discharge",
    "for pediatric visits",
    "when the network is slow",
    "since the last upgrade",
    "on the shared workstations",
    "for walk-in visits",
    "on weekends",
    "during flu season",
    "for occupational health visits",
    "when two providers share a visit",
    "after a shift change",
]

ACTIONS = [
    "open the chart",
    "finish the visit",
    "sign the note",
    "place the order",
    "review results",
    "discharge the patient",
    "hand off to the next shift",
    "work the inbox",
]

CONSEQUENCES = [
    "Providers finish their charts after hours because of it.",
    "Patients wait in the room while we redo the work.",
    "The medical assistant has to walk to another workstation.",
    "We call the help desk and wait on hold.",
    "Nurses keep a paper list on the side to keep track.",
    "It adds a few minutes to every visit that needs it.",
    "Front desk staff re-enter the same information again.",
    "We sometimes miss it and have to call the patient back.",
]

WORKAROUNDS = [
    "Our workaround is to copy it from the last note.",
    "We keep a printed cheat sheet taped to the monitor.",
    "The only workaround is to restart the session.",
    "Some providers skip it and fix it at the end of the day.",
    "A scribe does it for us when one is on shift.",
    "We have no workaround.",
]

FREQUENCIES = [
    "It happens several times every shift.",
    "It happens with most patients on a busy day.",
    "It happens a few times a week per provider.",
    "It happens at every single visit of this type.",
]

SOLUTIONS = [
    "",
    "",
    "",
    "A default for our site would help.",
    "Carry the field over from the previous visit.",
    "One button to do it from the visit screen.",
    "Route it to the covering provider instead.",
]

SAFETY_DETAILS = [
    "A result can be missed when it lands in the wrong pool.",
    "The wrong pharmacy can receive a controlled prescription.",
    "An allergy can be dropped when the list does not carry over.",
]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def problem_text(rng: random.Random, area: str) -> tuple[str, str, str]:
    """(title, statement, proposed_solution) for one problem in `area`."""
    subject = rng.choice(SUBJECTS[area])
    failure = rng.choice(FAILURES)
    context = rng.choice(CONTEXTS)
    title = _cap(f"{subject} {failure}")
    if rng.random() < 0.5:
        title = f"{title} {context}"
    sentences = [
        _cap(f"when we {rng.choice(ACTIONS)} the {subject} {failure} {context}."),
        rng.choice(CONSEQUENCES),
        rng.choice(WORKAROUNDS),
        rng.choice(FREQUENCIES),
    ]
    if rng.random() < 0.4:
        sentences.insert(2, rng.choice(CONSEQUENCES))
    return title[:120], " ".join(sentences), rng.choice(SOLUTIONS)


def search_queries(rng: random.Random, count: int) -> list[str]:
    """What people type into intake before submitting: fragments of a subject and a failure."""
    queries = []
    areas = sorted(SUBJECTS)
    for _ in range(count):
        subject = rng.choice(SUBJECTS[rng.choice(areas)])
        failure = rng.choice(FAILURES)
        words = failure.split()
        cut = rng.randint(2, len(words))
        queries.append(f"{subject} {' '.join(words[:cut])}")
    return queries
