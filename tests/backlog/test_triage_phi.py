"""The triage write's free text is PHI-screened (docs/deploy.md): the external reference and the
decline reason, through the API and the triage form, as IT leads and product managers use them."""

import logging

import pytest

from intake.audit.models import TRIAGE_ACTIONS, AuditEvent
from intake.models import Role, Status
from tests.factories import ProblemFactory, SiteReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(site):
    problem = ProblemFactory(status=Status.PLANNED)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


@pytest.mark.parametrize(
    ("external_ref", "kind", "where"),
    [
        ("Pt SMITH, JOHN", "a patient name", "characters 4–14"),
        ("MRN 00412345", "a medical record number", "characters 5–12"),
        ("jsmith at gmail dot com", "an e-mail address", "characters 1–23"),
        ("call 212-555-0199", "a phone number", "characters 6–17"),
        ("ss# 123.45.6789", "a social security number", "characters 5–15"),
    ],
)
def test_an_external_reference_holding_patient_information_is_refused_naming_the_field(
    api_as, users, planned, external_ref, kind, where, caplog
):
    # Given an IT lead moving a planned problem into delivery with an external reference
    payload = {"status": "in_progress", "external_ref": external_ref, "version": 1}

    # When the reference holds a patient identifier
    with caplog.at_level(logging.DEBUG):
        response = api_as(users[Role.IT_LEAD]).patch(f"/api/v1/problems/{planned.pk}/", payload, format="json")

    # Then the write is a 400 naming external_ref, the kind and the place, without quoting it
    assert response.status_code == 400
    assert response.json() == {
        "external_ref": [
            f"External reference holds what looks like {kind} (line 1, {where}). Bridge must not hold patient "
            "information: describe the problem without it."
        ]
    }
    # and nothing changed, nothing was audited, and the reference is in no log
    planned.refresh_from_db()
    assert (planned.status, planned.external_ref, planned.version) == (Status.PLANNED, "", 1)
    assert AuditEvent.objects.filter(action__in=TRIAGE_ACTIONS).count() == 0
    assert external_ref not in caplog.text


def test_a_ticket_key_is_stored_as_the_external_reference(api_as, users, planned):
    response = api_as(users[Role.IT_LEAD]).patch(
        f"/api/v1/problems/{planned.pk}/", {"external_ref": "EHR-5521", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["external_ref"] == "EHR-5521"


def test_the_triage_form_refuses_an_external_reference_with_an_identifier_on_that_field(client, users, planned):
    # Given a product manager on the problem page
    client.force_login(users[Role.PRODUCT_MANAGER])

    # When the triage form carries an e-mail address in the external reference
    response = client.post(
        f"/problems/{planned.pk}/triage/",
        {"version": "1", "status": "", "effort_weeks": "", "external_ref": "j.smith [at] example [dot] org"},
    )

    # Then the form comes back with the error on that field, and nothing is stored
    assert response.status_code == 422
    assert response.context["forms"]["triage"].errors == {
        "external_ref": [
            "External reference holds what looks like an e-mail address (line 1, characters 1–30). Bridge must "
            "not hold patient information: describe the problem without it."
        ]
    }
    planned.refresh_from_db()
    assert (planned.external_ref, planned.version) == ("", 1)


def test_a_decline_reason_with_a_last_first_name_is_refused(api_as, pm, site):
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)

    response = api_as(pm).patch(
        f"/api/v1/problems/{problem.pk}/",
        {"status": "declined", "decline_reason": "Only GARCIA, MARIA ever hit this.", "version": 1},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["decline_reason"]
    assert "a patient name (line 1, characters 6–18)" in response.json()["decline_reason"][0]
    problem.refresh_from_db()
    assert problem.status == Status.NEW
