"""Closing the loop, slice 4 (docs/integrations.md): discussion on a problem."""

import pytest

from intake.models import Comment, Role, Status
from notify.models import Notification


def comment(client, problem, committed, body):
    with committed(execute=True):
        return client.post(f"/api/v1/problems/{problem.pk}/comments/", {"body": body})


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.INFORMATICS, Role.PRODUCT_MANAGER, Role.IT_LEAD, Role.ADMIN])
def test_anyone_logged_in_comments_and_the_detail_carries_the_discussion(api_as, users, reported, committed, role):
    problem = reported()

    response = comment(api_as(users[role]), problem, committed, "  Also happens on night shifts.  ")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": Comment.objects.get().pk,
        "author": str(role),
        "body": "Also happens on night shifts.",
        "created_at": body["created_at"],
    }
    detail = api_as(users[Role.CLINICIAN]).get(f"/api/v1/problems/{problem.pk}/").json()
    assert detail["comments"] == [body]


@pytest.mark.django_db
def test_a_comment_reaches_the_followers_but_not_its_author(api_as, users, reported, committed):
    problem = reported()

    comment(api_as(users[Role.IT_LEAD]), problem, committed, "We can look at this in the March release.")

    messages = dict(Notification.objects.values_list("user__username", "message"))
    expected = f'it_lead commented on #{problem.pk} "{problem.title}": We can look at this in the March release.'
    assert messages == {"clinician": expected, "metoo": expected}


@pytest.mark.django_db
def test_comments_are_screened_bounded_and_need_a_login(api_as, users, reported, committed):
    problem = reported()
    me = api_as(users[Role.CLINICIAN])

    phi = comment(me, problem, committed, "Mrs. Jane Doe, MRN 12345678, waited an hour.")
    long = comment(me, problem, committed, "x" * 5001)
    empty = comment(me, problem, committed, "")
    anonymous = comment(api_as(None), problem, committed, "Hello")
    with committed(execute=True):
        missing = me.post("/api/v1/problems/999999/comments/", {"body": "Hello"})

    assert phi.status_code == 400 and set(phi.json()) == {"body"}
    assert long.status_code == 400 and set(long.json()) == {"body"}
    assert empty.status_code == 400
    assert (anonymous.status_code, missing.status_code) == (401, 404)
    assert Comment.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.django_db
def test_the_submitters_comment_answers_needs_info(api_as, users, reported, committed):
    problem = reported(status=Status.NEEDS_INFO)

    comment(api_as(users[Role.CLINICIAN]), problem, committed, "All the strep order sets.")

    problem.refresh_from_db()
    assert (problem.status, problem.version) == (Status.NEW, 2)
    (to_pm,) = Notification.objects.filter(user=users[Role.PRODUCT_MANAGER])
    assert to_pm.message.endswith("The submitter answered the question; it is back with the product managers.")


@pytest.mark.django_db
def test_someone_elses_comment_leaves_needs_info_alone(api_as, users, reported, committed):
    problem = reported(status=Status.NEEDS_INFO)

    comment(api_as(users[Role.INFORMATICS]), problem, committed, "Same at Midtown.")

    problem.refresh_from_db()
    assert problem.status == Status.NEEDS_INFO


@pytest.mark.django_db
def test_the_problem_page_shows_and_posts_comments(client, users, reported, committed):
    problem = reported()
    client.force_login(users[Role.IT_LEAD])

    with committed(execute=True):
        response = client.post(f"/problems/{problem.pk}/comments/", {"body": "Scheduled for review."})
    refused = client.post(f"/problems/{problem.pk}/comments/", {"body": ""})

    assert response.status_code == 302
    assert refused.status_code == 422 and "Write a comment." in refused.content.decode()
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "Discussion (1)" in page and "Scheduled for review." in page
