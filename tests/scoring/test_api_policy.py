"""The scoring policy and re-rank jobs through the API."""

import uuid

import pytest

from intake.models import Role
from scoring.models import JobState, RerankJob, ScoringPolicy
from tests.factories import ProblemFactory, SiteReportFactory

WEIGHTS = {"after_hours_weight": 1.0, "patient_weight": 0.5, "breadth_weight": 2.0, "default_effort_weeks": 4.0}
REASON = "Weigh patient waiting more, as the network board decided."


@pytest.mark.django_db
def test_everyone_reads_the_policy_in_force(api_as, clinician):
    response = api_as(clinician).get("/api/v1/scoring/policy/")

    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "created_at"} == {
        "version": 1,
        "after_hours_weight": 0.5,
        "patient_weight": 0.25,
        "breadth_weight": 1.0,
        "default_effort_weeks": 2.0,
        "revenue_weight": 0.0,
        "reason": "",
        "created_by": None,
    }


@pytest.mark.django_db
def test_a_product_manager_changes_the_weights_and_gets_a_job(api_as, users, site, django_capture_on_commit_callbacks):
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site)
    client = api_as(users[Role.PRODUCT_MANAGER])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.put("/api/v1/scoring/policy/", {**WEIGHTS, "reason": REASON}, format="json")

    assert response.status_code == 202, response.json()
    body = response.json()
    job = RerankJob.objects.get()
    assert body["job"] == str(job.pk)
    assert response["Location"] == f"http://testserver/api/v1/jobs/{job.pk}/"
    assert {k: body[k] for k in WEIGHTS} == WEIGHTS
    assert (body["version"], body["created_by"]) == (2, "product_manager")
    progress = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (progress["state"], progress["done"], progress["total"], progress["policy_version"]) == ("done", 1, 1, 2)
    assert progress["finished_at"] is not None
    item = client.get("/api/v1/backlog/").json()["results"][0]
    # 3 min × 10/shift × 4 shifts × 10 providers = 20 h; confidence .5; the new default effort of 4 weeks
    assert (item["policy_version"], item["effort_weeks"]) == (2, 4.0)
    assert item["priority"] == pytest.approx(20 * 0.5 / 4)


@pytest.mark.django_db
def test_a_job_not_started_yet_is_queued(api_as, users):
    client = api_as(users[Role.PRODUCT_MANAGER])

    job_id = client.put("/api/v1/scoring/policy/", {**WEIGHTS, "reason": REASON}, format="json").json()["job"]

    assert client.get(f"/api/v1/jobs/{job_id}/").json()["state"] == JobState.QUEUED


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"after_hours_weight": -0.1}, {"after_hours_weight": ["Enter a number at least 0 and at most 10."]}),
        ({"patient_weight": 10.5}, {"patient_weight": ["Enter a number at least 0 and at most 10."]}),
        ({"breadth_weight": "lots"}, {"breadth_weight": ["A valid number is required."]}),
        ({"default_effort_weeks": 0}, {"default_effort_weeks": ["Enter a number more than 0 and at most 520."]}),
        ({"default_effort_weeks": None}, {"default_effort_weeks": ["This field may not be null."]}),
    ],
)
@pytest.mark.django_db
def test_weights_out_of_range_are_refused(api_as, users, change, errors):
    response = api_as(users[Role.PRODUCT_MANAGER]).put(
        "/api/v1/scoring/policy/", {**WEIGHTS, "reason": REASON, **change}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert ScoringPolicy.objects.count() == 1
    assert RerankJob.objects.count() == 0


@pytest.mark.django_db
def test_a_put_must_carry_every_weight(api_as, users):
    response = api_as(users[Role.PRODUCT_MANAGER]).put(
        "/api/v1/scoring/policy/", {"patient_weight": 1, "reason": REASON}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "after_hours_weight": ["This field is required."],
        "breadth_weight": ["This field is required."],
        "default_effort_weeks": ["This field is required."],
    }


@pytest.mark.django_db
def test_an_unknown_job_is_404(api_as, clinician):
    response = api_as(clinician).get(f"/api/v1/jobs/{uuid.uuid4()}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No RerankJob matches the given query."}


@pytest.mark.django_db
def test_a_change_needs_a_reason_and_a_put_without_the_revenue_weight_keeps_it(api_as, users):
    client = api_as(users[Role.PRODUCT_MANAGER])

    no_reason = client.put("/api/v1/scoring/policy/", WEIGHTS, format="json")
    with_revenue = client.put("/api/v1/scoring/policy/", {**WEIGHTS, "revenue_weight": 0.005, "reason": REASON})
    without = client.put("/api/v1/scoring/policy/", {**WEIGHTS, "reason": "Only the hours change."}, format="json")

    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["This field is required."]}
    assert (with_revenue.status_code, without.status_code) == (202, 202)
    assert (with_revenue.json()["revenue_weight"], without.json()["revenue_weight"]) == (0.005, 0.005)
    assert [(p.version, p.reason) for p in ScoringPolicy.objects.order_by("version")] == [
        (1, ""),
        (2, REASON),
        (3, "Only the hours change."),
    ]
