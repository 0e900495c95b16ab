"""The scoring-policy page: everyone signed in reads it, product managers change the weights,
and a progress bar follows the re-rank (an htmx partial that stops polling when the job is over).

Test settings run the re-rank in-process right after commit, so after a change the job is done.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import Role
from scoring.models import JobState, RerankJob, ScoringPolicy
from tests.factories import ProblemFactory, SiteReportFactory

pytestmark = pytest.mark.django_db

URL = "/scoring/policy/"
WEIGHTS = {
    "after_hours_weight": "1.5",
    "patient_weight": "0.5",
    "breadth_weight": "2",
    "default_effort_weeks": "3",
    "reason": "After-hours charting is the first complaint in the staff survey.",
}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_url_is_named():
    assert reverse("scoring-policy") == URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={URL}"


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.IT_LEAD, Role.ADMIN])
def test_everyone_signed_in_reads_the_weights_and_versions_but_only_product_managers_get_the_form(as_user, users, role):
    response = as_user(users[role]).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "In force: version 1" in page
    for label, value in [
        ("After-hours weight", "0.5"),
        ("Patient weight", "0.25"),
        ("Breadth weight", "1.0"),
        ("Default effort (weeks)", "2.0"),
    ]:
        assert f'<tr><th scope="row">{label}</th><td class="num">{value}</td></tr>' in page
    assert '<form method="post" action="/scoring/policy/"' not in page
    assert "Save and re-rank" not in page


def test_a_product_manager_sees_the_form_filled_with_the_weights_in_force(as_user, pm):
    page = as_user(pm).get(URL).content.decode()

    assert 'name="after_hours_weight" value="0.5"' in page
    assert 'name="patient_weight" value="0.25"' in page
    assert 'name="breadth_weight" value="1.0"' in page
    assert 'name="default_effort_weeks" value="2.0"' in page
    assert "Save and re-rank" in page


def test_a_product_manager_changes_the_weights_and_sees_the_rerank_progress(
    as_user, pm, site, django_capture_on_commit_callbacks
):
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site)
    client = as_user(pm)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, WEIGHTS)

    job = RerankJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?job={job.pk}"
    policy = ScoringPolicy.objects.get(version=2)
    assert (policy.after_hours_weight, policy.patient_weight, policy.breadth_weight, policy.default_effort_weeks) == (
        1.5,
        0.5,
        2.0,
        3.0,
    )
    assert policy.created_by == pm
    assert (job.policy_version, job.created_by) == (2, pm)

    page = client.get(response["Location"]).content.decode()
    assert "Policy version 2 is in force; every problem is being re-ranked." in page
    assert "In force: version 2" in page
    assert "Re-rank for version 2" in page
    assert "Done: 1 of 1 problems re-ranked" in page
    assert 'hx-trigger="every 1s"' not in page  # nothing left to poll
    versions = page.split('id="h-history"')[1]
    assert versions.index("<td>product_manager</td>") < versions.index('<span class="muted">default</span>')


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.IT_LEAD, Role.ADMIN])
def test_only_product_managers_may_change_the_policy(as_user, users, role):
    response = as_user(users[role]).post(URL, WEIGHTS)

    assert response.status_code == 403
    assert ScoringPolicy.objects.count() == 1
    assert RerankJob.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"after_hours_weight": "-0.1"}, "after_hours_weight", "Ensure this value is greater than or equal to 0."),
        ({"patient_weight": "10.5"}, "patient_weight", "Ensure this value is less than or equal to 10.0."),
        ({"breadth_weight": "lots"}, "breadth_weight", "Enter a number."),
        ({"default_effort_weeks": "0"}, "default_effort_weeks", "Effort must be more than 0 weeks."),
        ({"default_effort_weeks": ""}, "default_effort_weeks", "This field is required."),
    ],
)
def test_weights_out_of_range_are_refused_with_the_field_named(as_user, pm, change, field, message):
    response = as_user(pm).post(URL, {**WEIGHTS, **change})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'<ul class="errorlist" id="id_{field}_errors"><li>{message}</li></ul>' in response.content.decode()
    assert ScoringPolicy.objects.count() == 1


def test_a_running_job_polls_its_progress_partial(as_user, clinician):
    job = RerankJob.objects.create(policy_version=2, state=JobState.RUNNING, done=2000, total=8000)
    client = as_user(clinician)

    page = client.get(f"{URL}?job={job.pk}").content.decode()
    partial = client.get(f"/scoring/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")

    assert f'hx-get="/scoring/jobs/{job.pk}/progress/" hx-trigger="every 1s" hx-swap="innerHTML"' in page
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "Re-ranking: 2000 of 8000 problems (25%)" in body
    assert '<progress id="job-progress-bar" max="8000" value="2000"' in body


def test_the_partial_tells_htmx_to_stop_polling_once_the_job_is_over(as_user, clinician):
    job = RerankJob.objects.create(policy_version=2, state=JobState.DONE, done=8000, total=8000)

    response = as_user(clinician).get(f"/scoring/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")

    assert response.status_code == 286
    assert "Done: 8000 of 8000 problems re-ranked" in response.content.decode()


def test_a_queued_job_says_it_waits_for_a_worker(as_user, clinician):
    job = RerankJob.objects.create(policy_version=2)

    body = as_user(clinician).get(f"/scoring/jobs/{job.pk}/progress/").content.decode()

    assert "Waiting for a worker to start the re-rank" in body


def test_an_unknown_job_is_not_found(as_user, clinician):
    client = as_user(clinician)

    assert client.get("/scoring/jobs/00000000-0000-0000-0000-000000000000/progress/").status_code == 404
    assert client.get(f"{URL}?job=not-a-job").status_code == 200


def test_the_navigation_marks_the_policy_page_as_current(as_user, clinician):
    page = as_user(clinician).get(URL).content.decode()

    assert page.count(">Scoring policy</a>") == 1
    assert '<a href="/scoring/policy/" aria-current="page">Scoring policy</a>' in page


def test_a_change_needs_a_reason_which_the_history_shows(as_user, pm, django_capture_on_commit_callbacks):
    client = as_user(pm)

    refused = client.post(URL, {**WEIGHTS, "reason": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(URL, WEIGHTS)

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"reason": ["Say why the weights change: the policy history shows it."]}
    assert accepted.status_code == 302
    page = client.get(URL).content.decode()
    versions = page.split('id="h-history"')[1]
    assert "<td>After-hours charting is the first complaint in the staff survey.</td>" in versions
    assert "<td>—</td>" in versions  # the default version has no reason
    assert ScoringPolicy.objects.get(version=2).reason == WEIGHTS["reason"]


def test_patient_information_in_the_reason_is_refused_on_its_field(as_user, pm):
    response = as_user(pm).post(URL, {**WEIGHTS, "reason": "As discussed with pt John Smith at the desk"})

    assert response.status_code == 200
    (message,) = response.context["form"].errors["reason"]
    assert "patient name" in message
    assert ScoringPolicy.objects.count() == 1


def test_the_revenue_weight_is_on_the_page_and_left_empty_keeps_the_one_in_force(
    as_user, pm, django_capture_on_commit_callbacks
):
    client = as_user(pm)
    page = client.get(URL).content.decode()
    assert '<tr><th scope="row">Revenue weight</th><td class="num">0.0</td></tr>' in page
    assert 'name="revenue_weight" value="0.0"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**WEIGHTS, "revenue_weight": "0.02"})
        client.post(URL, {**WEIGHTS, "revenue_weight": "", "reason": "Patient weight up again."})

    assert list(ScoringPolicy.objects.order_by("version").values_list("revenue_weight", flat=True)) == [0, 0.02, 0.02]
