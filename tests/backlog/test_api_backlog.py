"""GET /api/v1/backlog/: global ranks, filters, keyset paging, CSV, and a fixed query count."""

import csv
import io
from datetime import timedelta

import pytest

from intake.models import Problem, Role, Status
from scoring.recompute import scores_recompute
from tests.backlog.spec_fields import SCORE_FIELDS
from tests.factories import ProblemFactory, SiteReportFactory

ITEM_KEYS = {
    "id",
    "title",
    "status",
    "workflow_area",
    "safety_concern",
    "external_ref",
    "version",
    "url",
    "created_at",
    *SCORE_FIELDS,
    "score_pending",
}


def problem_with(site, minutes, *, status=Status.NEW, **fields):
    problem = ProblemFactory(status=status, **fields)
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by, minutes_lost_per_occurrence=minutes)
    return problem


@pytest.fixture
def ranked(db, site, other_site):
    """Six open problems in priority order a > … > f, one closed, all scored.

    Provider hours: NORTH 10 providers × 10/shift × 4 shifts × m / 60 = 6.67 m; SOUTH (6 providers) = 4 m.
    a 60, b 48, c 40, d 36, e 26.7, f 20 hours; priority = hours × breadth 1 × confidence .5 / effort 2.
    """
    problems = {
        "a": problem_with(site, 9, status=Status.PLANNED),
        "b": problem_with(other_site, 12, safety_concern=True),
        "c": problem_with(site, 6, status=Status.PLANNED, workflow_area="inbox"),
        "d": problem_with(other_site, 9, status=Status.TRIAGED),
        "e": problem_with(site, 4, safety_concern=True, workflow_area="inbox"),
        "f": problem_with(other_site, 5, status=Status.IN_PROGRESS),
        "closed": problem_with(site, 20, status=Status.DELIVERED),
    }
    scores_recompute(problem_ids=[p.pk for p in problems.values()])
    return problems


def ids(body):
    return [item["id"] for item in body["results"]]


@pytest.mark.django_db
def test_open_problems_come_by_rank_with_every_field(api_as, users, ranked):
    body = api_as(users[Role.IT_LEAD]).get("/api/v1/backlog/").json()

    assert ids(body) == [ranked[k].pk for k in "abcdef"]
    assert [item["rank"] for item in body["results"]] == [1, 2, 3, 4, 5, 6]
    assert (body["next"], body["previous"]) == (None, None)
    first = body["results"][0]
    assert set(first) == ITEM_KEYS
    problem = ranked["a"]
    assert first["url"] == f"http://testserver/problems/{problem.pk}/"
    assert (first["title"], first["status"], first["version"]) == (problem.title, "planned", 1)
    assert first["created_at"] == problem.created_at.isoformat().replace("+00:00", "Z")
    # NORTH: 10 providers × 100% × 10/shift × 4 shifts × 9 min = 3600 min = 60 h; S = 2 active sites
    assert first["provider_hours_per_week"] == pytest.approx(60.0)
    assert first["priority"] == pytest.approx(60.0 * 1 * 0.5 / 2)
    assert (first["sites"], first["sites_affected"], first["score_pending"]) == (["NORTH"], 1, False)
    assert (first["effort_weeks"], first["effort_estimated"], first["policy_version"]) == (2.0, False, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=planned", "ac"),
        ("status=planned,in_progress", "acf"),
        ("status=planned&status=in_progress", "acf"),
        ("site=SOUTH", "bdf"),
        ("site=north,south", "abcdef"),
        ("workflow_area=inbox", "ce"),
        ("safety=true", "be"),
        ("safety=false", "acdf"),
        ("status=planned&workflow_area=inbox", "c"),
    ],
)
@pytest.mark.django_db
def test_filters_keep_global_ranks(api_as, clinician, ranked, query, expected):
    global_rank = {ranked[k].pk: n for n, k in enumerate("abcdef", start=1)}

    body = api_as(clinician).get(f"/api/v1/backlog/?{query}").json()

    assert ids(body) == [ranked[k].pk for k in expected]
    assert [item["rank"] for item in body["results"]] == [global_rank[ranked[k].pk] for k in expected]


@pytest.mark.django_db
def test_closed_statuses_can_be_listed_without_a_rank(api_as, clinician, ranked):
    body = api_as(clinician).get("/api/v1/backlog/?status=delivered").json()

    assert ids(body) == [ranked["closed"].pk]
    assert body["results"][0]["rank"] is None
    assert body["results"][0]["priority"] == pytest.approx(20 * 10 * 10 * 4 / 60 * 0.5 / 2)


@pytest.mark.django_db
def test_a_problem_not_scored_yet_comes_last_pending(api_as, clinician, site, ranked):
    fresh = problem_with(site, 100)

    body = api_as(clinician).get("/api/v1/backlog/").json()

    assert ids(body)[-1] == fresh.pk
    last = body["results"][-1]
    assert (last["rank"], last["priority"], last["sites"], last["score_pending"]) == (None, None, None, True)


@pytest.mark.django_db
def test_a_changed_problem_is_pending_until_recomputed(api_as, users, ranked):
    api_as(users[Role.PRODUCT_MANAGER]).patch(
        f"/api/v1/problems/{ranked['c'].pk}/", {"effort_weeks": 0.5, "version": 1}, format="json"
    )

    body = api_as(users[Role.IT_LEAD]).get("/api/v1/backlog/").json()

    pending = {item["id"]: item["score_pending"] for item in body["results"]}
    assert pending[ranked["c"].pk] is True
    assert sum(pending.values()) == 1


@pytest.mark.django_db
def test_keyset_pages_walk_forward_and_back(api_as, clinician, ranked):
    client = api_as(clinician)

    first = client.get("/api/v1/backlog/?page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    back = client.get(third["previous"]).json()
    start = client.get(back["previous"]).json()

    assert [ids(page) for page in (first, second, third)] == [
        [ranked["a"].pk, ranked["b"].pk],
        [ranked["c"].pk, ranked["d"].pk],
        [ranked["e"].pk, ranked["f"].pk],
    ]
    assert first["previous"] is None
    assert third["next"] is None
    assert ids(back) == ids(second)
    assert ids(start) == ids(first)
    assert start["previous"] is None
    assert "page_size=2" in second["next"]


@pytest.mark.django_db
def test_paging_continues_past_the_ranked_rows_into_pending_ones(api_as, clinician, site, ranked):
    fresh = [problem_with(site, 1), problem_with(site, 2)]
    client = api_as(clinician)

    pages, url = [], "/api/v1/backlog/?page_size=5"
    while url:
        page = client.get(url).json()
        pages.append(ids(page))
        url = page["next"]
    back = client.get(client.get(client.get("/api/v1/backlog/?page_size=5").json()["next"]).json()["previous"])

    assert pages == [[ranked[k].pk for k in "abcde"], [ranked["f"].pk, fresh[0].pk, fresh[1].pk]]
    assert ids(back.json()) == pages[0]


@pytest.mark.django_db
def test_ranks_are_read_fresh_on_every_page(api_as, users, site, ranked):
    """What docs/api.md promises a client paging while ranks change: positions, not a snapshot."""
    client = api_as(users[Role.IT_LEAD])
    first = client.get("/api/v1/backlog/?page_size=2").json()
    # f (rank 6) jumps to the top: the effort estimate shrinks 40-fold.
    api_as(users[Role.PRODUCT_MANAGER]).patch(
        f"/api/v1/problems/{ranked['f'].pk}/", {"effort_weeks": 0.05, "version": 1}, format="json"
    )
    scores_recompute(problem_ids=[ranked["f"].pk])

    second = client.get(first["next"]).json()

    # The page after rank 2 starts at today's rank 3 (b, pushed down from 2, shows again); f is above the cursor.
    assert [(item["id"], item["rank"]) for item in second["results"]] == [(ranked["b"].pk, 3), (ranked["c"].pk, 4)]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("page_size=201", {"page_size": ["Enter a whole number from 1 to 200."]}),
        ("page_size=0", {"page_size": ["Enter a whole number from 1 to 200."]}),
        ("page_size=ten", {"page_size": ["Enter a whole number from 1 to 200."]}),
        ("cursor=bm90LWEtY3Vyc29y", {"cursor": ["This cursor is not valid; start again from the first page."]}),
        ("cursor=%%%", {"cursor": ["This cursor is not valid; start again from the first page."]}),
        ("format=xml", {"format": ['Choose "json" or "csv".']}),
        ("status=open", {"status": ["Select a valid choice. open is not one of the available choices."]}),
        (
            "workflow_area=kitchen",
            {"workflow_area": ["Select a valid choice. kitchen is not one of the available choices."]},
        ),
    ],
)
@pytest.mark.django_db
def test_bad_listing_parameters_are_400(api_as, clinician, ranked, query, errors):
    response = api_as(clinician).get(f"/api/v1/backlog/?{query}")

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.django_db
def test_page_size_200_is_accepted(api_as, clinician, ranked):
    response = api_as(clinician).get("/api/v1/backlog/?page_size=200")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 6


@pytest.mark.django_db
def test_csv_has_the_same_columns_and_every_matching_row(api_as, users, ranked):
    response = api_as(users[Role.PRODUCT_MANAGER]).get("/api/v1/backlog/?format=csv&site=SOUTH&page_size=1")
    json_item = api_as(users[Role.PRODUCT_MANAGER]).get("/api/v1/backlog/?site=SOUTH").json()["results"][0]

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="backlog.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert set(rows[0]) == ITEM_KEYS | {"within_capacity"}
    assert [int(row["id"]) for row in rows] == [ranked[k].pk for k in "bdf"]
    assert {row["within_capacity"] for row in rows} == {""}  # no capacity asked
    assert [row["rank"] for row in rows] == ["2", "4", "6"]
    first = rows[0]
    assert (first["sites"], first["safety_concern"], first["score_pending"]) == ("SOUTH", "true", "false")
    assert first["url"] == json_item["url"]
    assert first["created_at"] == json_item["created_at"]
    assert float(first["priority"]) == round(json_item["priority"], 2)


@pytest.mark.django_db
def test_csv_rounds_numbers_and_marks_the_cut_line_of_a_capacity(api_as, users, ranked):
    # b, d, f at SOUTH, 2 weeks each (the policy default): 5 weeks hold b and d
    response = api_as(users[Role.PRODUCT_MANAGER]).get("/api/v1/backlog/?format=csv&site=SOUTH&capacity=5")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["within_capacity"] for row in rows] == ["true", "true", "false"]
    numbers = [row[name] for row in rows for name in ("priority", "value_hours_per_week", "confidence", "breadth")]
    assert all(len(number.partition(".")[2]) <= 2 for number in numbers), numbers
    assert rows[0]["value_hours_per_week"] == "48.0"  # 12 min × 4 h a minute at SOUTH
    assert api_as(users[Role.PRODUCT_MANAGER]).get("/api/v1/backlog/?format=csv&capacity=-1").json() == {
        "capacity": ["Enter a number of weeks from 0 to 100000."]
    }


@pytest.mark.django_db
def test_csv_also_by_accept_header_and_errors_stay_json(api_as, clinician, ranked):
    client = api_as(clinician)

    by_header = client.get("/api/v1/backlog/", HTTP_ACCEPT="text/csv")
    refused = client.get("/api/v1/backlog/?format=csv&status=nope")
    anonymous = api_as(None).get("/api/v1/backlog/?format=csv")

    assert by_header["Content-Type"] == "text/csv; charset=utf-8"
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/json"
    assert list(refused.json()) == ["status"]
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/json"


@pytest.fixture
def large_backlog(db, site, other_site):
    """250 scored open problems (200 at NORTH) and 10 at NORTH not yet scored: over a page of 200 either way."""
    scored = [problem_with(other_site if n % 5 == 0 else site, 1 + n % 200) for n in range(250)]
    scores_recompute(problem_ids=[p.pk for p in scored])
    for _ in range(10):
        problem_with(site, 5)
    return scored


@pytest.mark.parametrize("query", ["", "&status=new,triaged&workflow_area=discharge&safety=false", "&site=NORTH"])
@pytest.mark.django_db
def test_listing_runs_a_fixed_number_of_queries_whatever_the_page_size(
    api_as, clinician, large_backlog, django_assert_num_queries, query
):
    client = api_as(clinician)
    client.get("/api/v1/sites/")  # the token's first use is recorded (then at most once a minute)
    expected = 3  # the token and its owner's roles, checked on every request (intake.auth), then the page

    for size in (5, 200):
        with django_assert_num_queries(expected):
            response = client.get(f"/api/v1/backlog/?page_size={size}{query}")
        assert len(response.json()["results"]) == size
    following = response.json()["next"]
    with django_assert_num_queries(expected):
        last = client.get(following)
    assert [item["rank"] for item in last.json()["results"]][-1] is None


@pytest.mark.django_db
def test_unknown_site_matches_nothing(api_as, clinician, ranked):
    response = api_as(clinician).get("/api/v1/backlog/?site=MOON")

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert Problem.objects.count() == 7


@pytest.mark.parametrize("size", [1, 2, 3])
@pytest.mark.django_db
def test_pages_break_cleanly_between_problems_of_equal_priority(api_as, clinician, site, size):
    """Equal priorities are ordered by creation time, then id: a page boundary may fall between them."""
    top, tied, bottom = problem_with(site, 12), [problem_with(site, 7) for _ in range(3)], problem_with(site, 2)
    # tied[0] is created last; tied[1] and tied[2] at the same instant, so their id decides.
    moment = tied[1].created_at
    Problem.objects.filter(pk=tied[0].pk).update(created_at=moment + timedelta(seconds=1))
    Problem.objects.filter(pk=tied[2].pk).update(created_at=moment)
    scores_recompute(problem_ids=[p.pk for p in (top, *tied, bottom)])
    client = api_as(clinician)
    expected = [top.pk, tied[1].pk, tied[2].pk, tied[0].pk, bottom.pk]

    pages, url = [], f"/api/v1/backlog/?page_size={size}"
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    backwards, url = [], pages[-1]["previous"]
    while url:
        backwards.append(client.get(url).json())
        url = backwards[-1]["previous"]

    items = [item for page in pages for item in page["results"]]
    assert len({item["priority"] for item in items[1:4]}) == 1
    assert [item["id"] for item in items] == expected
    assert [item["rank"] for item in items] == [1, 2, 3, 4, 5]
    assert [ids(page) for page in reversed(backwards)] == [ids(page) for page in pages[:-1]]
