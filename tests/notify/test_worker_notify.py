"""The fan-out with a REAL Celery worker process (with beat), Redis and PostgreSQL, no eager mode:
notices and e-mails are made once each with the worker running, and after a broker outage the
worker's sweep delivers what was recorded meanwhile. Reuses the scoring worker tests' private broker."""

from __future__ import annotations

import pytest

from backlog.services import problem_triage
from intake.models import OutboxEvent, Role, Status
from notify import dispatch
from notify.models import EmailDelivery, Notification
from tests.factories import ProblemFactory, SiteReportFactory, UserFactory
from tests.processes import wait_for
from tests.scoring.test_worker_pipeline import broker, worker  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def followed(users, site, other_site, monkeypatch):
    monkeypatch.setattr(dispatch, "_broker_retry_at", 0.0)
    clinician = users[Role.CLINICIAN]
    clinician.email = "clinician@hospital.example"
    clinician.save()
    metoo = UserFactory(username="metoo", home_site=other_site, role=Role.CLINICIAN, email="metoo@hospital.example")

    def make():
        problem = ProblemFactory(submitted_by=clinician)
        SiteReportFactory(problem=problem, site=site, reporter=clinician)
        SiteReportFactory(problem=problem, site=other_site, reporter=metoo)
        return problem

    return make


def sent_emails() -> list[tuple[str, int]]:
    return sorted(EmailDelivery.objects.filter(sent_at__isnull=False).values_list("user__username", "event_id"))


def test_the_worker_fans_out_once_and_after_a_broker_outage_the_sweep_delivers(worker, broker, users, followed):  # noqa: F811
    worker.start(NOTIFY_SWEEP_SECONDS="2")
    pm = users[Role.PRODUCT_MANAGER]
    first, second = followed(), followed()

    # With the worker running: the status change reaches both followers in-app and by e-mail, once
    problem_triage(problem_id=first.pk, actor=pm, version=1, status=Status.DECLINED, decline_reason="Out of scope.")
    event = OutboxEvent.objects.get(problem=first)
    wait_for(lambda: len(sent_emails()) == 2, what="the worker to fan out and send the e-mails")
    assert sent_emails() == [("clinician", event.pk), ("metoo", event.pk)]

    # When the broker goes away, the change still commits; nothing is lost, only delayed
    broker.stop()
    problem_triage(problem_id=second.pk, actor=pm, version=1, status=Status.NEEDS_INFO, question="Which sites?")
    later = OutboxEvent.objects.get(problem=second)
    assert later.processed_at is None

    # Then once it is back, the worker's sweep fans it out and sends the e-mails
    broker.start()
    wait_for(lambda: len(sent_emails()) == 4, timeout=60, what="the sweep to deliver after the outage")
    assert Notification.objects.filter(event=later).count() == 2
    assert Notification.objects.count() == 4 and EmailDelivery.objects.count() == 4
