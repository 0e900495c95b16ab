"""A product manager on a phone: the duplicates queue → confirm a merge → undo it, accessible at 390 px."""

import pytest

from intake.models import Problem, Role, Status
from intake.services import ReportValues, problem_submit

from .conftest import axe_serious_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(user, site, title, statement):
    return problem_submit(
        author=user,
        site=site,
        title=title,
        statement=statement,
        workflow_area="discharge",
        report=ReportValues(minutes_lost_per_occurrence=4, occurrences_per_shift=6),
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pm_merges_a_pair_from_the_queue_and_undoes_it_on_a_phone(
    phone_page, login, live_server, users, site, other_site
):
    clinician, pm = users[Role.CLINICIAN], users[Role.PRODUCT_MANAGER]
    clinician.sites.add(other_site)  # a clinician speaks for the sites they work at (§2)
    older = submit(
        clinician,
        site,
        "Medication reconciliation takes too many clicks",
        "Every discharge we re-enter the home medication list by hand because it does not carry over.",
    )
    newer = submit(
        clinician,
        other_site,
        "Med rec needs too many clicks at discharge",
        "At discharge the home medication list has to be typed again by hand, every time.",
    )
    submit(clinician, site, "Label printer jams", "The wristband label printer jams every morning.")
    page = phone_page
    login(page, pm)

    # The queue, from the navigation
    page.goto(f"{live_server.url}/backlog/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Duplicates").click()
    pair = page.locator(f"#pair-{older.pk}-{newer.pk}")
    assert "Sites: SOUTH" in pair.inner_text() and "Sites: NORTH" in pair.inner_text()
    assert axe_serious_violations(page) == [] and no_sideways_scroll(page)
    screenshot(page, "duplicates-queue-phone")

    # Merge → the confirmation names both problems and what happens
    pair.get_by_role("link", name=f"Merge #{newer.pk} into #{older.pk}…").click()
    effects = page.locator("#merge-effects")
    assert f"#{newer.pk} closes as merged into #{older.pk}." in effects.inner_text()
    assert "Its 1 site report and 0 evidence rows count for" in effects.inner_text()
    assert axe_serious_violations(page) == [] and no_sideways_scroll(page)
    screenshot(page, "duplicates-merge-confirm-phone")
    page.get_by_role("button", name=f"Merge #{newer.pk} into #{older.pk}").click()
    page.get_by_text(f"#{newer.pk} is merged into #{older.pk}").wait_for()
    assert f"Merged here from: — → #{newer.pk}" in page.locator("#audit").inner_text()
    assert Problem.objects.get(pk=newer.pk).status == Status.MERGED

    # Undo it from the merged problem's page, after a confirmation
    page.goto(f"{live_server.url}/problems/{newer.pk}/")
    page.get_by_role("link", name="Undo the merge…").click()
    assert f"#{newer.pk} goes back to New" in page.locator("#unmerge-effects").inner_text()
    assert axe_serious_violations(page) == [] and no_sideways_scroll(page)
    page.get_by_role("button", name=f"Undo the merge of #{newer.pk}").click()
    page.get_by_text(f"The merge is undone: #{newer.pk} is New again").wait_for()
    assert Problem.objects.get(pk=newer.pk).status == Status.NEW
    assert axe_serious_violations(page) == []
