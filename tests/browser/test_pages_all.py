"""Every page each role can open, at 390 px and 1280 px: no serious or critical axe violation and no
sideways scroll of the whole page (tables scroll inside their own region)."""

import pytest
from django.test import TestCase

from backlog.services import outcome_answer, problem_triage
from intake.models import Role
from intake.services import ReportValues, evidence_add, problem_submit, site_report_upsert
from scoring.recompute import scores_recompute
from scoring.services import policy_update
from tests.factories import SiteFactory, UserFactory

from .conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINICAL_PAGES = ["/intake/", "/my/", "/backlog/", "/roadmap/", "/network/", "/outcomes/", "{top}", "{delivered}"]
PAGES = {
    Role.CLINICIAN: CLINICAL_PAGES,
    Role.INFORMATICS: CLINICAL_PAGES,
    Role.PRODUCT_MANAGER: [*CLINICAL_PAGES, "/scoring/policy/"],
    Role.IT_LEAD: ["/backlog/", "/roadmap/", "/tokens/", "/network/", "/outcomes/", "{top}", "{delivered}"],
    None: ["/"],  # an account without a role
}

# What a page may not do at 390 px: a stacked table's label taller than its row (it would overlap the next)
LABELS_OVERLAP = """() => [...document.querySelectorAll('.stack-sm:not(.compact) td[data-label]')]
  .filter(td => parseFloat(getComputedStyle(td, '::before').height) > td.clientHeight + 1)
  .map(td => td.dataset.label)"""


def report(values=(3, 10)):
    return ReportValues(minutes_lost_per_occurrence=values[0], occurrences_per_shift=values[1])


@pytest.fixture
def walk_data(users, site, other_site):
    """Twelve sites (a wide network matrix), problems at several of them, one delivered with an answer,
    and policy versions with long reasons (a versions table that scrolls)."""
    clinician, pm = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER]
    sites = [site, other_site] + [SiteFactory(code=f"SITE{n:02}", name=f"Clinic number {n}") for n in range(10)]
    with TestCase.captureOnCommitCallbacks(execute=True):
        problems = [
            problem_submit(
                author=clinician,
                site=site,
                title=f"Problem {n}: the order set is missing common tests at urgent care",
                statement="We search for each test one at a time, every shift.",
                workflow_area="orders",
                report=report((3 + n, 10)),
                safety_concern=n == 1,
                safety_details="A missed test." if n == 1 else "",
            )
            for n in range(4)
        ]
        for n, other in enumerate(sites[1:]):
            site_report_upsert(
                problem=problems[n % 3], site=other, reporter=users[Role.INFORMATICS], report=report((2, 4))
            )
        evidence_add(problem=problems[0], added_by=pm, kind="time_study", value=4, sample_size=9, note="Two weeks.")
        delivered = problems[3]
        for status in ("planned", "in_progress", "delivered"):
            delivered = problem_triage(problem_id=delivered.pk, actor=pm, version=delivered.version, status=status)
        outcome_answer(
            problem=delivered,
            site=site,
            respondent=clinician,
            better_care=4,
            less_frustrated=4,
            more_confident=3,
            minutes_saved_per_shift=5,
        )
        for weight in (0.3, 0.4):
            policy_update(
                actor=pm,
                reason="Patient waiting weighs more after the network's review of door-to-doctor times " * 2,
                patient_weight=weight,
            )
    scores_recompute(problem_ids=[p.pk for p in problems])
    return {"top": f"/problems/{problems[0].pk}/", "delivered": f"/problems/{delivered.pk}/"}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("role", list(PAGES), ids=lambda role: role or "no_role")
def test_every_page_is_accessible_and_fits_the_width(browser, login, live_server, users, walk_data, role, width):
    user = users[role] if role else UserFactory(username="newcomer")
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=width < 600)
    page = context.new_page()
    login(page, user)
    problems = []
    for template in PAGES[role]:
        path = template.format(**walk_data)
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
        sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if sideways > 0:
            problems.append(f"{path}: the page scrolls sideways by {sideways} px")
        overlapping = page.evaluate(LABELS_OVERLAP)
        if overlapping:
            problems.append(f"{path}: labels overlap the next row: {overlapping}")
        for violation in axe_serious_violations(page):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{path}: axe {violation['id']} ({violation['impact']}) at {targets}")
    context.close()
    assert problems == []
