"""Closing the loop, slice 1 (docs/integrations.md): the outbox, its followers and the in-app notices, through the API.

The test transaction never commits, so `committed` (django_capture_on_commit_callbacks) runs the
after-commit fan-out where a real request's commit would.
"""

import pytest
from django.test import override_settings

from intake.models import OutboxEvent, Role, Status
from notify.fanout import event_fan_out
from notify.models import Notification
from notify.tasks import outbox_sweep_task
from tests.factories import ProblemFactory, UserFactory


def notices_of(api_as, user):
    response = api_as(user).get("/api/v1/notifications/")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.mark.django_db
def test_a_status_change_reaches_the_submitter_and_every_me_too_reporter_once(api_as, users, reported, committed):
    problem = reported()
    pm = users[Role.PRODUCT_MANAGER]

    with committed(execute=True):
        response = api_as(pm).patch(f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1})

    assert response.status_code == 200, response.json()
    (event,) = OutboxEvent.objects.all()
    assert event.processed_at is not None
    for who in (users[Role.CLINICIAN], problem.site_reports.get(reporter__username="metoo").reporter):
        (notice,) = notices_of(api_as, who)
        assert notice == {
            "id": notice["id"],
            "event": "status_changed",
            "problem": problem.pk,
            "message": f'#{problem.pk} "{problem.title}" moved from New to Triaged.',
            "created_at": notice["created_at"],
            "read": False,
        }
    assert notices_of(api_as, pm) == []  # the actor hears nothing of their own change
    assert notices_of(api_as, users[Role.IT_LEAD]) == []  # nor does someone who does not follow it

    # Fanning out again (a duplicate task, the sweep) makes nothing more.
    assert event_fan_out(event_id=event.pk).notices == 0
    OutboxEvent.objects.update(processed_at=None)
    event_fan_out(event_id=event.pk)
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_a_decline_carries_its_reason_and_a_merge_points_to_the_target(api_as, users, reported, committed):
    declined, merged = reported(), ProblemFactory(submitted_by=users[Role.CLINICIAN])
    target = ProblemFactory()
    pm = api_as(users[Role.PRODUCT_MANAGER])

    with committed(execute=True):
        pm.patch(
            f"/api/v1/problems/{declined.pk}/",
            {"status": "declined", "decline_reason": "The vendor fixes this in the spring upgrade.", "version": 1},
        )
        pm.post(f"/api/v1/problems/{merged.pk}/merge/", {"into": target.pk})

    messages = {n["problem"]: (n["event"], n["message"]) for n in notices_of(api_as, users[Role.CLINICIAN])}
    assert messages == {
        declined.pk: (
            "status_changed",
            f'#{declined.pk} "{declined.title}" moved from New to Declined. '
            "Reason: The vendor fixes this in the spring upgrade.",
        ),
        merged.pk: (
            "merged",
            f'#{merged.pk} "{merged.title}" was merged into #{target.pk}; its reports now count there. '
            f"Follow #{target.pk} for news.",
        ),
    }


@pytest.mark.django_db
def test_delivery_invites_the_providers_at_the_affected_sites_to_the_outcome_survey(
    api_as, users, reported, other_site, committed
):
    problem = reported(status=Status.IN_PROGRESS)
    colleague = UserFactory(username="south-doc", home_site=other_site, role=Role.CLINICIAN)
    elsewhere = UserFactory(username="east-doc", role=Role.CLINICIAN)  # a site the problem does not affect

    with committed(execute=True):
        response = api_as(users[Role.IT_LEAD]).patch(
            f"/api/v1/problems/{problem.pk}/", {"status": "delivered", "version": 1}
        )

    assert response.status_code == 200, response.json()
    (notice,) = notices_of(api_as, colleague)
    assert notice["event"] == "delivered"
    assert notice["message"].startswith(f'#{problem.pk} "{problem.title}" was delivered. You work at a site it affects')
    assert "outcome survey" in notices_of(api_as, users[Role.CLINICIAN])[0]["message"]
    assert notices_of(api_as, elsewhere) == []


@pytest.mark.django_db
def test_notifications_are_newest_first_paged_and_marked_read_by_ids_or_all(api_as, users, reported, committed):
    clinician = users[Role.CLINICIAN]
    problems = [reported() if i == 0 else ProblemFactory(submitted_by=clinician) for i in range(3)]
    pm = api_as(users[Role.PRODUCT_MANAGER])
    for problem in problems:
        with committed(execute=True):
            pm.patch(f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1})
    me = api_as(clinician)

    first = me.get("/api/v1/notifications/?page_size=2").json()
    assert [n["problem"] for n in first["results"]] == [problems[2].pk, problems[1].pk]
    rest = me.get(first["next"]).json()
    assert [n["problem"] for n in rest["results"]] == [problems[0].pk]

    others = Notification.objects.exclude(user=clinician).values_list("pk", flat=True)
    newest = first["results"][0]["id"]
    assert me.post("/api/v1/notifications/read/", {"ids": [newest, *others]}).json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=True).exclude(user=clinician).count() == len(others)
    assert [n["read"] for n in notices_of(api_as, clinician)] == [True, False, False]
    assert me.post("/api/v1/notifications/read/", {"all": True}).json() == {"marked": 2}
    assert me.post("/api/v1/notifications/read/", {}).status_code == 400
    assert me.post("/api/v1/notifications/read/", {"ids": [1], "all": True}).status_code == 400
    assert api_as(None).get("/api/v1/notifications/").status_code == 401


@pytest.mark.django_db
def test_follow_and_unfollow_decide_who_hears(api_as, users, reported, committed):
    problem = reported()
    it_lead, clinician = users[Role.IT_LEAD], users[Role.CLINICIAN]

    followed = api_as(it_lead).post(f"/api/v1/problems/{problem.pk}/follow/")
    unfollowed = api_as(clinician).delete(f"/api/v1/problems/{problem.pk}/follow/")
    with committed(execute=True):
        api_as(users[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}
        )

    assert followed.json() == {"problem": problem.pk, "following": True}
    assert unfollowed.json() == {"problem": problem.pk, "following": False}
    assert [n["event"] for n in notices_of(api_as, it_lead)] == ["status_changed"]
    assert notices_of(api_as, clinician) == []
    assert api_as(it_lead).post("/api/v1/problems/999999/follow/").status_code == 404
    assert api_as(None).post(f"/api/v1/problems/{problem.pk}/follow/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_change_commits_and_the_sweep_delivers_the_notices(api_as, users, reported):
    problem = reported()
    # Celery on, and nothing listens on the test broker's port: every enqueue fails.
    with override_settings(CELERY_ENABLED=True, CELERY_BROKER_CONNECTION_TIMEOUT=0.2):
        response = api_as(users[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}
        )

    assert response.status_code == 200, response.json()
    assert OutboxEvent.objects.get().processed_at is None
    assert Notification.objects.count() == 0

    assert outbox_sweep_task() == 2
    assert outbox_sweep_task() == 0
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["clinician", "metoo"]


@pytest.mark.django_db
def test_the_header_counts_unread_notices_and_the_page_marks_them_read(client, api_as, users, reported, committed):
    problem = reported()
    with committed(execute=True):
        api_as(users[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}
        )
    client.force_login(users[Role.CLINICIAN])

    page = client.get("/notifications/").content.decode()
    assert '<span class="count-badge">1<span class="visually-hidden"> unread</span></span>' in page
    assert "moved from New to Triaged." in page

    notice = Notification.objects.get(user=users[Role.CLINICIAN])
    assert client.post("/notifications/read/", {"id": notice.pk}).status_code == 302
    page = client.get("/notifications/").content.decode()
    assert "count-badge" not in page
    assert "Mark read" not in page


@pytest.mark.django_db
def test_the_problem_page_follows_and_unfollows(client, users, reported):
    problem = reported()
    client.force_login(users[Role.IT_LEAD])

    assert ">Follow</button>" in client.get(f"/problems/{problem.pk}/").content.decode()
    client.post(f"/problems/{problem.pk}/follow/", {"following": "1"})
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "You follow this problem" in page
    client.post(f"/problems/{problem.pk}/follow/", {"following": "0"})
    assert ">Follow</button>" in client.get(f"/problems/{problem.pk}/").content.decode()
