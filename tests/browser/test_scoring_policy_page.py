"""The scoring-policy page in headless Chromium: a product manager changes the weights, and the
progress bar follows a running re-rank by itself (htmx polling) until it is done."""

import pytest
from playwright.sync_api import expect

from intake.models import Role
from scoring.models import JobState, RerankJob, ScoringPolicy
from tests.factories import ProblemFactory, SiteReportFactory

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_product_manager_changes_the_weights_and_sees_the_rerank_done(page, login, live_server, users, site):
    for _ in range(3):
        SiteReportFactory(problem=ProblemFactory(), site=site)
    login(page, users[Role.PRODUCT_MANAGER])
    page.goto(f"{live_server.url}/scoring/policy/")

    page.get_by_label("After-hours weight").fill("1")
    page.get_by_label("Breadth weight").fill("2.5")
    page.get_by_label("Why the change").fill("Shared problems first, as the network board decided.")
    page.get_by_role("button", name="Save and re-rank").click()

    expect(page.get_by_text("Policy version 2 is in force; every problem is being re-ranked.")).to_be_visible()
    expect(page.get_by_role("heading", name="In force: version 2")).to_be_visible()
    expect(page.get_by_text("Done: 3 of 3 problems re-ranked")).to_be_visible()
    policy = ScoringPolicy.objects.get(version=2)
    assert (policy.after_hours_weight, policy.breadth_weight, policy.patient_weight) == (1.0, 2.5, 0.25)
    expect(page.get_by_role("cell", name="Shared problems first, as the network board decided.")).to_be_visible()
    assert axe_serious_violations(page) == []
    screenshot(page, "scoring-policy-changed")


def test_the_progress_bar_follows_a_running_rerank_without_a_reload(page, login, live_server, users):
    job = RerankJob.objects.create(policy_version=2, state=JobState.RUNNING, done=10, total=40)
    login(page, users[Role.CLINICIAN])
    page.goto(f"{live_server.url}/scoring/policy/?job={job.pk}")
    bar = page.get_by_label("Re-ranking: 10 of 40 problems (25%)")
    expect(bar).to_have_attribute("value", "10")
    assert page.get_by_role("button", name="Save and re-rank").count() == 0

    RerankJob.objects.filter(pk=job.pk).update(done=30)
    expect(page.get_by_label("Re-ranking: 30 of 40 problems (75%)")).to_have_attribute("value", "30")
    RerankJob.objects.filter(pk=job.pk).update(done=40, state=JobState.DONE)

    expect(page.get_by_text("Done: 40 of 40 problems re-ranked")).to_be_visible()
    assert axe_serious_violations(page) == []
