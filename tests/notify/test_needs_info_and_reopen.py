"""Closing the loop, slice 3 (docs/integrations.md, docs/domain.md): the needs-info question and the
submitter's answer, reopening a declined problem, and "me too" on a closed problem."""

import pytest
from django.core import mail

from intake.audit.models import AuditEvent
from intake.models import Problem, Role, SiteReport, Status
from notify.models import Notification
from tests.factories import ProblemFactory, UserFactory

REPORT = {"site": "SOUTH", "minutes_lost_per_occurrence": 2, "occurrences_per_shift": 3}


def patch(client, problem, committed, **body):
    problem.refresh_from_db()
    with committed(execute=True):
        return client.patch(f"/api/v1/problems/{problem.pk}/", {"version": problem.version, **body})


@pytest.fixture
def addressed(users):
    for user in users.values():
        user.email = f"{user.username}@hospital.example"
        user.save()
    return users


@pytest.mark.django_db
def test_needs_info_requires_a_question_that_reaches_the_followers(api_as, addressed, reported, committed):
    problem = reported()
    pm = api_as(addressed[Role.PRODUCT_MANAGER])

    refused = patch(pm, problem, committed, status="needs_info")
    asked = patch(pm, problem, committed, status="needs_info", question="Which order sets are affected?")

    assert refused.status_code == 400
    assert refused.json() == {"question": ["Ask what you need to know: the submitter and the reporters read it."]}
    assert asked.status_code == 200, asked.json()
    assert asked.json()["needs_info_question"] == "Which order sets are affected?"
    expected = (
        f'#{problem.pk} "{problem.title}" moved from New to Needs info. What is needed: Which order sets are affected?'
    )
    for username in ("clinician", "metoo"):
        assert Notification.objects.get(user__username=username).message == expected
    (email,) = mail.outbox  # metoo has no address
    assert expected in email.body


@pytest.mark.django_db
def test_a_question_with_patient_information_is_refused(api_as, users, reported, committed):
    problem = reported()

    response = patch(
        api_as(users[Role.PRODUCT_MANAGER]),
        problem,
        committed,
        status="needs_info",
        question="Call John Smith at 555-201-3344",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"question"}
    assert Problem.objects.get(pk=problem.pk).status == Status.NEW


@pytest.mark.django_db
def test_the_submitters_edit_answers_needs_info_and_tells_the_product_managers(api_as, users, reported, committed):
    problem = reported(status=Status.NEEDS_INFO)
    other_pm = UserFactory(username="pm2", role=Role.PRODUCT_MANAGER)
    submitter = api_as(users[Role.CLINICIAN])

    response = patch(submitter, problem, committed, statement="It happens with every order set for strep tests.")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["statement"], body["version"]) == (
        "new",
        "It happens with every order set for strep tests.",
        2,
    )
    for pm in (users[Role.PRODUCT_MANAGER], other_pm):
        (notice,) = Notification.objects.filter(user=pm)
        assert notice.message.endswith("The submitter answered the question; it is back with the product managers.")
    assert not Notification.objects.filter(user=users[Role.CLINICIAN]).exists()  # the submitter did it
    audit = AuditEvent.objects.get(problem=problem)
    assert audit.action == "edit" and audit.before["status"] == "needs_info" and audit.after["status"] == "new"


@pytest.mark.django_db
def test_only_the_submitter_edits_only_the_text_only_while_new_or_needs_info(api_as, users, reported, committed):
    problem = reported()
    metoo = SiteReport.objects.get(problem=problem, reporter__username="metoo").reporter

    assert patch(api_as(metoo), problem, committed, title="Mine now").status_code == 403
    assert patch(api_as(users[Role.PRODUCT_MANAGER]), problem, committed, title="Mine now").status_code == 403
    mixed = patch(api_as(users[Role.CLINICIAN]), problem, committed, title="Better", status="triaged")
    assert mixed.status_code == 403  # a clinician may not triage, whatever else the body holds
    phi = patch(api_as(users[Role.CLINICIAN]), problem, committed, statement="Pt Jane Doe DOB 03/04/1950 waits.")
    assert phi.status_code == 400 and set(phi.json()) == {"statement"}
    roles = patch(api_as(users[Role.CLINICIAN]), problem, committed, affected_roles=["nurse", "ma", "nurse"])
    assert roles.status_code == 200 and roles.json()["affected_roles"] == ["ma", "nurse"]
    assert roles.json()["status"] == "new"

    patch(api_as(users[Role.PRODUCT_MANAGER]), problem, committed, status="triaged")
    late = patch(api_as(users[Role.CLINICIAN]), problem, committed, title="Too late")
    assert late.status_code == 400
    assert late.json() == {
        "non_field_errors": ["A problem can be edited while it is new or needs info; this one is triaged."]
    }


@pytest.mark.django_db
def test_a_product_manager_reopens_a_declined_problem_with_a_reason(api_as, users, reported, committed):
    problem = reported()
    pm = api_as(users[Role.PRODUCT_MANAGER])
    patch(pm, problem, committed, status="declined", decline_reason="No capacity this year.")

    it_lead = patch(api_as(users[Role.IT_LEAD]), problem, committed, status="new", reason="Try")
    assert it_lead.json() == {"status": ["Cannot move from declined to new. Allowed: none for your role."]}
    no_reason = patch(pm, problem, committed, status="new")
    reopened = patch(pm, problem, committed, status="new", reason="The vendor fix failed; it is back.")

    assert no_reason.json() == {"reason": ["Say why the problem is reopened."]}
    assert reopened.status_code == 200, reopened.json()
    assert (reopened.json()["status"], reopened.json()["decline_reason"]) == ("new", "")
    audit = AuditEvent.objects.filter(problem=problem).first()
    assert audit.action == "reopen" and audit.after["reopen_reason"] == "The vendor fix failed; it is back."
    latest = Notification.objects.filter(user=users[Role.CLINICIAN]).order_by("-id").first()
    assert latest.message == (
        f'#{problem.pk} "{problem.title}" moved from Declined to New. Reason: The vendor fix failed; it is back.'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Status.DECLINED, "This problem was declined (Not worth it.), so a report would not bring it back."),
        (Status.DELIVERED, "This problem was delivered: tell us whether the change helped with the outcome survey."),
        (Status.MEASURED, "This problem was delivered: tell us whether the change helped with the outcome survey."),
    ],
)
def test_me_too_on_a_closed_problem_is_refused_with_what_it_means(api_as, users, other_site, status, says):
    problem = ProblemFactory(status=status, decline_reason="Not worth it." if status == Status.DECLINED else "")

    response = api_as(users[Role.CLINICIAN]).post(f"/api/v1/problems/{problem.pk}/site-reports/", REPORT)

    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith(says)
    assert not SiteReport.objects.filter(problem=problem).exists()


@pytest.mark.django_db
def test_me_too_on_a_merged_problem_points_to_the_target(api_as, users, other_site):
    target = ProblemFactory()
    merged = ProblemFactory(status=Status.MERGED, merged_into=target)

    response = api_as(users[Role.CLINICIAN]).post(f"/api/v1/problems/{merged.pk}/site-reports/", REPORT)

    assert response.json() == {
        "non_field_errors": [f"This problem was merged into #{target.pk}; add to that one instead."]
    }


@pytest.mark.django_db
def test_the_pages_show_the_question_and_let_the_submitter_answer(client, users, reported, committed):
    problem = reported(status=Status.NEEDS_INFO)
    Problem.objects.filter(pk=problem.pk).update(needs_info_question="Which order sets?")
    client.force_login(users[Role.CLINICIAN])

    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "The product manager asks:</strong> Which order sets?" in page
    assert "Edit your problem" in page
    with committed(execute=True):
        response = client.post(
            f"/problems/{problem.pk}/edit/",
            {
                "version": 1,
                "title": problem.title,
                "statement": "Every strep order set.",
                "workflow_area": "orders",
                "affected_roles": ["nurse"],
                "proposed_solution": "",
            },
        )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.statement, problem.workflow_area) == ("new", "Every strep order set.", "orders")

    problem.status, problem.decline_reason = Status.DECLINED, "Not now."
    problem.save()
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "Edit your problem" not in page and "Add my site" not in page
    assert "This problem was declined (Not now.)" in page
