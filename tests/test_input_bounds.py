"""Bad input never costs a 500 or a stalled worker (docs/deploy.md): list filters and JSON nesting
are bounded, and each refusal is a 400 naming the field. The attack run's cases: 600 site codes in
`GET /api/v1/backlog/?site=` (24.6 s on gunicorn) and JSON nested ~1,000 deep to the token endpoint
(an unauthenticated 500)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from intake.models import Role
from intake.numbers import FILTER_VALUES_MAX
from tests.factories import ProblemFactory, SiteFactory, SiteReportFactory

pytestmark = pytest.mark.django_db

JSON_DEPTH_MAX = 16  # api.parsers.JSON_DEPTH_MAX (checked below)


def codes(count: int) -> list[str]:
    return [f"S{n:04d}" for n in range(count)]


@pytest.fixture
def reported(users, site):
    problem = ProblemFactory(submitted_by=users[Role.CLINICIAN])
    SiteReportFactory(problem=problem, site=site, reporter=users[Role.CLINICIAN])
    return problem


# --- the backlog API's list filters -----------------------------------------------------------


def test_api_600_site_codes_are_refused_at_once_naming_site(api_as, users):
    client = api_as(users[Role.IT_LEAD])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/backlog/", {"site": ",".join(codes(600))})

    assert response.status_code == 400
    assert response.json() == {"site": ["At most 50 site codes in one filter (600 given)."]}
    # refused before the listing is read: no query touches the problems
    assert not [q["sql"] for q in queries.captured_queries if "intake_problem" in q["sql"]]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_api_site_filter_bound_counts_repeated_and_comma_separated_codes(api_as, users, fmt):
    client = api_as(users[Role.IT_LEAD])
    split = codes(FILTER_VALUES_MAX + 1)
    query = f"site={','.join(split[:30])}&" + "&".join(f"site={code}" for code in split[30:]) + f"&format={fmt}"

    response = client.get(f"/api/v1/backlog/?{query}")

    assert response.status_code == 400
    assert response.json() == {"site": ["At most 50 site codes in one filter (51 given)."]}


def test_api_50_site_codes_are_answered(api_as, users, site, reported):
    response = api_as(users[Role.IT_LEAD]).get("/api/v1/backlog/", {"site": ",".join(["NORTH", *codes(49)])})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [reported.pk]


@pytest.mark.parametrize(
    ("name", "noun", "value"), [("status", "statuses", "new"), ("workflow_area", "workflow areas", "inbox")]
)
def test_api_every_list_filter_is_bounded(api_as, users, name, noun, value):
    response = api_as(users[Role.IT_LEAD]).get("/api/v1/backlog/", {name: ",".join([value] * 51)})

    assert response.status_code == 400
    assert response.json() == {name: [f"At most 50 {noun} in one filter (51 given)."]}


def test_api_affected_roles_list_is_bounded(api_as, clinician, site):
    body = {
        "title": "Inbox shows results twice",
        "statement": "Each result lands twice in the inbox.",
        "workflow_area": "inbox",
        "site": "NORTH",
        "minutes_lost_per_occurrence": 2,
        "occurrences_per_shift": 3,
        "affected_roles": ["nurse"] * 7,
    }

    response = api_as(clinician).post("/api/v1/problems/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["affected_roles"]


# --- the backlog page's filters ---------------------------------------------------------------


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_page_more_than_50_site_codes_is_a_400_naming_site(users, site):
    for code in codes(51):
        SiteFactory(code=code)
    query = "&".join(f"site={code}" for code in codes(51))

    response = page_client(users[Role.PRODUCT_MANAGER]).get(f"/backlog/?{query}")

    assert response.status_code == 400
    assert response.context["filters"].errors["site"] == ["At most 50 site codes in one filter (51 given)."]
    assert "At most 50 site codes in one filter (51 given)." in response.content.decode()


def test_page_status_list_is_bounded_and_50_sites_are_fine(users, site, reported):
    client = page_client(users[Role.PRODUCT_MANAGER])

    statuses = client.get("/backlog/?" + "&".join(["status=new"] * 51))
    fifty = client.get("/backlog/?" + "&".join(["site=NORTH"] * 50))

    assert statuses.status_code == 400
    assert statuses.context["filters"].errors["status"] == ["At most 50 statuses in one filter (51 given)."]
    assert fifty.status_code == 200
    assert [item["p"].pk for item in fifty.context["items"]] == [reported.pk]


# --- JSON nesting -----------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [17, 1_000, 5_000])
def test_deeply_nested_json_to_the_token_endpoint_is_a_400(client, depth):
    body = f'{{"username": {nested(depth)}, "password": "x"}}'

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [f"The request body nests deeper than {JSON_DEPTH_MAX} levels."]}


def test_nesting_within_the_bound_reaches_the_serializer(client):
    body = f'{{"username": {nested(JSON_DEPTH_MAX - 1)}, "password": "x"}}'

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert "username" in response.json()


def test_deep_json_to_a_write_endpoint_stores_nothing(api_as, clinician, reported):
    body = '{"site": "NORTH", "minutes_lost_per_occurrence": ' + nested(1_000) + "}"

    response = api_as(clinician).post(
        f"/api/v1/problems/{reported.pk}/site-reports/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert reported.site_reports.count() == 1


def test_depth_is_measured_through_objects_and_lists():
    from api.parsers import JSON_DEPTH_MAX as bound
    from api.parsers import json_depth_exceeds

    assert bound == JSON_DEPTH_MAX
    assert not json_depth_exceeds({"a": [1, {"b": 2}]}, 3)
    assert json_depth_exceeds({"a": [1, {"b": [3]}]}, 3)
    assert not json_depth_exceeds("text", 0)
