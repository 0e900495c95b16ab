"""Backlog text search (?q=, pages and API) and the page's sortable columns."""

import logging

import pytest

from intake.models import Role, Status
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

pytestmark = pytest.mark.django_db


def problem_with(site, minutes, title, statement="It happens every shift.", *, effort=None, **fields):
    problem = ProblemFactory(title=title, statement=statement, effort_weeks=effort, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by, minutes_lost_per_occurrence=minutes)
    return problem


@pytest.fixture
def backlog(site, other_site):
    """Priority = hours × confidence .5 / effort (NORTH 6.67 h a minute, SOUTH 4 h):
    label_fax 40 / 1 week = 20 > printer 48 / 2 = 12 > fax 60 / 4 = 7.5 > inbox 20 / 2 = 5."""
    problems = {
        "fax": problem_with(site, 9, "Fax queue stalls every morning", effort=4),
        "printer": problem_with(other_site, 12, "Label printer jams", "The label printer jams; we FAX the order."),
        "label_fax": problem_with(site, 6, "Labels for 100% of tubes_printed twice", workflow_area="inbox", effort=1),
        "inbox": problem_with(other_site, 5, "Inbox shows duplicate results", status=Status.TRIAGED),
    }
    scores_recompute(problem_ids=[p.pk for p in problems.values()])
    return problems


def titles(response):
    return [item["p"].title for item in response.context["items"]]


def api_titles(response):
    return [item["title"] for item in response.json()["results"]]


# --- ?q= on the page ---------------------------------------------------------------------------


def test_the_page_searches_titles_and_statements_every_word_in_rank_order(client, users, backlog):
    client.force_login(users[Role.PRODUCT_MANAGER])

    # "fax" is in a title and (upper case) in a statement: both, in rank order, ranks unchanged
    response = client.get("/backlog/", {"q": "fax"})
    assert titles(response) == ["Label printer jams", "Fax queue stalls every morning"]
    assert [item["p"].score.rank for item in response.context["items"]] == [2, 3]
    # every word must match, in the title or the statement
    assert titles(client.get("/backlog/", {"q": "printer ORDER"})) == ["Label printer jams"]
    assert titles(client.get("/backlog/", {"q": "printer morning"})) == []
    # % and _ are letters, not wildcards
    assert titles(client.get("/backlog/", {"q": "100%"})) == ["Labels for 100% of tubes_printed twice"]
    assert titles(client.get("/backlog/", {"q": "s_p"})) == ["Labels for 100% of tubes_printed twice"]


def test_the_search_composes_with_the_other_filters_and_the_csv_link_keeps_it(client, users, backlog):
    client.force_login(users[Role.PRODUCT_MANAGER])

    response = client.get("/backlog/", {"q": "fax", "site": "SOUTH"})

    assert titles(response) == ["Label printer jams"]
    assert "/api/v1/backlog/?format=csv&amp;site=SOUTH&amp;q=fax" in response.content.decode()
    assert titles(client.get("/backlog/", {"q": "printed", "workflow_area": "inbox"})) == [
        "Labels for 100% of tubes_printed twice"
    ]


def test_a_search_that_is_too_long_or_holds_patient_information_is_ignored_with_a_message(
    client, users, backlog, caplog
):
    client.force_login(users[Role.PRODUCT_MANAGER])

    too_long = client.get("/backlog/", {"q": "fax " * 30})
    assert len(titles(too_long)) == 4
    assert "Search: at most 100 characters." in too_long.content.decode()

    with caplog.at_level(logging.DEBUG):
        phi = client.get("/backlog/", {"q": "MRN 7598983 fax"})
    assert len(titles(phi)) == 4  # not searched with
    assert "what looks like patient information was typed; it is not searched for" in phi.content.decode()
    assert "7598983" not in caplog.text


# --- ?q= in the API (its own SQL on PostgreSQL) and the CSV ----------------------------------------


def test_the_api_searches_the_same_way_and_keeps_global_ranks(api_as, users, backlog):
    api = api_as(users[Role.IT_LEAD])

    response = api.get("/api/v1/backlog/", {"q": "FAX"})

    assert api_titles(response) == ["Label printer jams", "Fax queue stalls every morning"]
    assert [item["rank"] for item in response.json()["results"]] == [2, 3]
    assert api_titles(api.get("/api/v1/backlog/", {"q": "100%"})) == ["Labels for 100% of tubes_printed twice"]
    assert api_titles(api.get("/api/v1/backlog/", {"q": "fax", "site": "NORTH"})) == ["Fax queue stalls every morning"]
    # paging keeps the search (the next link carries q)
    first = api.get("/api/v1/backlog/", {"q": "fax", "page_size": 1}).json()
    assert "q=fax" in first["next"]
    assert api_titles(api.get(first["next"])) == ["Fax queue stalls every morning"]
    csv = b"".join(api.get("/api/v1/backlog/", {"q": "jams", "format": "csv"}).streaming_content).decode()
    assert csv.count("\n") == 2 and "Label printer jams" in csv


def test_the_api_refuses_a_long_search_or_patient_information_with_400(api_as, users, backlog, caplog):
    api = api_as(users[Role.IT_LEAD])

    assert api.get("/api/v1/backlog/", {"q": "x" * 101}).json()["q"] == ["Search: at most 100 characters."]
    with caplog.at_level(logging.DEBUG):
        refused = api.get("/api/v1/backlog/", {"q": "call 555-867-5309"})
    assert refused.status_code == 400
    assert "patient information" in refused.json()["q"][0]
    assert "867-5309" not in caplog.text


# --- sortable columns ------------------------------------------------------------------------------


def test_columns_sort_from_an_allow_list_with_ties_in_rank_order(client, users, backlog):
    client.force_login(users[Role.PRODUCT_MANAGER])
    ranked = titles(client.get("/backlog/"))
    assert ranked == [
        "Labels for 100% of tubes_printed twice",
        "Label printer jams",
        "Fax queue stalls every morning",
        "Inbox shows duplicate results",
    ]

    by_title = client.get("/backlog/", {"sort": "title"})
    assert titles(by_title) == sorted(ranked, key=str.lower)
    by_effort = titles(client.get("/backlog/", {"sort": "effort"}))
    # 1 week; then 2 (the default) for two problems, in rank order; then 4
    assert by_effort == [
        "Labels for 100% of tubes_printed twice",
        "Label printer jams",
        "Inbox shows duplicate results",
        "Fax queue stalls every morning",
    ]
    # an unknown key is ignored: rank order
    assert titles(client.get("/backlog/", {"sort": "title; DROP TABLE"})) == ranked
    html = by_title.content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="/backlog/?sort=title">Problem</a></th>' in html
    assert "sorted by title (A–Z)" in html


def test_sorting_keeps_the_filters_and_the_cut_line_is_drawn_in_rank_order_only(client, users, backlog):
    client.force_login(users[Role.PRODUCT_MANAGER])

    html = client.get("/backlog/", {"q": "fax", "capacity": "5", "sort": "title"}).content.decode()

    assert '<a href="/backlog/?q=fax&amp;capacity=5&amp;sort=sites">Sites</a>' in html
    assert "The cut line is drawn in rank order" in html
    assert "IT capacity ends here" not in html
