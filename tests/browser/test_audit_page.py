"""The audit page in a real browser: administrators only, accessible, readable on a phone."""

import pytest

from backlog.services import problem_triage
from intake.models import Role
from tests.factories import ProblemFactory

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def triaged(users):
    problem = ProblemFactory(title="Strep results reach the inbox 20 minutes late")
    problem_triage(problem_id=problem.pk, actor=users[Role.PRODUCT_MANAGER], version=1, status="triaged")
    return problem


def test_audit_page_on_a_phone_and_a_desktop(page, phone_page, login, live_server, users, triaged):
    for browser_page, name in ((page, "desktop"), (phone_page, "phone")):
        login(browser_page, users[Role.ADMIN])
        browser_page.goto(f"{live_server.url}/backlog/")
        browser_page.get_by_role("link", name="Audit", exact=True).click()
        browser_page.get_by_text("Filters", exact=True).click()
        browser_page.get_by_label("Action").select_option("triage")
        browser_page.get_by_role("button", name="Apply").click()

        rows = browser_page.locator("table.audit-table tbody tr")
        assert rows.count() == 1
        assert "status: triaged" in rows.first.inner_text()
        # nothing wider than the screen: the rows stack on a phone
        width = browser_page.viewport_size["width"]
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_serious_violations(browser_page) == []
        screenshot(browser_page, f"audit-{name}")
