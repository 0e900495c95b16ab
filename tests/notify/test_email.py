"""Closing the loop, slice 2 (docs/integrations.md): e-mail once per event and recipient; preferences; digests."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from intake.models import Role, Status
from notify.email import digest_send
from notify.models import EmailDelivery, Notification, Preference
from notify.tasks import digests_send_task, outbox_sweep_task
from tests.factories import UserFactory


@pytest.fixture
def with_addresses(users):
    for user in users.values():
        user.email = f"{user.username}@hospital.example"
        user.save()
    return users


def triage(api_as, users, problem, committed, **change):
    with committed(execute=True):
        response = api_as(users[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"version": problem.version, **change}
        )
    assert response.status_code == 200, response.json()
    problem.refresh_from_db()
    return response


@pytest.mark.django_db
def test_a_decline_is_emailed_once_to_the_submitter_and_each_reporter_with_an_address(
    api_as, with_addresses, reported, committed
):
    problem = reported()
    metoo = problem.site_reports.get(reporter__username="metoo").reporter
    metoo.email = "metoo@hospital.example"
    metoo.save()

    triage(api_as, with_addresses, problem, committed, status="declined", decline_reason="Out of scope this year.")

    assert sorted(m.to[0] for m in mail.outbox) == ["clinician@hospital.example", "metoo@hospital.example"]
    message = mail.outbox[0]
    assert message.subject == f"[Bridge] #{problem.pk} status changed: {problem.title}"
    assert (
        f'#{problem.pk} "{problem.title}" moved from New to Declined. Reason: Out of scope this year.' in message.body
    )
    assert f"http://testserver/problems/{problem.pk}/" in message.body
    assert "http://testserver/preferences/" in message.body
    # The sweep (or a duplicate task) sends nothing twice.
    outbox_sweep_task()
    assert len(mail.outbox) == 2
    assert EmailDelivery.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_preferences_turn_an_event_off_and_shape_the_api(api_as, with_addresses, reported, committed):
    problem = reported()
    me = api_as(with_addresses[Role.CLINICIAN])

    assert me.get("/api/v1/me/preferences/").json() == {
        "email": {"status_changed": True, "merged": True, "comment_added": True, "delivered": True},
        "digest": "off",
    }
    chosen = {
        "email": {"status_changed": False, "merged": True, "comment_added": False, "delivered": True},
        "digest": "off",
    }
    assert me.put("/api/v1/me/preferences/", chosen).json() == chosen
    assert me.put("/api/v1/me/preferences/", {"email": {"merged": True}, "digest": "hourly"}).status_code == 400
    assert me.put("/api/v1/me/preferences/", {**chosen, "sms": True}).status_code == 400

    triage(api_as, with_addresses, problem, committed, status="triaged")

    assert mail.outbox == []  # status changes are off for the clinician (metoo has no address)
    assert Notification.objects.filter(user=with_addresses[Role.CLINICIAN]).count() == 1  # in-app still comes


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_sweep_sends_the_email(api_as, with_addresses, reported):
    problem = reported()
    with override_settings(CELERY_ENABLED=True, CELERY_BROKER_CONNECTION_TIMEOUT=0.2):
        api_as(with_addresses[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"status": "triaged", "version": 1}
        )
    assert mail.outbox == []

    outbox_sweep_task()
    outbox_sweep_task()

    assert [m.to for m in mail.outbox] == [["clinician@hospital.example"]]


@pytest.mark.django_db
def test_a_daily_digest_collects_the_days_notices_in_one_email(api_as, with_addresses, reported, committed):
    clinician = with_addresses[Role.CLINICIAN]
    Preference.objects.create(user=clinician, digest="daily")
    first, second = reported(), reported()
    triage(api_as, with_addresses, first, committed, status="triaged")
    triage(api_as, with_addresses, second, committed, status="declined", decline_reason="Duplicate of a vendor ticket.")
    assert mail.outbox == []  # on a digest: nothing at once

    assert digests_send_task() == 1
    assert digests_send_task() == 0  # not again within the day

    (digest,) = mail.outbox
    assert digest.to == ["clinician@hospital.example"]
    assert digest.subject == "[Bridge] 2 updates today on problems you follow"
    assert "moved from New to Triaged." in digest.body and "Duplicate of a vendor ticket." in digest.body
    tomorrow = timezone.now() + timedelta(days=1, minutes=1)
    assert digest_send(user_id=clinician.pk, now=tomorrow) is False  # nothing new since: no e-mail
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_preferences_page_saves_the_choices(client, with_addresses):
    clinician = with_addresses[Role.CLINICIAN]
    client.force_login(clinician)

    assert "to clinician@hospital.example" in client.get("/preferences/").content.decode()
    response = client.post("/preferences/", {"email": ["delivered", "merged"], "digest": "weekly"})

    assert response.status_code == 302
    preference = Preference.objects.get(user=clinician)
    assert preference.digest == "weekly"
    assert preference.email == {"status_changed": False, "merged": True, "comment_added": False, "delivered": True}
    assert client.post("/preferences/", {"digest": "hourly"}).status_code == 422


@pytest.mark.django_db
def test_delivery_emails_the_survey_invitation_to_a_provider_at_an_affected_site(
    api_as, users, reported, other_site, committed
):
    problem = reported(status=Status.IN_PROGRESS)
    UserFactory(username="south-doc", home_site=other_site, role=Role.CLINICIAN, email="south@hospital.example")

    triage(api_as, users, problem, committed, status="delivered")

    (message,) = [m for m in mail.outbox if m.to == ["south@hospital.example"]]
    assert "please answer the outcome survey" in message.body
