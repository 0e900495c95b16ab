"""Notifications, e-mail preferences and the discussion in a real browser: accessible, usable on a phone."""

import pytest

from backlog.services import comment_add, problem_triage
from intake.models import Role
from intake.services import ReportValues, problem_submit

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asked(users, site):
    """The clinician's problem, moved to needs info by the product manager (the fan-out runs in-process)."""
    problem = problem_submit(
        author=users[Role.CLINICIAN],
        site=site,
        title="Strep results arrive 20 minutes late",
        statement="After the analyzer finishes, the result takes 20 minutes to reach the results tab.",
        workflow_area="results",
        report=ReportValues(minutes_lost_per_occurrence=3, occurrences_per_shift=8),
    )
    problem_triage(
        problem_id=problem.pk,
        actor=users[Role.PRODUCT_MANAGER],
        version=1,
        status="needs_info",
        question="Which analyzer model?",
    )
    comment_add(problem_id=problem.pk, author=users[Role.IT_LEAD], body="The interface engine queues results.")
    return problem


def test_the_pages_have_no_serious_accessibility_violations(page, phone_page, login, live_server, users, asked):
    for browser_page, name in ((page, "desktop"), (phone_page, "phone")):
        login(browser_page, users[Role.CLINICIAN])
        for path, shot in (
            ("/notifications/", "notifications"),
            ("/preferences/", "preferences"),
            (f"/problems/{asked.pk}/", "problem-needs-info"),
        ):
            browser_page.goto(f"{live_server.url}{path}")
            assert axe_serious_violations(browser_page) == []
            screenshot(browser_page, f"{shot}-{name}")


def test_a_clinician_reads_the_question_answers_it_with_a_comment_and_marks_notices_read(
    phone_page, login, live_server, users, asked
):
    login(phone_page, users[Role.CLINICIAN])
    phone_page.goto(f"{live_server.url}/notifications/")
    assert phone_page.locator(".count-badge").inner_text().startswith("2")

    phone_page.get_by_role("link", name=f"Open #{asked.pk}").first.click()
    assert "Which analyzer model?" in phone_page.locator("#question").inner_text()
    phone_page.get_by_label("Comment").fill("The Sofia 2 analyzers at North.")
    phone_page.get_by_role("button", name="Post comment").click()
    phone_page.wait_for_url(f"**/problems/{asked.pk}/*")

    assert "The Sofia 2 analyzers at North." in phone_page.locator("#discussion").inner_text()
    assert phone_page.locator(".badge-status").first.inner_text() == "New"
    phone_page.goto(f"{live_server.url}/notifications/")
    phone_page.get_by_role("button", name="Mark all 2 read").click()
    assert phone_page.locator(".count-badge").count() == 0
