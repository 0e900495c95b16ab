"""The intake page through HTTP, as a browser without JavaScript uses it."""

import logging

import pytest
from django.urls import reverse

from intake.models import Problem, Role, SiteReport
from tests.factories import ProblemFactory, SiteFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Strep results take 20 minutes to reach the results tab",
    "statement": "After the analyzer finishes, the result takes 20 minutes to show, so we walk to the lab to read it.",
    "workflow_area": "results",
    "minutes_lost_per_occurrence": "4",
    "occurrences_per_shift": "6",
    "after_hours_pct": "10",
    "affected_roles": ["physician", "nurse"],
    "providers_affected_pct": "80",
    "patient_wait_minutes": "15",
    "visits_affected_pct": "20",
    "proposed_solution": "",
    "safety_details": "",
}


@pytest.fixture
def as_clinician(client, clinician):
    client.force_login(clinician)
    return client


def post(client, site, **changes):
    data = {**VALID, "site": site.code}
    data.update(changes)
    return client.post(reverse("intake"), data)


def test_clinician_sees_the_problem_first_form_in_plain_language(as_clinician, site):
    response = as_clinician.get(reverse("intake"))

    assert response.status_code == 200
    html = response.content.decode()
    legends = ["What happens", "How often and how long", "Who is affected", "Do patients wait?"]
    for legend in [*legends, "Is there a safety concern?", "Idea for a fix (optional)"]:
        assert f"<legend>{legend}</legend>" in html
    # examples under the fields, tied to them for screen readers
    assert 'aria-describedby="id_title_helptext"' in html
    assert 'id="id_title_helptext"' in html
    # the home site is chosen by default; htmx follows the title and statement, debounced
    assert f'<option value="{site.code}" selected>' in html
    assert html.count('hx-trigger="keyup changed delay:400ms"') == 2


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER])
def test_roles_that_report_problems_may_use_the_intake(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("intake")).status_code == 200


@pytest.mark.parametrize("role", [Role.IT_LEAD, Role.ADMIN])
def test_other_roles_get_a_clear_refusal(client, users, role):
    client.force_login(users[role])

    response = client.get(reverse("intake"))

    assert response.status_code == 403
    assert "Reporting problems is for clinical staff" in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("intake"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('intake')}"


def test_a_valid_problem_is_filed_with_its_first_site_report_and_lands_on_its_page(as_clinician, clinician, site):
    # When a clinician submits a complete problem
    response = post(as_clinician, site)

    # Then the problem and its first site report exist, and the browser goes to its page
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("problem-detail", args=[problem.pk])
    assert (problem.title, problem.workflow_area, problem.affected_roles) == (
        VALID["title"],
        "results",
        ["nurse", "physician"],
    )
    assert (problem.submitted_by, problem.safety_concern, problem.status) == (clinician, False, "new")
    report = SiteReport.objects.get()
    assert (report.problem, report.site, report.reporter) == (problem, site, clinician)
    assert (
        report.minutes_lost_per_occurrence,
        report.occurrences_per_shift,
        report.providers_affected_pct,
        report.after_hours_pct,
        report.patient_wait_minutes,
        report.visits_affected_pct,
    ) == (4, 6, 80, 10, 15, 20)


def test_left_out_optional_numbers_take_the_defaults_of_the_spec(as_clinician, site):
    post(
        as_clinician,
        site,
        providers_affected_pct="",
        after_hours_pct="",
        patient_wait_minutes="",
        visits_affected_pct="",
    )

    report = SiteReport.objects.get()
    assert (
        report.providers_affected_pct,
        report.after_hours_pct,
        report.patient_wait_minutes,
        report.visits_affected_pct,
    ) == (100, 0, 0, 0)


def test_a_statement_with_an_mrn_is_refused_on_that_field_and_nothing_of_it_is_logged(as_clinician, site, caplog):
    # Given a statement holding a medical record number
    statement = "Triage note for MRN 7598983 would not save, so the nurse re-typed it."

    # When it is submitted, with every logger listening
    with caplog.at_level(logging.DEBUG):
        response = post(as_clinician, site, statement=statement)

    # Then the form comes back with the error on the statement, naming the kind and where it is
    assert response.status_code == 200
    assert Problem.objects.count() == 0
    errors = response.context["form"].errors
    assert errors == {
        "statement": [
            "“What happens” holds what looks like a medical record number (line 1, characters 21–27). Bridge must "
            "not hold patient information: describe the problem without it."
        ]
    }
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_statement_helptext id_statement_error"' in html
    # and the identifier appears nowhere in the logs
    assert "7598983" not in caplog.text


def test_every_free_text_field_is_screened(as_clinician, site):
    response = post(
        as_clinician,
        site,
        title="Mrs. Garcia waits for strep results",
        proposed_solution="Text the result to 312-555-0199",
        safety_concern="on",
        safety_details="Patient born on March 3, 1961 left before the result",
    )

    assert Problem.objects.count() == 0
    errors = response.context["form"].errors
    assert sorted(errors) == ["proposed_solution", "safety_details", "title"]
    assert "a patient name" in errors["title"][0]
    assert "a phone number" in errors["proposed_solution"][0]
    assert "a date of birth" in errors["safety_details"][0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "The one-line summary is required: say in a few words what goes wrong."),
        (
            "title",
            "x" * 121,
            "The one-line summary can be at most 120 characters (it has 121): put the details in “What happens”.",
        ),
        ("statement", "", "“What happens” is required: describe the problem as it happens today."),
        ("workflow_area", "kitchen", "Where in the workflow: choose one of the listed areas."),
        ("minutes_lost_per_occurrence", "0", "Minutes lost each time: enter a number above 0 and at most 240."),
        ("minutes_lost_per_occurrence", "241", "Minutes lost each time: enter a number above 0 and at most 240."),
        (
            "minutes_lost_per_occurrence",
            "",
            "Minutes lost each time is required: enter a number above 0 and at most 240.",
        ),
        ("occurrences_per_shift", "201", "Times per shift, for one provider: enter a number above 0 and at most 200."),
        (
            "providers_affected_pct",
            "101",
            "Share of providers at your site it affects (%): enter a number at least 0 and at most 100.",
        ),
        (
            "after_hours_pct",
            "-1",
            "Share of that lost time made up after hours (%): enter a number at least 0 and at most 100.",
        ),
        (
            "patient_wait_minutes",
            "300",
            "Minutes a patient waits because of it: enter a number at least 0 and at most 240.",
        ),
        (
            "visits_affected_pct",
            "many",
            "Share of visits where patients wait (%): enter a number at least 0 and at most 100.",
        ),
        ("affected_roles", ["surgeon"], "Who does it slow down: choose among the listed roles."),
        (
            "site",
            "999999",
            "Your site: choose one of the sites you work at (an administrator assigns them).",
        ),
        ("proposed_solution", "y" * 2001, "The idea for a fix can be at most 2,000 characters (it has 2001)."),
    ],
)
def test_each_field_is_validated_with_a_message_naming_it(as_clinician, site, field, value, message):
    response = as_clinician.post(reverse("intake"), {**VALID, "site": site.code, field: value})

    assert response.status_code == 200
    assert Problem.objects.count() == 0
    assert response.context["form"].errors == {field: [message]}


def test_a_safety_concern_needs_its_details_and_is_filed_for_the_safety_lane(as_clinician, site):
    refused = post(as_clinician, site, safety_concern="on", safety_details="  ")
    assert refused.context["form"].errors == {
        "safety_details": [
            "What could go wrong for the patient is required when you mark a safety concern: say it in a line."
        ]
    }

    post(as_clinician, site, safety_concern="on", safety_details="A positive result can sit unread overnight.")

    problem = Problem.objects.get()
    assert (problem.safety_concern, problem.safety_details) == (True, "A positive result can sit unread overnight.")


def test_inactive_sites_are_not_offered(as_clinician, clinician, site):
    closed = SiteFactory(code="CLOSED", name="Closed Clinic", active=False)
    clinician.sites.add(closed)  # even a site they work at, once closed

    response = as_clinician.get(reverse("intake"))

    assert [choice.pk for choice in response.context["form"].fields["site"].queryset] == [site.pk]
    assert post(as_clinician, closed).context["form"].errors == {
        "site": ["Your site: choose one of the sites you work at (an administrator assigns them)."]
    }


def test_another_active_site_can_be_chosen(as_clinician, clinician, site, other_site):
    clinician.sites.add(other_site)
    post(as_clinician, other_site)
    assert SiteReport.objects.get().site == other_site


def test_a_solution_instead_of_a_problem_gets_one_gentle_nudge(as_clinician, site):
    # Given a statement that prescribes a fix
    fix = {"title": "Add a button to print the strep result", "statement": "We need a new field for the lab callback."}

    # When it is first submitted, it is not filed: the page asks what problem it solves
    first = post(as_clinician, site, **fix)
    assert first.status_code == 200
    assert Problem.objects.count() == 0
    html = first.content.decode()
    assert "What problem does it solve?" in html
    assert '<input type="hidden" name="nudged" value="on">' in html

    # When submitted again as it is, it is filed
    second = post(as_clinician, site, nudged="on", **fix)
    assert second.status_code == 302
    assert Problem.objects.get().title == fix["title"]


def test_without_javascript_find_similar_shows_the_panel_and_keeps_what_was_typed(as_clinician, site, clinician):
    # Given an existing problem (with its search entry, as problem_submit writes it)
    existing = ProblemFactory(
        title="Strep results take too long to reach the results tab",
        statement="The analyzer is done but the result does not show for 20 minutes.",
        workflow_area="results",
        submitted_by=clinician,
    )

    # When the clinician asks for similar problems without submitting
    response = post(as_clinician, site, action="similar", title="Strep results take too long")

    # Then nothing is filed, the typed title is kept, and the existing problem is offered
    assert Problem.objects.count() == 1
    assert response.status_code == 200
    assert [item.problem for item in response.context["similar"]] == [existing]
    html = response.content.decode()
    assert 'value="Strep results take too long"' in html
    assert "This happens at my site too" in html
    assert not response.context["form"].errors
