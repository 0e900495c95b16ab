"""Every refused input of docs/domain.md answers 400 naming the field, through the API, and stores nothing."""

import pytest

from intake.models import Evidence, Problem, Role, SiteReport
from tests.factories import ProblemFactory, SiteFactory, SiteReportFactory

PROBLEM = {
    "title": "Lab results arrive twice in the inbox",
    "statement": "Each lab result shows up twice, so we open and sign both.",
    "workflow_area": "inbox",
    "site": "NORTH",
}
REPORT = {"minutes_lost_per_occurrence": 2, "occurrences_per_shift": 8}

RANGE = {
    "minutes_lost_per_occurrence": "Enter a number more than 0 and at most 240.",
    "occurrences_per_shift": "Enter a number more than 0 and at most 200.",
    "providers_affected_pct": "Enter a number at least 0 and at most 100.",
    "after_hours_pct": "Enter a number at least 0 and at most 100.",
    "patient_wait_minutes": "Enter a number at least 0 and at most 240.",
    "visits_affected_pct": "Enter a number at least 0 and at most 100.",
}
REFUSED_REPORT_VALUES = [
    ("minutes_lost_per_occurrence", 0),
    ("minutes_lost_per_occurrence", -1),
    ("minutes_lost_per_occurrence", 240.01),
    ("occurrences_per_shift", 0),
    ("occurrences_per_shift", 200.5),
    ("providers_affected_pct", -0.1),
    ("providers_affected_pct", 100.1),
    ("after_hours_pct", -1),
    ("after_hours_pct", 101),
    ("patient_wait_minutes", -0.5),
    ("patient_wait_minutes", 241),
    ("visits_affected_pct", -1),
    ("visits_affected_pct", 100.01),
]
ACCEPTED_REPORT_BOUNDS = {
    "minutes_lost_per_occurrence": 240,
    "occurrences_per_shift": 200,
    "providers_affected_pct": 0,
    "after_hours_pct": 100,
    "patient_wait_minutes": 240,
    "visits_affected_pct": 100,
}


@pytest.fixture
def existing(db, site, other_site, clinician):
    clinician.sites.add(other_site)  # "me too" at SOUTH: the clinician works there too
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


def counts():
    return Problem.objects.count(), SiteReport.objects.count(), Evidence.objects.count()


def post_report(client, where, existing, values):
    if where == "intake":
        return client.post("/api/v1/problems/", {**PROBLEM, **values}, format="json")
    return client.post(f"/api/v1/problems/{existing.pk}/site-reports/", {"site": "SOUTH", **values}, format="json")


@pytest.mark.parametrize("where", ["intake", "me too"])
@pytest.mark.parametrize(("field", "value"), REFUSED_REPORT_VALUES)
@pytest.mark.django_db
def test_each_report_range_bound_is_refused(api_as, clinician, existing, where, field, value):
    before = counts()

    response = post_report(api_as(clinician), where, existing, {**REPORT, field: value})

    assert response.status_code == 400
    assert response.json() == {field: [RANGE[field]]}
    assert counts() == before


@pytest.mark.parametrize("where", ["intake", "me too"])
@pytest.mark.parametrize("field", ["minutes_lost_per_occurrence", "occurrences_per_shift"])
@pytest.mark.django_db
def test_the_two_report_numbers_without_defaults_are_required(api_as, clinician, existing, where, field):
    before = counts()
    values = {k: v for k, v in REPORT.items() if k != field}

    response = post_report(api_as(clinician), where, existing, values)

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}
    assert counts() == before


@pytest.mark.parametrize("where", ["intake", "me too"])
@pytest.mark.django_db
def test_the_inclusive_bounds_are_accepted(api_as, clinician, existing, where):
    response = post_report(api_as(clinician), where, existing, ACCEPTED_REPORT_BOUNDS)

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"title": None}, {"title": ["This field may not be null."]}),
        ({"title": ""}, {"title": ["This field may not be blank."]}),
        ({"title": "   "}, {"title": ["This field may not be blank."]}),
        ({"title": "t" * 121}, {"title": ["Ensure this field has no more than 120 characters."]}),
        ({"statement": ""}, {"statement": ["This field may not be blank."]}),
        ({"statement": "s" * 5001}, {"statement": ["Ensure this field has no more than 5000 characters."]}),
        ({"workflow_area": "kitchen"}, {"workflow_area": ['"kitchen" is not a valid choice.']}),
        ({"workflow_area": None}, {"workflow_area": ["This field may not be null."]}),
        ({"affected_roles": ["nurse", "surgeon"]}, {"affected_roles": ['"surgeon" is not a valid choice.']}),
        ({"affected_roles": "nurse"}, {"affected_roles": ['Expected a list of items but got type "str".']}),
        (
            {"proposed_solution": "p" * 2001},
            {"proposed_solution": ["Ensure this field has no more than 2000 characters."]},
        ),
        ({"safety_details": "d" * 2001}, {"safety_details": ["Ensure this field has no more than 2000 characters."]}),
        ({"safety_concern": "perhaps"}, {"safety_concern": ["Must be a valid boolean."]}),
        ({"site": "MOON"}, {"site": ["There is no site with code MOON."]}),
        ({"site": "two words"}, {"site": ["Give a site code: 1 to 16 letters, digits, '-' or '_'."]}),
        ({"site": 7}, {"site": ["Give a site code: 1 to 16 letters, digits, '-' or '_'."]}),
        ({"site": "CLOSED"}, {"site": ["Site CLOSED is not active."]}),
        ({"minutes_lost_per_occurrence": "ten"}, {"minutes_lost_per_occurrence": ["A valid number is required."]}),
    ],
)
@pytest.mark.django_db
def test_each_refused_problem_field_is_named(api_as, clinician, existing, change, errors):
    SiteFactory(code="CLOSED", active=False)
    before = counts()

    response = api_as(clinician).post("/api/v1/problems/", {**PROBLEM, **REPORT, **change}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert counts() == before


@pytest.mark.parametrize("field", ["title", "statement", "workflow_area", "site"])
@pytest.mark.django_db
def test_each_required_problem_field_is_named(api_as, clinician, existing, field):
    before = counts()
    payload = {k: v for k, v in {**PROBLEM, **REPORT}.items() if k != field}

    response = api_as(clinician).post("/api/v1/problems/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}
    assert counts() == before


@pytest.mark.django_db
def test_the_longest_allowed_texts_are_accepted(api_as, clinician, existing):
    payload = {
        **PROBLEM,
        **REPORT,
        "title": "t" * 120,
        "statement": "s" * 5000,
        "proposed_solution": "p" * 2000,
        "safety_concern": True,
        "safety_details": "d" * 2000,
        "affected_roles": ["physician", "app", "nurse", "ma", "front_desk", "other"],
    }

    response = api_as(clinician).post("/api/v1/problems/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert len(response.json()["safety_details"]) == 2000


@pytest.mark.django_db
def test_several_refusals_come_together_with_unknown_fields(api_as, clinician, existing):
    before = counts()

    response = api_as(clinician).post(
        "/api/v1/problems/", {**PROBLEM, "title": "", "minutes_lost": 3, "occurrences_per_shift": 0}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"title", "minutes_lost", "minutes_lost_per_occurrence", "occurrences_per_shift"}
    assert body["minutes_lost"][0].startswith("Unknown field. This endpoint accepts: ")
    assert counts() == before


MINUTES = "a number more than 0 and at most 240 (minutes lost per occurrence)"
OCCURRENCES = "a number more than 0 and at most 200 (occurrences per provider per shift)"
COST = "a number at least 0 and at most 10000 (provider hours per week the change would cost the site)"
AFTER_HOURS = "a number at least 0 and at most 100 (share of the lost time made up after hours, %)"
REVENUE = "a number at least 0 and at most 10000000 (money per week the problem costs the site)"
SURVEY = "Enter a whole number at least 1 and at most 5 (provider frustration)."

EVIDENCE_REFUSALS = [
    ({"kind": "photo"}, {"kind": ['"photo" is not a valid choice.']}),
    (
        {"kind": "time_study", "sample_size": 5},
        {"value": [f"Give the value: {MINUTES}."]},
    ),
    (
        {"kind": "time_study", "value": 0, "sample_size": 5},
        {"value": [f"Enter {MINUTES}."]},
    ),
    (
        {"kind": "time_study", "value": 240.5, "sample_size": 5},
        {"value": [f"Enter {MINUTES}."]},
    ),
    ({"kind": "time_study", "value": 3}, {"sample_size": ["A time study needs its sample size (at least 1)."]}),
    (
        {"kind": "time_study", "value": 3, "sample_size": 0},
        {"sample_size": ["Ensure this value is greater than or equal to 1."]},
    ),
    ({"kind": "time_study", "value": 3, "sample_size": 2.5}, {"sample_size": ["A valid integer is required."]}),
    (
        {"kind": "time_study", "value": 3, "sample_size": 4, "site": "MOON"},
        {"site": ["There is no site with code MOON."]},
    ),
    ({"kind": "ehr_metric", "value": 4}, {"site": ["An EHR metric belongs to one site: give its code."]}),
    (
        {"kind": "ehr_metric", "value": 0, "site": "NORTH"},
        {"value": [f"Enter {OCCURRENCES}."]},
    ),
    (
        {"kind": "ehr_metric", "value": 200.1, "site": "NORTH"},
        {"value": [f"Enter {OCCURRENCES}."]},
    ),
    (
        {"kind": "ehr_metric", "value": 4, "site": "NORTH", "sample_size": 9},
        {"sample_size": ["Only a time study has a sample size."]},
    ),
    ({"kind": "cost_report", "value": 12}, {"site": ["A cost report belongs to one site: give its code."]}),
    (
        {"kind": "cost_report", "value": -1, "site": "NORTH"},
        {"value": [f"Enter {COST}."]},
    ),
    (
        {"kind": "cost_report", "value": 10000.5, "site": "NORTH"},
        {"value": [f"Enter {COST}."]},
    ),
    (
        {"kind": "after_hours_metric", "value": 30},
        {"site": ["An after-hours metric belongs to one site: give its code."]},
    ),
    ({"kind": "after_hours_metric", "site": "NORTH"}, {"value": [f"Give the value: {AFTER_HOURS}."]}),
    ({"kind": "after_hours_metric", "value": -0.5, "site": "NORTH"}, {"value": [f"Enter {AFTER_HOURS}."]}),
    ({"kind": "after_hours_metric", "value": 100.5, "site": "NORTH"}, {"value": [f"Enter {AFTER_HOURS}."]}),
    (
        {"kind": "after_hours_metric", "value": 30, "site": "NORTH", "sample_size": 12},
        {"sample_size": ["Only a time study has a sample size."]},
    ),
    ({"kind": "revenue_report", "value": 900}, {"site": ["A revenue report belongs to one site: give its code."]}),
    ({"kind": "revenue_report", "value": -1, "site": "NORTH"}, {"value": [f"Enter {REVENUE}."]}),
    ({"kind": "revenue_report", "value": 10_000_000.5, "site": "NORTH"}, {"value": [f"Enter {REVENUE}."]}),
    (
        {"kind": "survey", "value": 0},
        {"value": [SURVEY]},
    ),
    (
        {"kind": "survey", "value": 6},
        {"value": [SURVEY]},
    ),
    (
        {"kind": "survey", "value": 2.5},
        {"value": [SURVEY]},
    ),
    ({"kind": "note"}, {"note": ["Write the note."]}),
    ({"kind": "note", "note": "   "}, {"note": ["Write the note."]}),
    ({"kind": "note", "note": "n" * 2001}, {"note": ["Ensure this field has no more than 2000 characters."]}),
    ({"kind": "note", "note": "Seen twice.", "value": 3}, {"value": ["A note has no value; write it in `note`."]}),
]


@pytest.mark.parametrize(("payload", "errors"), EVIDENCE_REFUSALS)
@pytest.mark.django_db
def test_each_evidence_kind_rule_is_enforced(api_as, users, existing, payload, errors):
    before = counts()

    response = api_as(users[Role.INFORMATICS]).post(f"/api/v1/problems/{existing.pk}/evidence/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert counts() == before


@pytest.mark.django_db
def test_patient_information_in_a_note_is_refused_naming_the_field_and_where(api_as, users, existing):
    before = counts()

    response = api_as(users[Role.INFORMATICS]).post(
        f"/api/v1/problems/{existing.pk}/evidence/", {"kind": "note", "note": "Mail me at jane.doe@example.org"}
    )

    assert response.status_code == 400
    [message] = response.json()["note"]
    assert list(response.json()) == ["note"]
    assert "e-mail address" in message
    assert "line 1, characters 12–31" in message
    assert "jane.doe" not in message
    assert counts() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "time_study", "value": 240, "sample_size": 1},
        {"kind": "time_study", "value": 0.5, "sample_size": 30, "site": "SOUTH"},
        {"kind": "ehr_metric", "value": 200, "site": "NORTH"},
        {"kind": "cost_report", "value": 0, "site": "NORTH"},
        {"kind": "cost_report", "value": 10000, "site": "SOUTH"},
        {"kind": "after_hours_metric", "value": 0, "site": "NORTH"},
        {"kind": "after_hours_metric", "value": 100, "site": "SOUTH"},
        {"kind": "revenue_report", "value": 0, "site": "NORTH"},
        {"kind": "revenue_report", "value": 10_000_000, "site": "SOUTH"},
        {"kind": "survey", "value": 1},
        {"kind": "survey", "value": 5.0, "note": "Asked at huddle."},
        {"kind": "note", "note": "n" * 2000},
    ],
)
@pytest.mark.django_db
def test_each_evidence_kind_accepts_its_bounds(api_as, users, existing, payload):
    response = api_as(users[Role.INFORMATICS]).post(f"/api/v1/problems/{existing.pk}/evidence/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert Evidence.objects.count() == 1
