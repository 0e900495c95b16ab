"""Every page renders for every role with what it promises, through the test client."""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from backlog.selectors.outcomes import delivered_problems, outcome_summaries
from backlog.selectors.problem import problem_detail
from backlog.services import outcome_answer, problem_merge, problem_triage
from intake.models import Role
from intake.services import ReportValues, evidence_add, problem_submit, site_report_upsert
from scoring.services import policy_update
from tests.factories import SiteFactory, UserFactory

ROLES = [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN]
PAGES = ["/backlog/", "/my/", "/roadmap/", "/network/", "/outcomes/"]


def submit(author, site, title, *, minutes=3, per_shift=10, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return problem_submit(
            author=author,
            site=site,
            title=title,
            statement="The home medication list does not carry over, so we re-type it.",
            workflow_area="discharge",
            report=ReportValues(minutes_lost_per_occurrence=minutes, occurrences_per_shift=per_shift),
            **kwargs,
        )


@pytest.fixture
def data(users, site, other_site):
    """Three open problems (one with a safety concern, one with a duplicate merged in) and a delivered one."""
    clinician, informatics, pm = users[Role.CLINICIAN], users[Role.INFORMATICS], users[Role.PRODUCT_MANAGER]
    top = submit(
        clinician,
        site,
        "Med rec re-typed at every discharge",
        minutes=5,
        proposed_solution="Copy the list.",
        affected_roles=["physician", "app"],
    )
    safety = submit(
        informatics, other_site, "Allergy banner hidden on tablets", safety_concern=True, safety_details="Missed."
    )
    duplicate = submit(informatics, other_site, "Home meds typed twice", minutes=2)
    delivered = submit(clinician, site, "Inbox shows duplicate lab results", minutes=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        site_report_upsert(
            problem=top,
            site=other_site,
            reporter=informatics,
            report=ReportValues(minutes_lost_per_occurrence=4, occurrences_per_shift=8),
        )
        evidence_add(problem=top, added_by=pm, kind="time_study", value=4.5, sample_size=12, note="Two weeks.")
        evidence_add(problem=top, added_by=pm, kind="cost_report", value=2, site=other_site)
        problem_merge(problem_id=duplicate.pk, into_id=top.pk, actor=pm)
        for status in ("planned", "in_progress", "delivered"):
            delivered = problem_triage(problem_id=delivered.pk, actor=pm, version=delivered.version, status=status)
    outcome_answer(
        problem=delivered,
        site=site,
        respondent=clinician,
        better_care=4,
        less_frustrated=5,
        more_confident=3,
        minutes_saved_per_shift=6,
    )
    return {"top": top, "safety": safety, "duplicate": duplicate, "delivered": delivered}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_listing_page_renders_for_every_role(client, users, data, role, path):
    client.force_login(users[role])

    response = client.get(path)

    assert response.status_code == 200
    assert '<a href="/scoring/policy/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*PAGES, "/problems/1/"])
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            Role.CLINICIAN,
            ["Report a problem", "My problems", "Backlog", "Roadmap", "Network", "Outcomes", "Scoring policy"],
        ),
        (Role.IT_LEAD, ["Backlog", "Roadmap", "Network", "Outcomes", "Scoring policy", "API tokens", "API docs"]),
        (
            Role.ADMIN,
            ["Backlog", "Roadmap", "Network", "Outcomes", "Scoring policy", "API tokens", "API docs", "Audit", "Admin"],
        ),
    ],
)
def test_navigation_follows_the_role(client, users, role, links):
    client.force_login(users[role])

    html = client.get("/network/").content.decode()

    nav = html.split('<ul class="nav-links">')[1].split("</ul>")[0]
    assert re.findall(r">([^<>]+)</a>", nav) == links
    assert '<a href="/network/" aria-current="page">Network</a>' in nav


EXPECTED_FORMS = {
    Role.CLINICIAN: {"me_too", "evidence", "comment", "edit"},  # the clinician submitted the problem, which is new
    Role.INFORMATICS: {"me_too", "evidence", "comment"},
    Role.PRODUCT_MANAGER: {"me_too", "evidence", "comment", "triage", "merge"},
    Role.IT_LEAD: {"evidence", "comment", "triage"},
    Role.ADMIN: {"evidence", "comment"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_problem_page_shows_the_problem_and_the_forms_of_the_role(client, users, data, role):
    client.force_login(users[role])
    top = data["top"]

    response = client.get(f"/problems/{top.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["forms"]) == EXPECTED_FORMS[role]
    assert '<h1 id="problem-title">Med rec re-typed at every discharge</h1>' in html
    assert '<span class="badge badge-status status-new">New</span>' in html
    assert "Rank <strong>#1</strong>" in html
    assert '<h3 id="h-solution">A proposed solution</h3>' in html
    assert "Copy the list." in html
    assert "Affects: APPs (NP/PA), Physicians</p>" in html
    assert "<strong>4.5 minutes</strong> lost per occurrence, 12 observations" in html
    assert f"#{data['duplicate'].pk} Home meds typed twice" in html
    assert "(via #" in html  # the duplicate's site report counts here
    assert "Rank over time" in html and "<polyline" in html
    assert "Merged into:" not in html  # the merge is audited on the duplicate


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kinds"), [(Role.CLINICIAN, ["note"]), (Role.INFORMATICS, None)])
def test_evidence_kinds_follow_the_role(client, users, data, role, kinds):
    client.force_login(users[role])

    form = client.get(f"/problems/{data['top'].pk}/").context["forms"]["evidence"]

    offered = [value for value, _ in form.fields["kind"].choices]
    all_kinds = ["time_study", "ehr_metric", "cost_report", "after_hours_metric", "revenue_report", "survey", "note"]
    assert offered == (kinds or all_kinds)


@pytest.mark.django_db
def test_score_breakdown_adds_up_and_explains_the_formula(client, users, data):
    client.force_login(users[Role.CLINICIAN])

    response = client.get(f"/problems/{data['top'].pk}/")

    bars = {bar.site: bar for bar in response.context["bars"]}
    score = response.context["d"].score
    # The time study (4.5 min) replaces both sites' reported minutes.
    # NORTH: 10 providers × 10/shift × 4 shifts × 4.5 min / 60 = 30 h; SOUTH: 6 × 8 × 4 × 4.5 / 60 = 14.4 h
    assert bars["NORTH"].provider_hours == pytest.approx(30.0)
    assert bars["SOUTH"].provider_hours == pytest.approx(14.4)
    assert bars["SOUTH"].cost_hours == 2
    assert bars["NORTH"].provider_pct == 100.0
    assert score.value_hours_per_week == pytest.approx(30.0 + 14.4 - 2)
    html = response.content.decode()
    assert "How the score is worked out, in plain words" in html
    assert "counts 0.5 extra" in html
    assert "counts at 0.25 of provider time" in html
    assert f"= <strong>{score.value_hours_per_week:.1f} hours a week</strong> of net value" in html


@pytest.mark.django_db
def test_lost_revenue_shows_in_the_breakdown_once_it_is_weighed(client, users, data, other_site):
    # Given the top problem costs SOUTH 1,200 a week in revenue, and the policy counts 0.005 hours per unit
    pm, top = users[Role.PRODUCT_MANAGER], data["top"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        evidence_add(problem=top, added_by=pm, kind="revenue_report", value=1200, site=other_site)
        policy_update(actor=pm, reason="Finance: 200 a week is an hour.", revenue_weight=0.005)
    client.force_login(users[Role.CLINICIAN])

    # When the problem page is read
    response = client.get(f"/problems/{top.pk}/")

    # Then SOUTH's bar carries 1,200 × 0.005 = 6 hours of lost revenue, and the sum says so
    bars = {bar.site: bar for bar in response.context["bars"]}
    assert bars["SOUTH"].revenue_hours_weighted == pytest.approx(6.0)
    assert bars["NORTH"].revenue_hours_weighted == 0
    html = response.content.decode()
    assert "+ 0.005 × 1200 lost revenue a week" in html
    assert "<strong>1,200 a week</strong> in lost revenue at SOUTH" in " ".join(html.split())


@pytest.mark.django_db
def test_merged_problem_page_links_to_the_problem_kept(client, users, data):
    client.force_login(users[Role.CLINICIAN])
    duplicate, top = data["duplicate"], data["top"]

    response = client.get(f"/problems/{duplicate.pk}/")

    html = response.content.decode()
    assert response.context["forms"] == {}
    assert f'merged into <a href="/problems/{top.pk}/">#{top.pk} Med rec re-typed at every discharge</a>' in html
    assert f"Merged into: — → #{top.pk}</li>" in html
    assert "Status: New → Merged</li>" in html


@pytest.mark.django_db
def test_delivered_problem_page_shows_the_outcome_summary_and_survey(client, users, data, settings):
    settings.OUTCOME_MIN_RESPONSES = 1
    client.force_login(users[Role.INFORMATICS])

    response = client.get(f"/problems/{data['delivered'].pk}/")

    html = response.content.decode()
    assert "outcome" in response.context["forms"]
    assert "<dt>Responses</dt><dd>1</dd>" in html
    assert "<dd>4.0 / 5</dd>" in html
    # NORTH: 10 providers × 4 shifts × 6 min / 60 = 4 h realized of 10 × 10 × 4 × 1 / 60 = 6.7 h estimated
    assert "<dd>4.0 h/week</dd>" in html
    assert "<dd>60 %</dd>" in html
    assert "<dt>Sites answered</dt><dd>1 of 1 affected</dd>" in html
    assert "Status: In progress → Delivered</li>" in html


@pytest.mark.django_db
def test_one_answer_is_too_early_for_realized_hours_on_the_problem_and_outcomes_pages(client, users, data):
    # OUTCOME_MIN_RESPONSES is 3 by default; the delivered problem has one answer
    client.force_login(users[Role.INFORMATICS])

    problem_html = client.get(f"/problems/{data['delivered'].pk}/").content.decode()
    outcomes_html = client.get("/outcomes/").content.decode()

    assert "<dd>Too early: 1 of the 3 answers needed</dd>" in problem_html
    assert "Estimate accuracy" not in problem_html
    assert "<dd>4.0 / 5</dd>" in problem_html  # the survey's means are shown from the first answer
    assert "Too early (1 of 3 answers) · 6.7 estimated" in outcomes_html
    assert 'data-label="Sites answered">1 of 1</td>' in outcomes_html
    assert "realized vs 6.7 estimated" not in outcomes_html
    assert ">17 %</td>" not in outcomes_html


@pytest.mark.django_db
def test_my_problems_includes_what_i_added_evidence_to(client, users, data):
    # The product manager submitted and joined nothing, and added the time study and cost report to "top"
    client.force_login(users[Role.PRODUCT_MANAGER])

    response = client.get("/my/")

    (row,) = response.context["page"].object_list
    assert row == data["top"]
    assert (row.submitted_by_me, row.joined_by_me, row.evidence_by_me) == (False, False, True)
    assert '<td data-label="You">added evidence</td>' in response.content.decode()


@pytest.mark.django_db
def test_my_problems_lists_what_i_reported_or_joined(client, users, data):
    client.force_login(users[Role.INFORMATICS])

    response = client.get("/my/")

    rows = {p.title: p for p in response.context["page"].object_list}
    assert set(rows) == {
        "Med rec re-typed at every discharge",
        "Allergy banner hidden on tablets",
        "Home meds typed twice",
    }
    assert rows["Med rec re-typed at every discharge"].submitted_by_me is False
    assert rows["Allergy banner hidden on tablets"].submitted_by_me is True
    html = response.content.decode()
    assert f'into <a href="/problems/{data["top"].pk}/">#{data["top"].pk} Med rec re-typed' in html
    assert html.count(">joined</td>") == 1


@pytest.mark.django_db
def test_network_marks_the_sites_that_report_each_problem(client, users, data, site, other_site):
    SiteFactory(code="IDLE", name="Idle Clinic", active=False)
    client.force_login(users[Role.IT_LEAD])

    matrix = client.get("/network/").context["matrix"]

    assert [s.code for s in matrix.sites] == ["NORTH", "SOUTH"]
    marks = {row.problem.title: row.marks for row in matrix.rows}
    assert marks == {
        "Med rec re-typed at every discharge": [True, True],
        "Allergy banner hidden on tablets": [False, True],
    }
    assert [(load.site.code, load.open_problems) for load in matrix.site_loads] == [("NORTH", 1), ("SOUTH", 2)]


@pytest.mark.django_db
def test_outcomes_page_matches_each_problem_page_summary(client, users, data, site, settings):
    settings.OUTCOME_MIN_RESPONSES = 2
    second_site_user = UserFactory(username="south-doc", home_site=site, role=Role.CLINICIAN)
    outcome_answer(
        problem=data["delivered"],
        site=site,
        respondent=second_site_user,
        better_care=2,
        less_frustrated=3,
        more_confident=5,
        minutes_saved_per_shift=3,
    )
    client.force_login(users[Role.CLINICIAN])

    response = client.get("/outcomes/")

    (row,) = response.context["rows"]
    assert row.summary == problem_detail(data["delivered"].pk).outcomes
    assert (row.summary.responses, row.summary.better_care, row.summary.more_confident) == (2, 3.0, 4.0)
    # median of 6 and 3 minutes at NORTH: 10 × 4 × 4.5 / 60 = 3 h of 6.67 estimated
    assert row.summary.realized_provider_hours_per_week == pytest.approx(3.0)
    assert row.estimated_provider_hours_per_week == pytest.approx(10 * 10 * 4 * 1 / 60)
    html = response.content.decode()
    assert "3.0 realized vs 6.7 estimated" in html
    assert ">45 %</td>" in html


@pytest.mark.django_db
def test_outcome_summaries_cost_a_fixed_number_of_queries(users, data, django_assert_max_num_queries):
    problems = list(delivered_problems())

    with django_assert_max_num_queries(8):
        summaries = outcome_summaries(problems)

    assert [s.problem.pk for s in summaries] == [data["delivered"].pk]


@pytest.mark.django_db
def test_login_page_and_home_redirect_by_role(client, users):
    assert client.get("/login/").status_code == 200
    expected = {
        Role.CLINICIAN: "/intake/",
        Role.INFORMATICS: "/intake/",
        Role.PRODUCT_MANAGER: "/backlog/",
        Role.IT_LEAD: "/backlog/",
        Role.ADMIN: "/admin/",
    }
    for role, where in expected.items():
        client.force_login(users[role])
        assert client.get("/")["Location"] == where


def _problem_page_queries(client, user, problem) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/problems/{problem.pk}/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_problem_page_queries_do_not_grow_with_reports_and_evidence(client, users, data):
    pm, top = users[Role.PRODUCT_MANAGER], data["top"]
    before = _problem_page_queries(client, pm, top)
    for index in range(8):
        site = SiteFactory(code=f"EXTRA{index}")
        reporter = UserFactory(username=f"doc{index}", home_site=site, role=Role.CLINICIAN)
        with TestCase.captureOnCommitCallbacks(execute=True):
            site_report_upsert(
                problem=top,
                site=site,
                reporter=reporter,
                report=ReportValues(minutes_lost_per_occurrence=2, occurrences_per_shift=3),
            )
            evidence_add(problem=top, added_by=reporter, kind="note", note=f"Seen at {site.code}.")

    assert _problem_page_queries(client, pm, top) == before
