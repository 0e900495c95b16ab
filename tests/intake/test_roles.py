"""The role rules of docs/domain.md, Roles, as intake/roles.py states them, and each interface obeying them.

The matrix below is written out from the spec (not imported from the code under test); the API's
side of it is tests/test_role_matrix.py, every role on every endpoint.
"""

import pytest
from django.core.exceptions import PermissionDenied

from backlog.services import problem_merge
from intake.models import ALLOWED_MOVES, Problem, Role, Status
from intake.roles import Action, allowed_moves, may, refusal
from intake.services import ReportValues, evidence_add, site_report_upsert
from scoring.services import policy_update
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory

CL, INF, PM, IT, ADM = Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN
SPEC = {
    Action.SUBMIT: {CL, INF, PM},
    Action.REPORT: {CL, INF, PM},
    Action.ANSWER_OUTCOME: {CL, INF, PM},
    Action.ADD_NOTE: {CL, INF, PM, IT, ADM},
    Action.ADD_MEASURED_EVIDENCE: {INF, PM},
    Action.TRIAGE: {PM, IT},
    Action.MOVE_ANY_STATUS: {PM},
    Action.MOVE_DELIVERY: {PM, IT},
    Action.DECLINE: {PM},
    Action.MERGE: {PM},
    Action.UNMERGE: {PM},
    Action.DISMISS_DUPLICATE: {PM},
    Action.ESTIMATE_EFFORT: {PM, IT},
    Action.SET_EXTERNAL_REF: {PM, IT},
    Action.CHANGE_POLICY: {PM},
    Action.ADMINISTER: {ADM},
    Action.COMMENT: {CL, INF, PM, IT, ADM},
    Action.FOLLOW: {CL, INF, PM, IT, ADM},
    Action.REOPEN: {PM},
}
DELIVERY = {
    (Status.PLANNED, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.DELIVERED),
    (Status.IN_PROGRESS, Status.PLANNED),
}


@pytest.mark.django_db
def test_each_action_is_allowed_to_exactly_the_roles_of_the_spec(users):
    granted = {action: {role for role in users if may(users[role], action)} for action in Action}

    assert granted == SPEC


@pytest.mark.django_db
def test_anonymous_inactive_and_groupless_users_may_nothing_but_a_logged_in_note_comment_or_follow(users):
    nobody = UserFactory(username="nogroup")
    gone = UserFactory(username="gone", role=Role.PRODUCT_MANAGER)
    gone.is_active = False

    assert [a for a in Action if may(nobody, a)] == [Action.ADD_NOTE, Action.COMMENT, Action.FOLLOW]
    assert [a for a in Action if may(gone, a) or may(None, a)] == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_status_moves_are_the_state_machine_cut_down_to_the_role(users, status):
    every = [s for s in ALLOWED_MOVES[status] if s != Status.MERGED]

    assert allowed_moves(users[PM], status) == every
    assert allowed_moves(users[IT], status) == [s for s in every if (status, s) in DELIVERY]
    for role in (CL, INF, ADM):
        assert allowed_moves(users[role], status) == []


def test_refusals_name_the_roles_that_may():
    assert refusal(Action.DECLINE) == "Only product managers decline problems."
    assert refusal(Action.ESTIMATE_EFFORT) == "Only product managers and IT leads estimate effort."
    assert refusal(Action.SUBMIT) == "Only clinicians, clinical informatics staff and product managers may do this."


@pytest.mark.django_db
def test_an_it_lead_cannot_rewrite_a_decline_reason_through_the_page_either(client, users, site):
    # Given a problem a product manager declined
    problem = ProblemFactory(status=Status.DECLINED, decline_reason="Duplicate of the vendor fix.")
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)
    client.force_login(users[IT])

    # When an IT lead posts the triage form with another reason
    response = client.post(
        f"/problems/{problem.pk}/triage/",
        {"version": "1", "status": "", "decline_reason": "Not worth it.", "effort_weeks": "", "external_ref": ""},
    )

    # Then it is refused (it was refused by the API only), and the reason stands
    assert response.status_code == 403
    assert Problem.objects.get(pk=problem.pk).decline_reason == "Duplicate of the vendor fix."


@pytest.mark.django_db
def test_the_services_refuse_whoever_calls_them_without_the_role(users, site):
    problem = ProblemFactory()
    SiteReportFactory(problem=problem, site=site, reporter=problem.submitted_by)

    with pytest.raises(PermissionDenied, match="Only clinical informatics staff and product managers may do this"):
        evidence_add(problem=problem, added_by=users[CL], kind="time_study", value=3, sample_size=4)
    with pytest.raises(PermissionDenied, match="Only product managers may do this."):
        problem_merge(problem_id=problem.pk, into_id=ProblemFactory().pk, actor=users[IT])
    with pytest.raises(PermissionDenied, match="Only product managers change the scoring policy."):
        policy_update(actor=users[INF], reason="Faster.", breadth_weight=2.0)
    with pytest.raises(PermissionDenied):
        site_report_upsert(
            problem=problem,
            site=site,
            reporter=users[IT],
            report=ReportValues(minutes_lost_per_occurrence=2, occurrences_per_shift=3),
        )
    assert problem.evidence.count() == 0
    assert Problem.objects.get(pk=problem.pk).status == Status.NEW
