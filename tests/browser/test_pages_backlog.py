"""The backlog in a real browser: accessible, usable on a phone, and a product manager triages inline."""

import pytest

from intake.models import Problem, Role
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [
    "Med rec re-typed at every discharge",
    "Inbox shows duplicate lab results",
    "Allergy banner hidden on tablets",
    "Prior auth form needs the diagnosis again",
    "Discharge instructions print in the wrong language",
]


@pytest.fixture
def backlog(users, site, other_site):
    problems = []
    for index, title in enumerate(TITLES):
        problem = ProblemFactory(
            submitted_by=users[Role.CLINICIAN], title=title, safety_concern=title.startswith("Allergy")
        )
        SiteReportFactory(
            problem=problem, site=site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=10 - index
        )
        if index % 2 == 0:
            SiteReportFactory(problem=problem, site=other_site, reporter=users[Role.INFORMATICS])
        problems.append(problem)
    Problem.objects.filter(pk=problems[1].pk).update(effort_weeks=3)
    scores_recompute(problem_ids=[p.pk for p in problems])
    return problems


def test_backlog_has_no_serious_accessibility_violations(page, phone_page, login, live_server, users, backlog):
    for browser_page, name in ((page, "desktop"), (phone_page, "phone")):
        login(browser_page, users[Role.PRODUCT_MANAGER])
        browser_page.goto(f"{live_server.url}/backlog/?capacity=5")

        assert axe_serious_violations(browser_page) == []
        assert browser_page.get_by_role("heading", name="Safety lane (1)").is_visible()
        screenshot(browser_page, f"pages-backlog-{name}")


def test_product_manager_moves_a_status_inline_without_leaving_the_page(page, login, live_server, users, backlog):
    problem = backlog[0]
    login(page, users[Role.PRODUCT_MANAGER])
    page.goto(f"{live_server.url}/backlog/")
    page.evaluate("window.stillHere = true")
    row = page.locator(f"#row-{problem.pk}")

    row.locator("summary").click()
    row.get_by_label("Move to").select_option("triaged")
    row.get_by_label("Effort (weeks)").fill("4")
    row.get_by_role("button", name=f"Save triage of #{problem.pk}").click()

    row.get_by_role("status").filter(has_text=f"Saved. #{problem.pk} is Triaged (version 2).").wait_for()
    assert row.locator(".badge-status").inner_text() == "Triaged"
    assert row.locator("td[data-label='Effort (weeks)']").inner_text() == "4"
    assert page.evaluate("window.stillHere") is True
    problem.refresh_from_db()
    assert (problem.status, problem.effort_weeks, problem.version) == ("triaged", 4, 2)
    screenshot(page, "pages-backlog-inline-triage")


def test_inline_triage_error_stays_in_the_row_with_what_was_typed(page, login, live_server, users, backlog):
    problem = backlog[0]
    login(page, users[Role.PRODUCT_MANAGER])
    page.goto(f"{live_server.url}/backlog/")
    row = page.locator(f"#row-{problem.pk}")

    row.locator("summary").click()
    row.get_by_label("Move to").select_option("declined")
    row.get_by_label("Effort (weeks)").fill("2.5")
    row.get_by_role("button", name=f"Save triage of #{problem.pk}").click()

    row.get_by_text("Say why the problem is declined.").wait_for()
    assert row.get_by_label("Effort (weeks)").input_value() == "2.5"
    assert row.get_by_label("Reason for declining").get_attribute("aria-invalid") == "true"
    problem.refresh_from_db()
    assert problem.status == "new"
