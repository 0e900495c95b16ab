"""The backlog page through the test client: ranking, filters, safety lane, capacity cut line,
CSV link, pagination, pending indicator, and a query count that does not grow with the page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Problem, Role, Status
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory


def make_problems(users, site, count, *, minutes=None, **kwargs):
    """`count` problems at `site`; the first has the most minutes, so rank follows creation order."""
    problems = []
    for index in range(count):
        problem = ProblemFactory(submitted_by=users[Role.CLINICIAN], title=f"Problem number {index:03d}", **kwargs)
        SiteReportFactory(
            problem=problem,
            site=site,
            reporter=users[Role.CLINICIAN],
            minutes_lost_per_occurrence=(minutes or {}).get(index, 200 - index),
        )
        problems.append(problem)
    scores_recompute(problem_ids=[p.pk for p in problems])
    return problems


def ranked_titles(html: str) -> list[str]:
    return re.findall(r'<a href="/problems/\d+/">(Problem number \d+)</a> <span class="muted small">', html)


def backlog(client, user, **params):
    client.force_login(user)
    return client.get("/backlog/", params)


@pytest.mark.django_db
def test_backlog_lists_open_problems_by_rank_with_their_numbers(client, users, site):
    problems = make_problems(users, site, 3)
    Problem.objects.filter(pk=problems[1].pk).update(effort_weeks=4)

    html = backlog(client, users[Role.CLINICIAN]).content.decode()

    assert ranked_titles(html) == ["Problem number 000", "Problem number 001", "Problem number 002"]
    first_row = html[html.index(f'<tr id="row-{problems[0].pk}"') :]
    first_row = first_row[: first_row.index("</tr>")]
    # NORTH: 10 providers × 10/shift × 4 shifts × 200 min / 60 = 1333.3 h; × 0.5 confidence / 2 weeks
    assert '<td class="num rank-cell" data-label="Rank">#1</td>' in first_row
    assert ">1333.3</td>" in first_row
    assert ">333.33</td>" in first_row
    assert '2 <span class="muted small">default</span>' in first_row
    assert "Triage" not in first_row


@pytest.mark.django_db
def test_filters_keep_the_global_rank_and_feed_the_csv_link(client, users, site, other_site):
    north = make_problems(users, site, 2)
    south = ProblemFactory(submitted_by=users[Role.CLINICIAN], title="Problem number 900", workflow_area="inbox")
    SiteReportFactory(problem=south, site=other_site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=1)
    scores_recompute(problem_ids=[south.pk])
    Problem.objects.filter(pk=north[1].pk).update(status=Status.TRIAGED)

    response = backlog(
        client, users[Role.PRODUCT_MANAGER], site="SOUTH", status=["new", "triaged"], workflow_area="inbox"
    )
    html = response.content.decode()

    assert ranked_titles(html) == ["Problem number 900"]
    assert f'<tr id="row-{south.pk}"' in html and 'data-label="Rank">#3</td>' in html
    csv = re.search(r'href="(/api/v1/backlog/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(csv).query) == {
        "format": ["csv"],
        "status": ["new,triaged"],
        "site": ["SOUTH"],
        "workflow_area": ["inbox"],
    }
    assert ranked_titles(backlog(client, users[Role.PRODUCT_MANAGER], status="triaged").content.decode()) == [
        "Problem number 001"
    ]


@pytest.mark.django_db
def test_an_unknown_filter_value_is_ignored_with_a_message(client, users, site):
    make_problems(users, site, 2)

    response = backlog(client, users[Role.CLINICIAN], site="NOWHERE", capacity="-3")

    assert response.status_code == 200
    assert set(response.context["filters"].errors) == {"site", "capacity"}
    assert ranked_titles(response.content.decode()) == ["Problem number 000", "Problem number 001"]


@pytest.mark.django_db
def test_safety_lane_shows_every_open_safety_problem_to_product_managers_only(client, users, site):
    make_problems(users, site, 3)
    low = ProblemFactory(submitted_by=users[Role.CLINICIAN], title="Allergy banner hidden", safety_concern=True)
    SiteReportFactory(problem=low, site=site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=0.5)
    closed = ProblemFactory(submitted_by=users[Role.CLINICIAN], title="Old safety issue", safety_concern=True)
    Problem.objects.filter(pk=closed.pk).update(status=Status.DELIVERED)
    scores_recompute(problem_ids=[low.pk, closed.pk])

    pm_page = backlog(client, users[Role.PRODUCT_MANAGER])
    clinician_page = backlog(client, users[Role.CLINICIAN])

    assert [p.title for p in pm_page.context["lane"]] == ["Allergy banner hidden"]
    lane_html = pm_page.content.decode().split('<section class="safety-lane"')[1].split("</section>")[0]
    assert '<span class="lane-rank">#4</span>' in lane_html
    assert "Old safety issue" not in lane_html
    assert "Safety lane" not in clinician_page.content.decode()


@pytest.mark.django_db
def test_capacity_cut_line_falls_after_the_last_problem_that_fits(client, users, site):
    problems = make_problems(users, site, 4)
    Problem.objects.filter(pk=problems[0].pk).update(effort_weeks=3)  # cumulative: 3, 5, 7, 9 (default 2)

    html = backlog(client, users[Role.PRODUCT_MANAGER], capacity="6.5").content.decode()

    assert "the top <strong>2</strong> of 4 problems fit" in html
    rows_and_line = re.findall(r'<tr id="row-(\d+)"|<tr class="(cut-line)">', html)
    order = [row or line for row, line in rows_and_line]
    assert order == [str(problems[0].pk), str(problems[1].pk), "cut-line", str(problems[2].pk), str(problems[3].pk)]


@pytest.mark.django_db
def test_capacity_that_fits_everything_draws_the_line_after_the_last_row(client, users, site):
    make_problems(users, site, 2)

    html = backlog(client, users[Role.CLINICIAN], capacity="100").content.decode()

    assert "Everything listed fits in 100 weeks of IT capacity" in html


@pytest.mark.django_db
def test_pagination_keeps_the_filters_and_the_rank(client, users, site):
    make_problems(users, site, 53)

    response = backlog(client, users[Role.CLINICIAN], page="2", workflow_area="discharge")
    html = response.content.decode()

    assert ranked_titles(html) == ["Problem number 050", "Problem number 051", "Problem number 052"]
    assert 'data-label="Rank">#51</td>' in html
    assert "Showing 51–53 of 53 problems." in html
    assert 'href="?workflow_area=discharge&amp;page=1" rel="prev"' in html


@pytest.mark.django_db
def test_pending_scores_are_flagged(client, users, site):
    (problem,) = make_problems(users, site, 1)
    Problem.objects.filter(pk=problem.pk).update(inputs_version=problem.inputs_version + 1)

    html = backlog(client, users[Role.CLINICIAN]).content.decode()

    row = html[html.index(f'<tr id="row-{problem.pk}"') :].split("</tr>")[0]
    assert '<span class="badge badge-pending">score updating…</span>' in row


@pytest.mark.django_db
def test_product_manager_rows_carry_triage_and_merge_it_lead_rows_delivery_moves(client, users, site):
    new, planned = make_problems(users, site, 2)
    Problem.objects.filter(pk=planned.pk).update(status=Status.PLANNED)

    pm_items = {i["p"].pk: i for i in backlog(client, users[Role.PRODUCT_MANAGER]).context["items"]}
    it_items = {i["p"].pk: i for i in backlog(client, users[Role.IT_LEAD]).context["items"]}

    def moves(item):
        return [value for value, _ in item["triage_form"].fields["status"].choices]

    assert moves(pm_items[new.pk]) == ["", "needs_info", "triaged", "planned", "declined"]
    assert pm_items[new.pk]["merge_form"] is not None
    assert moves(it_items[new.pk]) == [""]
    assert moves(it_items[planned.pk]) == ["", "in_progress"]
    assert it_items[planned.pk]["merge_form"] is None


def _backlog_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/backlog/", {"capacity": "10"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_backlog_page_costs_a_fixed_number_of_queries(client, users, site, count):
    make_problems(users, site, count - 1)
    make_problems(users, site, 1, safety_concern=True)

    # session, user, groups, home site, unread notices, policy, site choices, count, rows, cut line,
    # safety lane rows + count
    assert _backlog_queries(client, users[Role.PRODUCT_MANAGER]) == 12
    assert _backlog_queries(client, users[Role.CLINICIAN]) == 10
