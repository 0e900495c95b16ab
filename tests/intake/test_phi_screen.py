"""The PHI screen (docs/domain.md and docs/deploy.md): measured on labelled sets, then kind by kind, then as
properties, then through the API and the form with every logger listening."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from intake.models import Problem
from intake.phi import phi_find, phi_screen_fields
from intake.phi.name_lists import name_lists

from .phi_eval import BLIND, HELDOUT, SAMPLES, VARIANTS, load, measure

RECALL_FLOOR = 0.95
FALSE_REFUSAL_CEILING = 0.05


@pytest.mark.parametrize(
    "path",
    [SAMPLES, HELDOUT, VARIANTS, BLIND],
    ids=["shared-samples", "own-heldout", "own-attack-variants", "own-blind"],
)
def test_screen_catches_identifiers_and_lets_clean_problem_texts_through(path):
    # Given a labelled set of problem texts
    rows = load(path)
    assert len(rows) >= 300

    # When every text is screened
    result = measure(rows)

    # Then at least 95 % of identifiers are caught and at most 5 % of clean texts are refused
    assert result.recall >= RECALL_FLOOR, result.misses
    assert result.false_refusal_rate <= FALSE_REFUSAL_CEILING, result.false_refusals


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Chart for MRN: A1234567 opened twice.", "mrn", "A1234567"),
        ("Lab results for MR# 2791805 never showed.", "mrn", "2791805"),
        ("The medical record number 83848372 was merged.", "mrn", "83848372"),
        ("Front desk typed SSN 144-77-4906 twice.", "ssn", "144-77-4906"),
        ("His social is 321 54 9876 on the receipt.", "ssn", "321 54 9876"),
        ("Patient with DOB: 4/5/88 got the wrong letter.", "dob", "DOB: 4/5/88"),
        ("A patient born on March 3, 1961 was merged.", "dob", "born on March 3, 1961"),
        ("Search by D.O.B. 12-3-1936 returns 40 results.", "dob", "D.O.B. 12-3-1936"),
        ("Our 04/05/1948 patient was listed as a newborn.", "dob", "04/05/1948"),
        ("I called back at (899) 605-4245 to reschedule.", "phone", "(899) 605-4245"),
        ("Callback number +1 784 406 1329 was cut off.", "phone", "+1 784 406 1329"),
        ("Reach them at 551.769.2492 after five.", "phone", "551.769.2492"),
        ("The overseas number +44 20 7946 0958 failed.", "phone", "+44 20 7946 0958"),
        ("The summary went to linh.johnson38@gmail.com instead.", "email", "linh.johnson38@gmail.com"),
        ("Home address 4057 Oak Avenue, Springfield printed.", "address", "4057 Oak Avenue"),
        ("She lives at 1420 Elm St, Apt 3B, and the letter bounced.", "address", "1420 Elm St, Apt 3B"),
        ("The bill went to PO Box 1187 by mistake.", "address", "PO Box 1187"),
        ("pt Maria Lopez could not sign the consent.", "name", "Maria Lopez"),
        ("Mr. O'Brien in bay 2 waited an hour.", "name", "Mr. O'Brien"),
        ("Mrs. Garcia in room 4 got two copies.", "name", "Mrs. Garcia"),
        ("Yesterday Priya Shah's packet printed in Spanish.", "name", "Priya Shah's"),
        # The attack run's variants (issue 11)
        ("SMITH, JOHN was registered twice.", "name", "SMITH, JOHN"),
        ("Pt: KIM, Soo-Jin waited 40 minutes.", "name", "KIM, Soo-Jin"),
        ("José Hernández left without being seen.", "name", "José Hernández"),
        ("Wei Zhang had two charts.", "name", "Wei Zhang"),
        ("Zhang Wei was roomed in the hallway.", "name", "Zhang Wei"),
        ("Nguyen Thi Lan missed her appointment.", "name", "Nguyen Thi Lan"),
        ("The label printed 李娜 on the wrong tube.", "name", "李娜"),
        ("Иван Петров got the wrong letter.", "name", "Иван Петров"),
        ("Please send it to jsmith at gmail dot com today.", "email", "jsmith at gmail dot com"),
        ("Reply went to j.smith [at] example [dot] org.", "email", "j.smith [at] example [dot] org"),
        ("The form shows ss# 123.45.6789 in plain view.", "ssn", "123.45.6789"),
        ("Her social 123 45 6789 was typed twice.", "ssn", "123 45 6789"),
        ("We opened the chart 00412345 twice.", "mrn", "00412345"),
        ("The member id XGH123456789 was rejected.", "account", "XGH123456789"),
        ("Medicare ID 1EG4-TE5-MK73 was rejected.", "account", "1EG4-TE5-MK73"),
        ("The letter went to 77 Elm, apartment 3 instead.", "address", "77 Elm, apartment 3"),
        ("She lives at 412 Birch and the map is wrong.", "address", "412 Birch"),
        ("Birthdate 22-Jun-1954 was flipped by the interface.", "dob", "Birthdate 22-Jun-1954"),
        ("DOB 19880229 crashed the kiosk.", "dob", "DOB 19880229"),
        ("Callback: 07700 900123 was saved as the pharmacy.", "phone", "07700 900123"),
        ("Call me at 4 1 5 5 5 5 0 1 2 3 she wrote.", "phone", "4 1 5 5 5 5 0 1 2 3"),
    ],
)
def test_each_kind_of_identifier_is_found_where_it_is(text, kind, found):
    # When the text is screened
    findings = phi_find(text)

    # Then exactly one identifier is found, of this kind, at this place
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Patel's note template duplicates the review of systems.",
        "Nurse Kim's handoff template has no place for pending labs.",
        "NP Garcia and PA Johnson re-sort the tracking board every shift.",
        "Dr. Mark Allen's template has no exam section.",
        "Our practice manager Ms. Alvarez tracks the printer jams.",
        "Room 12 and room 14 share one workstation.",
        "Order code 80053 (CMP) is missing from the order set.",
        "ICD-10 code J02.9 and CPT 99213 are typed by hand.",
        "Version 11.2.3 of the dictation plugin crashes; Epic 2024 moved the button.",
        "On 3/14 the queue stopped; on 11/02/2024 the interface was down from 9:00 to 11:30.",
        "Call the help desk at extension 4455 and wait 22 minutes.",
        "Ticket 4471823 was closed; NDC 0006-4121-02 maps to the wrong vaccine.",
        "The Patient Portal and Patient Access teams re-key insurance data.",
        "The DOB field accepts future dates and the MRN field is too short.",
        "Patients born before 1950 get the geriatric template.",
        "The Rose Hill clinic and the Main Street clinic use different forms.",
        # A sentence that ends on "patient." does not make the next sentence's first word a name.
        "Two providers share one patient. Nurses keep a paper list of who saw whom.",
        "Every note asks twice about the patient. Providers skip the second one.",
        "The patients Nurse Kim triaged were listed twice.",
        # Providers and colleagues by name, places named after streets and people, screens and buttons
        "Dr. Zhang Wei asked us to shorten the discharge template.",
        "Dr. Smith, John (cardiology) is listed twice on the on-call schedule.",
        "Kevin Brown from IT replaced the label printer twice this month.",
        "The Elm Street clinic has one scanner for 14 providers.",
        "Our clinic at 200 Main Street has one label printer for 3 pods.",
        "Rose Hill and Fairview share one courier for lab specimens.",
        "Mercy West and Mercy East use two different order sets.",
        "The Will Call shelf list is not printed until noon; Mark as Reviewed takes three clicks.",
        "The Master Patient Index team merges charts by hand.",
        "The policy dated 03/15/1999 still governs our fax workflow.",
        "Patients born after 1/1/2020 get the pediatric growth chart twice.",
        "JIRA-1234 and EHR-5521 are open; lot UJ123AA and HCPCS J1100 are missing.",
        "The Chinese translation of the discharge instructions shows 出院指导 in the wrong font.",
        "Copying from Word adds invisible characters\u200b to the order comments.",
        "Email the help desk at helpdesk@clinic.example.org and wait a day for an answer.",
        "Our clinic address is 200 Main Street and the map pin is wrong.",
    ],
)
def test_clean_problem_texts_are_not_refused(text):
    assert phi_find(text) == []


def test_a_refusal_names_the_field_the_kind_and_where_without_quoting_the_text():
    # Given a statement whose second line holds a phone number
    statement = "The callback number prints wrong.\nWe called 312-555-0199 twice."

    # When the fields are screened
    with pytest.raises(ValidationError) as refusal:
        phi_screen_fields({"title": "Callback numbers print wrong", "statement": statement})

    # Then only the statement is refused, with the kind and the position, and not the number
    assert refusal.value.message_dict == {
        "statement": [
            "Statement holds what looks like a phone number (line 2, characters 11–22). Bridge must not hold "
            "patient information: describe the problem without it."
        ]
    }


@pytest.mark.parametrize(
    ("statement", "kind", "where"),
    [
        # A zero-width space inside the number counts as one of the characters the user typed.
        (
            "The label was wrong.\nSSN 123-45-67\u200b89 was pasted.",
            "a social security number",
            "line 2, characters 5–16",
        ),
        # Cyrillic look-alike letters in the cue and the name; the position is in the typed text.
        ("Тhe раtiеnt Јоhn Ѕmіth was roomed twice.", "a patient name", "line 1, characters 13–22"),
        # Fullwidth digits and an accent typed as a combining mark.
        ("Pt Jose\u0301 Herna\u0301ndez ＭＲＮ ８８１２３４０９ waited.", "a patient name", "line 1, characters 4–19"),
    ],
)
def test_a_refusal_points_into_the_text_as_typed_whatever_the_folding(statement, kind, where):
    with pytest.raises(ValidationError) as refusal:
        phi_screen_fields({"statement": statement})

    assert refusal.value.message_dict["statement"][0] == (
        f"Statement holds what looks like {kind} ({where}). Bridge must not hold patient information: describe the "
        "problem without it."
    )


def test_a_refusal_uses_the_label_it_is_given_and_lists_at_most_five_places():
    text = " ".join(f"SSN 123-45-67{n:02d}." for n in range(7))

    with pytest.raises(ValidationError) as refusal:
        phi_screen_fields({"note": text}, labels={"note": "The note"})

    messages = refusal.value.message_dict["note"]
    assert len(messages) == 6
    assert messages[0].startswith("The note holds what looks like a social security number (line 1, characters 5–15).")
    assert messages[5] == "… and 2 more places like these."


def test_empty_fields_pass_the_screen():
    assert phi_screen_fields({"title": "", "statement": "Strep results take 20 minutes to show."}) is None


CLEAN_TEXTS = [row["text"] for row in load(SAMPLES) if not row["phi"]]


def _ssn():
    return st.tuples(st.integers(1, 899), st.integers(1, 99), st.integers(1, 9999)).map(
        lambda p: f"{p[0]:03d}-{p[1]:02d}-{p[2]:04d}"
    )


def _phone():
    return st.tuples(
        st.integers(201, 989), st.integers(200, 999), st.integers(0, 9999), st.sampled_from(["-", ".", " "])
    )


def _email():
    local = st.from_regex(r"[a-z][a-z0-9._]{0,14}[a-z0-9]", fullmatch=True)
    return st.tuples(local, st.sampled_from(["gmail.com", "example.org", "clinic.health", "mail.co.uk"])).map(
        lambda p: f"{p[0]}@{p[1]}"
    )


@given(clean=st.sampled_from(CLEAN_TEXTS), ssn=_ssn())
def test_an_ssn_put_into_any_clean_text_is_found_exactly(clean, ssn):
    text = f"{clean} Registration showed SSN {ssn} to every MA."
    assert [(f.kind, text[f.start : f.end]) for f in phi_find(text)] == [("ssn", ssn)]


@given(clean=st.sampled_from(CLEAN_TEXTS), parts=_phone())
def test_a_phone_number_put_into_any_clean_text_is_found_exactly(clean, parts):
    area, exchange, line, separator = parts
    number = (
        f"({area}) {exchange}-{line:04d}" if separator == " " else f"{area}{separator}{exchange}{separator}{line:04d}"
    )
    text = f"We called the patient back at {number}. {clean}"
    assert [(f.kind, text[f.start : f.end]) for f in phi_find(text)] == [("phone", number)]


@given(clean=st.sampled_from(CLEAN_TEXTS), email=_email())
def test_an_email_put_into_any_clean_text_is_found_exactly(clean, email):
    text = f"{clean} The summary went to {email} instead."
    assert [(f.kind, text[f.start : f.end]) for f in phi_find(text)] == [("email", email)]


@given(st.text(max_size=400))
def test_findings_are_ordered_disjoint_and_inside_the_text(text):
    findings = phi_find(text)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))


# --- Folding: what is invisible, or only looks the same, changes nothing -------------------------

_INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202c"])
# Latin letters and the Cyrillic or Greek letters that look like them.
_LOOKALIKES = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "A": "Α",
    "B": "В",
    "E": "Е",
    "H": "Н",
    "K": "К",
    "M": "М",
    "N": "Ν",
    "O": "О",
    "P": "Р",
    "S": "Ѕ",
    "T": "Т",
    "X": "Х",
}
_IDENTIFIERS = [
    ("ssn", "SSN 219-09-9999"),
    ("mrn", "MRN 00412345"),
    ("phone", "cell 212-555-0199"),
    ("email", "jsmith@example.org"),
    ("name", "Pt SMITH, JOHN"),
    ("name", "patient Maria Lopez"),
    ("address", "lives at 1420 Elm St"),
    ("dob", "DOB 04/05/1988"),
]


@st.composite
def _sprinkled(draw, text: str) -> str:
    """`text` with invisible characters put between some of its characters."""
    out = []
    for char in text:
        out.append(char)
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(_INVISIBLE))
    return "".join(out)


@given(data=st.data(), clean=st.sampled_from(CLEAN_TEXTS), identifier=st.sampled_from(_IDENTIFIERS))
def test_invisible_characters_inside_an_identifier_do_not_hide_it(data, clean, identifier):
    # Given an identifier broken up by zero-width and other invisible characters, inside a clean text
    kind, plain = identifier
    broken = data.draw(_sprinkled(plain))
    text = f"{clean} Note: {broken} was typed."

    # When it is screened
    findings = phi_find(text)

    # Then it is found as it is found unbroken, at its place in the text as typed
    assert [f.kind for f in findings] == [kind]
    start = text.index(broken)
    assert start <= findings[0].start < findings[0].end <= start + len(broken)


@given(data=st.data(), clean=st.sampled_from(CLEAN_TEXTS), identifier=st.sampled_from(_IDENTIFIERS))
def test_look_alike_letters_do_not_hide_an_identifier(data, clean, identifier):
    kind, plain = identifier
    disguised = "".join(
        _LOOKALIKES[char] if char in _LOOKALIKES and data.draw(st.booleans()) else char for char in plain
    )
    text = f"{clean} Note: {disguised} was typed."

    assert [f.kind for f in phi_find(text)] == [kind]


@given(data=st.data(), clean=st.sampled_from(CLEAN_TEXTS))
def test_invisible_characters_do_not_make_a_clean_text_refused(data, clean):
    assert phi_find(data.draw(_sprinkled(clean))) == []


def _names(attribute: str) -> list[str]:
    lists = name_lists()
    names = sorted(getattr(lists, attribute) - lists.common - lists.english)
    return [name for name in names if name.isascii() and name.isalpha() and len(name) > 3]


@given(
    clean=st.sampled_from(CLEAN_TEXTS),
    surname=st.sampled_from(_names("surnames")),
    given_name=st.sampled_from(_names("given")),
    shape=st.sampled_from(["{LAST}, {FIRST}", "{Last}, {First}", "{LAST},{FIRST}", "{First} {Last}"]),
)
def test_a_known_name_in_last_first_or_first_last_order_is_found(clean, surname, given_name, shape):
    # Given any surname and given name of Faker's lists that are no English words
    name = shape.format(
        LAST=surname.upper(), FIRST=given_name.upper(), Last=surname.capitalize(), First=given_name.capitalize()
    )
    text = f"{clean} The wristband printed {name} instead."

    # When it is screened, then the name is found where it is
    assert [(f.kind, text[f.start : f.end]) for f in phi_find(text)] == [("name", name)]


# --- Through the interfaces users use, with every logger listening --------------------------------

# What is typed, the kind the refusal names, and the part of it the refusal points at.
_TYPED = [
    ("SMITH, JOHN", "a patient name", "SMITH, JOHN"),
    ("jsmith at gmail dot com", "an e-mail address", "jsmith at gmail dot com"),
    ("ss# 123.45.6789", "a social security number", "123.45.6789"),
    ("member id XGH123456789", "an account, member or policy number", "XGH123456789"),
    ("77 Elm, apartment 3", "a street address", "77 Elm, apartment 3"),
    ("MR\u200bN 00412345", "a medical record number", "00412345"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("identifier", "kind", "pointed"), _TYPED, ids=[kind for _, kind, _ in _TYPED])
def test_an_api_refusal_names_the_kind_and_where_and_nothing_of_the_identifier_is_logged(
    api_as, clinician, site, identifier, kind, pointed, caplog
):
    # Given a problem whose statement holds an identifier of a kind the attack run got through
    statement = f"Yesterday the label printer put {identifier} on the wrong wristband."
    payload = {
        "title": "Wristband labels print the wrong patient",
        "statement": statement,
        "workflow_area": "other",
        "site": "NORTH",
        "minutes_lost_per_occurrence": 3,
        "occurrences_per_shift": 2,
    }

    # When it is submitted through the API, with every logger listening
    with caplog.at_level(logging.DEBUG):
        response = api_as(clinician).post("/api/v1/problems/", payload, format="json")

    # Then it is a 400 on the statement naming the kind and the place, and nothing is stored
    start = statement.index(pointed) + 1
    assert response.status_code == 400
    assert response.json() == {
        "statement": [
            f"Statement holds what looks like {kind} (line 1, characters {start}–{start + len(pointed) - 1}). "
            "Bridge must not hold patient information: describe the problem without it."
        ]
    }
    assert Problem.objects.count() == 0
    # and the identifier is neither in the answer nor in any log
    for fragment in pointed.replace(",", " ").split():
        if len(fragment) > 3:
            assert fragment not in caplog.text
            assert fragment not in response.content.decode()


@pytest.mark.django_db
def test_the_intake_form_refuses_a_last_first_name_on_its_field_and_logs_nothing_of_it(client, clinician, site, caplog):
    client.force_login(clinician)
    data = {
        "site": site.code,
        "title": "Wristband labels print the wrong patient",
        "statement": "The label printer put HERNÁNDEZ, JOSÉ on the wrong wristband.",
        "workflow_area": "other",
        "minutes_lost_per_occurrence": "3",
        "occurrences_per_shift": "2",
        "affected_roles": ["nurse"],
    }

    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("intake"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "statement": [
            "“What happens” holds what looks like a patient name (line 1, characters 23–37). Bridge must not hold "
            "patient information: describe the problem without it."
        ]
    }
    assert Problem.objects.count() == 0
    assert "HERNÁNDEZ" not in caplog.text and "JOSÉ" not in caplog.text
