"""The problem page in a real browser: accessible, "me too" from a phone, kind-dependent evidence fields."""

import pytest
from django.db.models import F

from backlog.services import problem_triage
from intake.models import Problem, Role, SiteReport
from intake.services import ReportValues, evidence_add, problem_submit
from scoring.recompute import scores_recompute

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def problem(users, site, other_site):
    """A problem reported at SOUTH by informatics, with evidence and some triage history."""
    pm = users[Role.PRODUCT_MANAGER]
    problem = problem_submit(
        author=users[Role.INFORMATICS],
        site=other_site,
        title="Med rec re-typed at every discharge",
        statement="The home medication list does not carry over, so we re-type it for every discharge.",
        workflow_area="discharge",
        report=ReportValues(minutes_lost_per_occurrence=4, occurrences_per_shift=6, after_hours_pct=30),
        proposed_solution="Carry the list over from the intake note.",
        safety_concern=True,
        safety_details="A missed home medication can be left off the discharge list.",
    )
    evidence_add(problem=problem, added_by=pm, kind="time_study", value=5, sample_size=14, note="Two weeks observed.")
    evidence_add(problem=problem, added_by=pm, kind="cost_report", value=1.5, site=other_site)
    problem_triage(problem_id=problem.pk, actor=pm, version=1, status="triaged", effort_weeks=3)
    scores_recompute(problem_ids=[problem.pk])
    return problem


def test_problem_page_has_no_serious_accessibility_violations(page, phone_page, login, live_server, users, problem):
    for browser_page, role, name in ((page, Role.PRODUCT_MANAGER, "desktop"), (phone_page, Role.CLINICIAN, "phone")):
        login(browser_page, users[role])
        browser_page.goto(f"{live_server.url}/problems/{problem.pk}/")

        assert axe_serious_violations(browser_page) == []
        screenshot(browser_page, f"pages-problem-{name}")


def test_clinician_says_me_too_from_a_phone(phone_page, login, live_server, users, problem):
    clinician = users[Role.CLINICIAN]  # home site NORTH
    login(phone_page, clinician)
    phone_page.goto(f"{live_server.url}/problems/{problem.pk}/")
    assert "across 1 site." in phone_page.locator(".score-line").inner_text()

    phone_page.get_by_role("link", name="This happens at my site too").click()
    form = phone_page.locator("#me-too")
    assert form.get_by_label("Your site", exact=True).input_value() == "NORTH"
    form.get_by_label("Minutes lost each time").fill("3")
    form.get_by_label("Times per shift, for one provider").fill("8")
    form.get_by_role("button", name="Add my site").click()

    phone_page.get_by_text(
        "NORTH's report added; NORTH now counts toward this problem (2 sites instead of 1)", exact=False
    ).wait_for()
    report = SiteReport.objects.get(problem=problem, reporter=clinician)
    assert (report.site.code, report.minutes_lost_per_occurrence, report.occurrences_per_shift) == ("NORTH", 3, 8)
    assert "across 2 sites." in phone_page.locator(".score-line").inner_text()
    assert phone_page.locator("#site-reports").get_by_text("clinician").is_visible()
    screenshot(phone_page, "pages-problem-me-too-phone")


def test_me_too_error_is_shown_on_the_field_and_keeps_the_numbers(phone_page, login, live_server, users, problem):
    login(phone_page, users[Role.CLINICIAN])
    phone_page.goto(f"{live_server.url}/problems/{problem.pk}/#me-too")
    form = phone_page.locator("#me-too")

    form.get_by_label("Minutes lost each time").fill("500")
    form.get_by_label("Times per shift, for one provider").fill("8")
    form.get_by_role("button", name="Add my site").click()

    field = phone_page.locator("#me-too").get_by_label("Minutes lost each time")
    phone_page.get_by_text("Minutes lost each time: enter a number above 0 and at most 240.").wait_for()
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "500"
    assert phone_page.locator("#me-too").get_by_label("Times per shift, for one provider").input_value() == "8"
    assert not SiteReport.objects.filter(reporter=users[Role.CLINICIAN]).exists()
    screenshot(phone_page, "pages-problem-me-too-error-phone")


def test_evidence_fields_follow_the_kind(page, login, live_server, users, problem):
    login(page, users[Role.INFORMATICS])
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    form = page.locator("#add-evidence")
    # Before a choice the select says so, and every field is shown with what it means per kind
    assert form.get_by_label("Kind of evidence").input_value() == ""
    assert form.get_by_role("option", name="Choose the kind of evidence").count() == 1
    form.get_by_label("Kind of evidence").select_option("ehr_metric")
    form.get_by_label("Occurrences per provider per shift").wait_for()
    # A reload does not keep a kind the fields are not laid out for
    page.reload()
    assert form.get_by_label("Kind of evidence").input_value() == ""
    assert form.get_by_label("Sample size").count() == 1
    form.get_by_role("textbox", name="Note").fill("From the EHR audit log")

    form.get_by_label("Kind of evidence").select_option("ehr_metric")

    form.get_by_label("Occurrences per provider per shift").wait_for()
    assert form.get_by_label("Sample size").count() == 0
    assert form.get_by_role("textbox", name="Note").input_value() == "From the EHR audit log"
    form.get_by_label("Occurrences per provider per shift").fill("7")
    form.get_by_label("Site").select_option("SOUTH")
    form.get_by_role("button", name="Add evidence").click()
    page.get_by_text("EHR metric added.").wait_for()
    assert page.locator("#evidence").get_by_text("occurrences per provider per shift at SOUTH").is_visible()
    assert page.locator("#add-evidence").get_by_label("Kind of evidence").input_value() == ""


def test_score_updating_refreshes_by_itself_once_the_new_score_is_stored(
    phone_page, login, live_server, users, problem
):
    Problem.objects.filter(pk=problem.pk).update(inputs_version=F("inputs_version") + 1)
    login(phone_page, users[Role.CLINICIAN])
    phone_page.goto(f"{live_server.url}/problems/{problem.pk}/")
    badge = phone_page.locator("#score .badge-pending")
    assert badge.is_visible()

    scores_recompute(problem_ids=[problem.pk])

    # No reload: the section polls until the stored score is fresh, and the header's badge follows.
    badge.wait_for(state="detached", timeout=8000)
    assert phone_page.locator("#problem-badges .badge-pending").count() == 0
    assert "Priority" in phone_page.locator(".score-line").inner_text()
