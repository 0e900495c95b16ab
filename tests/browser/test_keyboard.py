"""By keyboard alone: report a problem on the intake page, sort and open one from the backlog, and
say "this happens at my site too" on its page. Only Tab, Shift+Tab, arrows, Space, Enter and typing."""

import pytest

from intake.models import Problem, Role, SiteReport
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return [el.tagName, (el.innerText || "").trim(), label.trim(), el.getAttribute("href") || "", el.value || ""];
}"""


def tab_to(page, matches, *, limit=120):
    """Press Tab until the focused element matches; fail if it never does (it is not reachable)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        tag, text, label, href, value = page.evaluate(FOCUSED)
        seen.append(text or label or href)
        if matches(tag=tag, text=text, label=label, href=href):
            return
    raise AssertionError(f"never reached by Tab; focus went through {seen[-15:]}")


def labelled(name):
    return lambda label, **_: label.startswith(name)


def named(name):
    return lambda text, **_: text == name


def test_a_clinician_reports_a_problem_by_keyboard_alone(page, login, live_server, users, site):
    login(page, users[Role.CLINICIAN])
    page.goto(f"{live_server.url}/intake/")

    tab_to(page, labelled("In one line, what goes wrong?"))
    page.keyboard.type("Lab labels print twice at triage")
    tab_to(page, labelled("What happens?"))
    page.keyboard.type("Every specimen label prints twice, so we shred one each time.")
    tab_to(page, labelled("Where in the workflow?"))
    page.keyboard.press("ArrowDown")
    tab_to(page, labelled("Minutes lost each time"))
    page.keyboard.type("2")
    tab_to(page, labelled("Times per shift"))
    page.keyboard.type("12")
    tab_to(page, labelled("Nurses"))
    page.keyboard.press("Space")
    tab_to(page, named("Submit the problem"))
    page.keyboard.press("Enter")
    # the similar search runs as the title is typed, which can be slow on a loaded machine
    page.wait_for_url("**/problems/*/", timeout=60000)
    problem = Problem.objects.get(title="Lab labels print twice at triage")
    assert problem.affected_roles == ["nurse"]
    assert SiteReport.objects.get(problem=problem).occurrences_per_shift == 12


def test_a_product_manager_sorts_the_backlog_and_says_me_too_by_keyboard_alone(
    page, login, live_server, users, site, other_site
):
    for minutes, title in ((9, "Fax queue stalls every morning"), (3, "Allergy banner hidden on tablets")):
        problem = ProblemFactory(title=title, submitted_by=users[Role.CLINICIAN])
        SiteReportFactory(
            problem=problem, site=other_site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=minutes
        )
    scores_recompute(problem_ids=list(Problem.objects.values_list("pk", flat=True)))
    login(page, users[Role.PRODUCT_MANAGER])
    page.goto(f"{live_server.url}/backlog/")

    # sort by title with the column header's link, then open the first problem
    tab_to(page, lambda text, href, **_: text == "Problem" and "sort=title" in href)
    page.keyboard.press("Enter")
    page.wait_for_url("**/backlog/?sort=title")
    tab_to(page, named("Allergy banner hidden on tablets"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/problems/*/")

    # on the problem page: the jump link, then the me-too form (home site NORTH is chosen)
    tab_to(page, named("This happens at my site too"))
    page.keyboard.press("Enter")
    tab_to(page, labelled("Minutes lost each time"))
    page.keyboard.type("4")
    tab_to(page, labelled("Times per shift"))
    page.keyboard.type("5")
    tab_to(page, named("Add my site"))
    page.keyboard.press("Enter")

    page.get_by_text("NORTH's report added; NORTH now counts toward this problem", exact=False).wait_for()
    report = SiteReport.objects.get(reporter=users[Role.PRODUCT_MANAGER])
    assert (report.problem.title, report.site.code, report.minutes_lost_per_occurrence) == (
        "Allergy banner hidden on tablets",
        "NORTH",
        4,
    )
