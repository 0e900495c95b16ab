"""The intake as a clinician uses it between two patients: headless Chromium, desktop and phone."""

import re

import pytest

from intake.models import Problem, SiteReport
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory

from .conftest import ARTIFACTS, axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOIN = re.compile(r"^This happens at my site too")


@pytest.fixture
def strep_problem(site, other_site):
    author = UserFactory(username="author", home_site=other_site)
    problem = ProblemFactory(
        title="Strep results take 20 minutes to reach the results tab",
        statement="The analyzer finishes but the result does not show in the results tab for 20 minutes.",
        workflow_area="results",
        submitted_by=author,
        safety_concern=True,
        safety_details="A positive result can sit unread.",
    )
    SiteReportFactory(problem=problem, site=other_site, reporter=author)
    return problem


def fill_problem(page, *, title, statement, minutes="4", occurrences="6"):
    page.get_by_label("In one line, what goes wrong?").fill(title)
    page.get_by_label("What happens?").fill(statement)
    page.get_by_label("Where in the workflow?").select_option("results")
    page.get_by_label("Minutes lost each time").fill(minutes)
    page.get_by_label("Times per shift, for one provider").fill(occurrences)
    page.get_by_label("Nurses").check()


def test_clinician_sees_a_similar_problem_while_typing_and_joins_it(
    page, live_server, login, clinician, site, strep_problem
):
    # Given a clinician on the intake page who has typed their numbers
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")
    page.get_by_label("Minutes lost each time").fill("5")
    page.get_by_label("Times per shift, for one provider").fill("3")

    # When they type a few words of the problem
    page.get_by_label("In one line, what goes wrong?").press_sequentially("Strep results take too long", delay=20)

    # Then the similar problem shows up, with its status, sites and safety flag
    item = page.locator(".similar-item").filter(has_text=strep_problem.title)
    item.wait_for()
    assert item.locator(".badge-safety").inner_text() == "Safety concern"
    assert "Sites: SOUTH" in item.inner_text()
    assert "New" in item.inner_text()
    assert page.locator("#similar-status").inner_text() == "1 similar problem found."
    screenshot(page, "intake-similar-desktop")

    # When they say it happens at their site too
    item.get_by_role("button", name=JOIN).click()

    # Then they land on that problem's page, and their site now reports it: no duplicate
    page.wait_for_url(f"**/problems/{strep_problem.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == strep_problem.title
    assert Problem.objects.count() == 1
    report = SiteReport.objects.get(problem=strep_problem, reporter=clinician)
    assert (report.site, report.minutes_lost_per_occurrence, report.occurrences_per_shift) == (site, 5, 3)


def test_a_statement_with_an_mrn_gets_a_clear_refusal_on_that_field(page, live_server, login, clinician, site):
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")

    # When the statement holds a medical record number
    fill_problem(page, title="Triage notes do not save", statement="")
    page.get_by_label("What happens?").press_sequentially(
        "Triage note for MRN 7598983 would not save, so the nurse re-typed it.", delay=5
    )
    # the panel warns while typing
    page.locator(".phi-warning").wait_for()
    page.get_by_role("button", name="Submit the problem").click()

    # Then nothing is filed and the refusal names the field, the kind of identifier and where it is
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/intake/"
    assert Problem.objects.count() == 0
    error = page.locator("#id_statement_error")
    assert error.inner_text() == (
        "“What happens” holds what looks like a medical record number (line 1, characters 21–27). "
        "Bridge must not hold patient information: describe the problem without it."
    )
    statement = page.get_by_label("What happens?")
    assert statement.get_attribute("aria-invalid") == "true"
    assert "id_statement_error" in statement.get_attribute("aria-describedby")
    assert page.get_by_role("alert").first.is_visible()
    screenshot(page, "intake-phi-refused")


def test_a_new_problem_is_submitted_and_lands_on_its_page(page, live_server, login, clinician, site):
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")

    fill_problem(
        page,
        title="Work note letter needs three signatures",
        statement="Every work note needs a signature in three places, which takes about 4 minutes each time.",
    )
    # the safety details are asked for once the concern is ticked
    details = page.get_by_label("What could go wrong for the patient?")
    assert not details.is_visible()
    page.get_by_label("This could harm a patient (a safety concern)").check()
    details.fill("A patient can leave without the letter and lose a day of work.")
    page.get_by_role("button", name="Submit the problem").click()

    page.wait_for_url(re.compile(r"/problems/\d+/$"))
    problem = Problem.objects.get()
    assert page.url == f"{live_server.url}/problems/{problem.pk}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Work note letter needs three signatures"
    assert SiteReport.objects.get(problem=problem).site == site
    assert (problem.safety_concern, problem.safety_details) == (
        True,
        "A patient can leave without the letter and lose a day of work.",
    )


def test_on_a_phone_the_form_fits_the_screen_shows_similar_problems_and_files_one(
    phone_page, live_server, login, clinician, site, strep_problem
):
    page = phone_page
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")

    # The page fits 390 px: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "intake-phone")
    page.screenshot(path=str(ARTIFACTS / "intake-phone-top.png"))

    # Similar problems show up under what was typed
    title = page.get_by_label("In one line, what goes wrong?")
    title.press_sequentially("Strep results slow on weekends", delay=20)
    page.locator(".similar-item").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Right under the title field, in view without scrolling, saying what matched
    first = page.locator(".similar-item").first
    title_box, item_box = title.bounding_box(), first.bounding_box()
    assert title_box["y"] < item_box["y"] < page.get_by_label("What happens?").bounding_box()["y"]
    assert item_box["y"] < 844
    assert "Matched: strep · results" in first.inner_text()
    page.locator("#similar").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "intake-phone-similar.png"))

    # It is not quite the same problem: the clinician files their own
    fill_problem(
        page,
        title="Strep results slow on weekends",
        statement="On weekends the reference lab sends strep results after the clinic closes.",
    )
    page.get_by_role("button", name="Submit the problem").click()

    page.wait_for_url(re.compile(r"/problems/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Strep results slow on weekends"
    assert Problem.objects.count() == 2


def test_the_form_works_by_keyboard_alone(page, live_server, login, clinician, site):
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")

    # From the one-line summary, Tab walks through the fields in reading order
    page.get_by_label("In one line, what goes wrong?").focus()
    page.keyboard.type("Vitals flowsheet reorders itself")
    page.keyboard.press("Tab")
    page.keyboard.type("After each save the vitals flowsheet puts the columns in a new order.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_workflow_area"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    # the similar panel finds nothing to join, so the next stop is the first number
    assert page.evaluate("document.activeElement.id") == "id_minutes_lost_per_occurrence"
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("10")

    # Enter submits the form
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/problems/\d+/$"))
    assert Problem.objects.get().title == "Vitals flowsheet reorders itself"


def test_the_intake_page_has_no_serious_accessibility_violation(
    page, phone_page, live_server, login, clinician, site, strep_problem
):
    # Desktop, empty form
    login(page, clinician)
    page.goto(f"{live_server.url}/intake/")
    assert axe_serious_violations(page) == []
    screenshot(page, "intake-desktop")

    # With the similar panel and the refusal on screen
    page.get_by_label("In one line, what goes wrong?").fill("Strep results take too long")
    page.get_by_label("What happens?").fill("The chart for MRN 83954862 opened twice.")
    page.get_by_role("button", name="Submit the problem").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_statement_error").wait_for()
    assert axe_serious_violations(page) == []

    # Phone width
    login(phone_page, clinician)
    phone_page.goto(f"{live_server.url}/intake/")
    assert axe_serious_violations(phone_page) == []


def test_without_javascript_the_form_still_files_a_problem(browser, live_server, login, clinician, site, strep_problem):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        login(page, clinician)
        page.goto(f"{live_server.url}/intake/")
        fill_problem(page, title="Strep results take too long", statement="Results show 20 minutes after the analyzer.")

        # "Find similar problems" shows the panel without filing anything
        page.get_by_role("button", name="Find similar problems").click()
        page.locator(".similar-item").filter(has_text=strep_problem.title).wait_for()
        assert page.get_by_label("In one line, what goes wrong?").input_value() == "Strep results take too long"
        assert Problem.objects.count() == 1

        assert page.get_by_label("Minutes lost each time", exact=True).input_value() == "4"
        assert page.get_by_label("Nurses").is_checked()
        page.get_by_role("button", name="Submit the problem").click()

        page.wait_for_url(re.compile(r"/problems/\d+/$"))
        assert page.get_by_role("heading", level=1).inner_text() == "Strep results take too long"
    finally:
        context.close()
