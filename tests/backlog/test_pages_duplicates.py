"""The duplicates queue: pairs found ahead of time (backlog.duplicates), the page, "not a duplicate" from it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from backlog.duplicates import duplicate_pairs_refresh, duplicate_pairs_refresh_all, problems_due
from backlog.models import DuplicateDismissal, DuplicatePair, DuplicateScan
from backlog.selectors.duplicates import duplicate_queue
from backlog.services import problem_merge, problem_triage
from backlog.tasks import duplicates_refresh_task
from intake.models import Role, Status
from tests.factories import ProblemFactory, SiteReportFactory

MED_REC = "Every discharge we re-enter the home medication list by hand because the list does not carry over."
FAX = "Prior authorization forms for MRI are still faxed to the insurer and we wait days for an answer."


def problem_at(site, *, title, statement=MED_REC, **fields):
    problem = ProblemFactory(title=title, statement=statement, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    return problem


@pytest.fixture
def backlog_with_copies(site, other_site):
    """Two wordings of the med rec problem, two of the prior-auth one, and one of its own."""
    return {
        "med_rec": problem_at(site, title="Medication reconciliation takes too many clicks"),
        "med_rec_2": problem_at(other_site, title="Med rec needs too many clicks at discharge"),
        "fax": problem_at(site, title="Prior auth for MRI still faxed", statement=FAX),
        "fax_2": problem_at(other_site, title="PA forms for imaging go by fax", statement=FAX),
        "printer": problem_at(site, title="Label printer jams", statement="The wristband label printer jams daily."),
    }


def pairs():
    return {(p.problem_low_id, p.problem_high_id) for p in DuplicatePair.objects.all()}


@pytest.mark.django_db
def test_refresh_pairs_each_problem_with_its_likely_copies_once(backlog_with_copies):
    b = backlog_with_copies

    looked = duplicate_pairs_refresh_all()

    assert looked == 5
    assert pairs() == {(b["med_rec"].pk, b["med_rec_2"].pk), (b["fax"].pk, b["fax_2"].pk)}
    assert all(0.5 <= p.similarity <= 1 and p.why for p in DuplicatePair.objects.all())
    assert problems_due() == []  # nothing changed: nothing to look at again


@pytest.mark.django_db
def test_a_changed_problem_is_looked_at_again_and_a_closed_one_leaves_the_queue(pm, backlog_with_copies):
    b = backlog_with_copies
    duplicate_pairs_refresh_all()

    problem_triage(problem_id=b["fax_2"].pk, actor=pm, version=1, status=Status.DECLINED, decline_reason="Vendor.")

    assert problems_due() == []  # a declined problem is not open: it is not looked at
    assert [(p.problem_low_id, p.problem_high_id) for p in duplicate_queue()] == [(b["med_rec"].pk, b["med_rec_2"].pk)]
    problem_triage(problem_id=b["med_rec"].pk, actor=pm, version=1, status=Status.TRIAGED)
    assert problems_due() == [b["med_rec"].pk]
    assert duplicate_pairs_refresh() == 1
    assert (b["med_rec"].pk, b["med_rec_2"].pk) in pairs()


@pytest.mark.django_db
def test_the_queue_page_shows_pairs_best_first_with_titles_sites_and_why(client, pm, backlog_with_copies):
    b = backlog_with_copies
    client.force_login(pm)

    response = client.get("/backlog/duplicates/")  # without a broker the page looks for pairs itself

    assert response.status_code == 200
    html = response.content.decode()
    ordered = [p.problem_low_id for p in DuplicatePair.objects.order_by("-similarity")]
    positions = [html.index(f'id="pair-{low}-') for low in ordered]
    assert positions == sorted(positions)
    assert f"#{b['med_rec_2'].pk} Med rec needs too many clicks at discharge" in html
    assert "Sites: SOUTH" in html and "Sites: NORTH" in html
    why = DuplicatePair.objects.get(problem_low=b["med_rec"]).why
    assert "Matched: " + "; ".join(why) in html
    assert f"Merge #{b['med_rec_2'].pk} into #{b['med_rec'].pk}" in html
    assert "Label printer jams" not in html


@pytest.mark.django_db
def test_the_queue_costs_the_same_queries_whatever_its_length(client, pm, site, other_site):
    for _ in range(3):
        problem_at(site, title="Medication reconciliation takes too many clicks")
    duplicate_pairs_refresh_all()
    client.force_login(pm)
    with CaptureQueriesContext(connection) as few:
        client.get("/backlog/duplicates/")
    few_pairs = pairs()
    for _ in range(6):
        problem_at(other_site, title="Prior auth for MRI still faxed", statement=FAX)
    duplicate_pairs_refresh_all()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/backlog/duplicates/")

    assert DuplicatePair.objects.count() > len(few_pairs) == 3
    assert response.content.decode().count('class="card duplicate-pair"') == min(DuplicatePair.objects.count(), 20)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_not_a_duplicate_from_the_queue_removes_the_pair(client, pm, backlog_with_copies):
    b = backlog_with_copies
    client.force_login(pm)
    client.get("/backlog/duplicates/")

    response = client.post(
        "/backlog/duplicates/dismiss/",
        {"problem": b["fax"].pk, "other": b["fax_2"].pk, "next": "/backlog/duplicates/"},
        follow=True,
    )

    assert response.redirect_chain == [("/backlog/duplicates/", 302)]
    html = response.content.decode()
    assert f"#{b['fax'].pk} and #{b['fax_2'].pk} are marked as not duplicates" in html
    assert f'id="pair-{b["fax"].pk}-{b["fax_2"].pk}"' not in html
    assert f'id="pair-{b["med_rec"].pk}-{b["med_rec_2"].pk}"' in html
    assert DuplicateDismissal.objects.filter(problem_low=b["fax"], problem_high=b["fax_2"]).exists()


@pytest.mark.django_db
def test_a_merged_pair_leaves_the_queue(client, pm, backlog_with_copies):
    b = backlog_with_copies
    duplicate_pairs_refresh_all()

    problem_merge(problem_id=b["med_rec_2"].pk, into_id=b["med_rec"].pk, actor=pm)
    client.force_login(pm)
    html = client.get("/backlog/duplicates/").content.decode()

    assert f'id="pair-{b["med_rec"].pk}-' not in html
    assert f'id="pair-{b["fax"].pk}-{b["fax_2"].pk}"' in html


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.IT_LEAD, Role.ADMIN])
@pytest.mark.django_db
def test_only_product_managers_see_the_queue_and_its_link(client, users, backlog_with_copies, role):
    client.force_login(users[role])

    page = client.get("/backlog/duplicates/")
    dismiss = client.post(
        "/backlog/duplicates/dismiss/",
        {"problem": backlog_with_copies["fax"].pk, "other": backlog_with_copies["fax_2"].pk},
    )

    assert (page.status_code, dismiss.status_code) == (403, 403)
    assert not DuplicateDismissal.objects.exists()
    assert "/backlog/duplicates/" not in client.get("/backlog/").content.decode()


@pytest.mark.django_db
def test_product_managers_find_the_queue_from_the_backlog_and_the_nav(client, pm):
    client.force_login(pm)

    html = client.get("/backlog/").content.decode()

    assert html.count('href="/backlog/duplicates/"') == 2


@override_settings(CELERY_ENABLED=True)
@pytest.mark.django_db
def test_with_a_worker_the_page_only_reads(client, pm, backlog_with_copies):
    client.force_login(pm)

    response = client.get("/backlog/duplicates/")

    assert response.status_code == 200
    assert not DuplicatePair.objects.exists() and len(problems_due()) == 5
    assert "No likely duplicates right now" in response.content.decode()


@pytest.mark.django_db
def test_the_beat_task_and_the_command_look_at_what_is_due(backlog_with_copies):
    assert duplicates_refresh_task.apply().get() == 5  # one batch, as beat runs it
    assert duplicates_refresh_task.apply().get() == 0
    DuplicatePair.objects.all().delete()
    DuplicateScan.objects.all().delete()
    out = StringIO()
    call_command("duplicates_refresh", stdout=out)

    assert out.getvalue().startswith("duplicates: looked at 5 problem(s) in ")
    assert len(pairs()) == 2
