"""What a walk through every page found (issue 14), fixed and kept fixed: through the test client."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import F

from intake.models import Problem, Role, User
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(users, site):
    problem = ProblemFactory(submitted_by=users[Role.CLINICIAN], title="Med rec re-typed at every discharge")
    SiteReportFactory(problem=problem, site=site, reporter=users[Role.CLINICIAN])
    scores_recompute(problem_ids=[problem.pk])
    return problem


def make_pending(problem):
    Problem.objects.filter(pk=problem.pk).update(inputs_version=F("inputs_version") + 1)


# --- the problem page's "score updating…" asks for the new score, a bounded number of times ------


def test_a_pending_score_polls_its_own_section_until_it_is_there(client, users, scored):
    make_pending(scored)
    client.force_login(users[Role.CLINICIAN])

    html = client.get(f"/problems/{scored.pk}/").content.decode()

    assert "score updating…" in html
    assert f'hx-get="/problems/{scored.pk}/?poll=1" hx-trigger="load delay:2s"' in html
    assert 'hx-select="#score"' in html and 'hx-select-oob="#problem-badges"' in html

    # Each answer asks for the next poll while the score is still pending …
    assert f'hx-get="/problems/{scored.pk}/?poll=8"' in client.get(f"/problems/{scored.pk}/?poll=7").content.decode()
    # … and stops after 30, saying to reload.
    last = client.get(f"/problems/{scored.pk}/?poll=30").content.decode()
    assert "hx-trigger=" not in last.split('id="score"')[1].split(">")[0]
    assert "It is taking longer than usual: reload the page in a minute." in last

    # Once the score is stored, the section no longer polls and the badge is gone.
    scores_recompute(problem_ids=[scored.pk])
    fresh = client.get(f"/problems/{scored.pk}/?poll=3").content.decode()
    assert "score updating…" not in fresh
    assert "?poll=" not in fresh


def test_a_fresh_score_does_not_poll(client, users, scored):
    client.force_login(users[Role.CLINICIAN])

    html = client.get(f"/problems/{scored.pk}/").content.decode()

    assert "?poll=" not in html


# --- an account without a role; the admin's user list ---------------------------------------------


def test_a_user_without_a_role_lands_on_a_page_that_says_what_to_do(client, users):
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Your account has no role yet</h1>" in html
    # whom to ask: the administrators by name
    assert "Ask a Bridge administrator to give you a role (admin)" in html
    assert 'href="/backlog/">read the backlog</a>' in html

    # once given a role, the same address sends them where they work
    newcomer.groups.add(Group.objects.get(name=Role.CLINICIAN))
    assert client.get("/")["Location"] == "/intake/"


def test_the_admin_user_list_shows_each_users_roles(client, users):
    UserFactory(username="newcomer")
    client.force_login(User.objects.create_superuser("root", password="pass-word-123"))

    html = client.get("/admin/intake/user/").content.decode()

    assert '<th scope="col" class="column-roles_held">' in html
    assert '<td class="field-roles_held">Product manager</td>' in html
    assert '<td class="field-roles_held">Clinician</td>' in html
    assert '<td class="field-roles_held">none: no access yet</td>' in html
    assert '<td class="field-roles_held">Administrator</td>' in html  # root, a superuser


# --- the network page: by site, linking to the backlog, beyond the top 30 --------------------------


def test_network_filters_by_site_links_sites_to_the_backlog_and_pages_beyond_30(client, users, site, other_site):
    for n in range(33):
        problem = ProblemFactory(submitted_by=users[Role.CLINICIAN], title=f"Problem {n:02}")
        SiteReportFactory(
            problem=problem,
            site=site if n % 3 else other_site,
            reporter=users[Role.CLINICIAN],
            minutes_lost_per_occurrence=100 - n,
        )
    scores_recompute(problem_ids=list(Problem.objects.values_list("pk", flat=True)))
    client.force_login(users[Role.PRODUCT_MANAGER])

    first = client.get("/network/")
    assert len(first.context["matrix"].rows) == 30
    second = client.get("/network/", {"page": 2})
    assert [row.problem.score.rank for row in second.context["matrix"].rows] == [31, 32, 33]
    assert "Problems 31–33 of 33" in second.content.decode()

    south = client.get("/network/", {"site": "south"})
    rows = south.context["matrix"].rows
    assert len(rows) == 11 and all(row.marks == [False, True] for row in rows)
    html = south.content.decode()
    assert '<option value="SOUTH" selected>' in html
    assert '<a href="/backlog/?site=SOUTH">see them in the backlog</a>' in html
    assert '<a href="/backlog/?site=NORTH" title="North Urgent Care: its problems in the backlog">NORTH</a>' in html


# --- the roadmap -----------------------------------------------------------------------------------


def test_the_roadmap_shows_in_progress_planned_and_delivered_and_what_fits_the_quarter(client, users, site):
    def at(status, minutes, effort, title):
        problem = ProblemFactory(status=status, effort_weeks=effort, title=title, submitted_by=users[Role.CLINICIAN])
        SiteReportFactory(
            problem=problem, site=site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=minutes
        )
        return problem

    at("in_progress", 5, 4, "Doing now")
    at("planned", 9, 3, "Planned first")
    at("planned", 6, 5, "Planned second")
    at("planned", 1, None, "Planned third")  # 2 weeks, the policy default
    at("delivered", 4, 1, "Done already")
    scores_recompute(problem_ids=list(Problem.objects.values_list("pk", flat=True)))
    client.force_login(users[Role.CLINICIAN])

    # 13 weeks by default: 4 in progress, 9 left: the first (3) and second (5) fit, not the third (2 more)
    response = client.get("/roadmap/")
    plan = response.context["plan"]
    assert [p.title for p in plan.in_progress] == ["Doing now"]
    assert [p.title for p in plan.planned] == ["Planned first", "Planned second", "Planned third"]
    assert [p.title for p in plan.delivered] == ["Done already"]
    assert (plan.capacity_weeks, plan.weeks_left, plan.planned_fitting) == (13, 9, 2)
    html = response.content.decode()
    planned = html.split('id="h-planned"')[1].split("</ol>")[0]
    assert planned.index("Planned second") < planned.index("capacity ends here") < planned.index("Planned third")
    assert "<strong>2</strong> of 3 planned problems fit" in html

    assert client.get("/roadmap/", {"capacity": "14"}).context["plan"].planned_fitting == 3
    assert client.get("/roadmap/", {"capacity": "-3"}).context["plan"].capacity_weeks == 13  # refused: the default
