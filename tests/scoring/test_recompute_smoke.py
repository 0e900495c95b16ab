"""Given a problem submitted through the service, when scores are recomputed, it is scored and ranked."""

import pytest

from intake.services import ReportValues, problem_submit
from scoring.models import ProblemScore
from scoring.recompute import scores_recompute


@pytest.mark.django_db(transaction=True)
def test_submitted_problem_is_scored_and_ranked_in_process(users, site, other_site):
    clinician = users["clinician"]
    clinician.sites.add(other_site)  # works at NORTH and SOUTH (docs/domain.md, Roles)
    first = problem_submit(
        author=clinician,
        site=site,
        title="Med rec re-typed at every discharge",
        statement="The home medication list does not carry over, so we re-type it.",
        workflow_area="discharge",
        report=ReportValues(minutes_lost_per_occurrence=3, occurrences_per_shift=10),
    )
    second = problem_submit(
        author=clinician,
        site=other_site,
        title="Inbox shows duplicate lab results",
        statement="Each lab result arrives twice in the inbox.",
        workflow_area="inbox",
        report=ReportValues(minutes_lost_per_occurrence=1, occurrences_per_shift=5),
    )
    scores_recompute(problem_ids=[first.pk, second.pk])  # idempotent: the on-commit run already did it

    first_score = ProblemScore.objects.get(problem=first)
    # NORTH: 10 providers × 100% × 10/shift × 4 shifts × 3 min = 1200 min = 20 h; breadth 1; confidence .5; effort 2
    assert first_score.provider_hours_per_week == pytest.approx(20.0)
    assert first_score.priority == pytest.approx(20.0 * 1 * 0.5 / 2)
    assert first_score.rank == 1
    assert ProblemScore.objects.get(problem=second).rank == 2
