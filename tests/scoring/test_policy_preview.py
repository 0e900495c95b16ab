"""Safer policy changes: a preview of what moves (top N, cut line) before saving, and going back
to an earlier version's weights as a new version, with a reason."""

from __future__ import annotations

import pytest

from intake.models import Role
from scoring.engine import Policy
from scoring.models import ProblemScore, ScoringPolicy
from scoring.preview import policy_preview
from scoring.recompute import scores_recompute
from scoring.selectors import policy_as_engine, policy_current
from scoring.services import policy_update
from tests.factories import ProblemFactory, SiteReportFactory

pytestmark = pytest.mark.django_db

URL = "/scoring/policy/"


@pytest.fixture
def three(users, site):
    """NORTH: 6.67 provider hours a minute lost; priority = hours × .5 / effort.
    C 40 h / 1 week = 20 > B 20 h / 2 (the default) = 5 > A 60 h / 10 weeks = 3."""
    made = {}
    for name, minutes, effort in (("A", 9, 10), ("B", 3, None), ("C", 6, 1)):
        made[name] = ProblemFactory(title=f"Problem {name}", effort_weeks=effort, submitted_by=users[Role.CLINICIAN])
        SiteReportFactory(
            problem=made[name], site=site, reporter=users[Role.CLINICIAN], minutes_lost_per_occurrence=minutes
        )
    scores_recompute(problem_ids=[p.pk for p in made.values()])
    return made


def ranks():
    return dict(ProblemScore.objects.values_list("problem__title", "rank"))


def slower_default() -> Policy:
    current = policy_as_engine(policy_current())
    return Policy(**{**current.__dict__, "version": current.version + 1, "default_effort_weeks": 10.0})


def test_the_preview_lists_what_enters_and_leaves_the_top_n_and_crosses_the_cut_line(three):
    assert ranks() == {"Problem C": 1, "Problem B": 2, "Problem A": 3}

    # A 10-week default effort: B falls to 20 h / 10 = 2, below A's 3
    preview = policy_preview(slower_default(), top=2, capacity_weeks=3)

    assert preview.ranks_moved == 2
    assert [(m.problem.title, m.old_rank, m.new_rank) for m in preview.entering] == [("Problem A", 3, 2)]
    assert [(m.problem.title, m.old_rank, m.new_rank) for m in preview.leaving] == [("Problem B", 2, 3)]
    # 3 weeks held C (1) and B (2); now C (1) then A (10): only C fits, B drops below the line
    assert [m.problem.title for m in preview.out_of_capacity] == ["Problem B"]
    assert preview.into_capacity == []
    (leaving,) = preview.leaving
    assert (leaving.old_priority, leaving.new_priority) == (pytest.approx(5.0), pytest.approx(1.0))
    # nothing was written
    assert ScoringPolicy.objects.count() == 1
    assert ranks() == {"Problem C": 1, "Problem B": 2, "Problem A": 3}


def test_the_preview_says_what_the_saved_change_then_does(three, pm, django_capture_on_commit_callbacks):
    preview = policy_preview(slower_default(), top=3)

    with django_capture_on_commit_callbacks(execute=True):
        policy_update(actor=pm, reason="Estimates run long.", default_effort_weeks=10.0)

    stored = {s.problem_id: (s.rank, s.priority) for s in ProblemScore.objects.all()}
    assert ranks() == {"Problem C": 1, "Problem A": 2, "Problem B": 3}
    for move in preview.entering + preview.leaving:
        assert stored[move.problem.pk] == (move.new_rank, move.new_priority)


def test_the_page_previews_without_a_reason_and_saves_nothing(client, pm, three):
    client.force_login(pm)
    current = {weight.name: str(value) for weight, value in policy_current().weights}

    response = client.post(
        URL, current | {"default_effort_weeks": "10", "reason": "", "capacity": "3", "action": "preview"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: nothing is saved yet" in html
    assert "<strong>2</strong> open problems would change rank." in html
    below = html.split("<h3>Now below the cut line</h3>")[1].split("</table>")[0]
    assert "Problem B" in below and "#2 → #3" in below and "5.00 → 1.00" in below
    assert response.context["form"]["default_effort_weeks"].value() == "10"  # kept, to save next
    assert ScoringPolicy.objects.count() == 1


def test_going_back_to_an_earlier_version_makes_a_new_version_with_its_weights_and_a_reason(
    client, pm, three, django_capture_on_commit_callbacks
):
    client.force_login(pm)
    with django_capture_on_commit_callbacks(execute=True):
        policy_update(actor=pm, reason="Estimates run long.", default_effort_weeks=10.0, patient_weight=0.6)

    page = client.get(URL).content.decode()
    assert f'<a href="{URL}?revert=1#h-change">Go back to v1</a>' in page
    form_page = client.get(URL, {"revert": "1"})
    form = form_page.context["form"]
    assert form["default_effort_weeks"].value() == 2.0 and form.fields["default_effort_weeks"].disabled
    assert "Go back to version 1's weights" in form_page.content.decode()

    # posted weights are ignored: a revert copies version 1's; a reason is required
    posted = {"revert": "1", "default_effort_weeks": "7", "action": "save"}
    refused = client.post(URL, posted | {"reason": " "})
    assert "reason" in refused.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(URL, posted | {"reason": "The 10-week default hid small fixes."})

    assert saved.status_code == 302
    v1, v3 = ScoringPolicy.objects.get(version=1), ScoringPolicy.objects.get(version=3)
    assert [value for _, value in v3.weights] == [value for _, value in v1.weights]
    assert v3.reason == "Back to version 1: The 10-week default hid small fixes."
    assert ranks() == {"Problem C": 1, "Problem B": 2, "Problem A": 3}
