"""What a walk through every page found (issue 14), fixed and kept fixed: through the test client."""

import pytest
from django.db.models import F

from intake.models import Problem, Role
from scoring.recompute import scores_recompute
from tests.factories import ProblemFactory, SiteReportFactory

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
