"""Closing the loop, slice 5 (docs/integrations.md): webhooks, against a real receiver on a free localhost port."""

import base64
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Verifier

from intake.audit.models import AuditEvent
from intake.models import Role
from notify.models import Webhook, WebhookDelivery
from notify.tasks import outbox_sweep_task
from notify.webhooks import MAX_ATTEMPTS, RETRY_DELAYS


class Receiver:
    """An HTTP server on 127.0.0.1 that answers each POST with the next status in `answers` (then 200)."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/bridge"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for one in made:
        one.close()


def register(api_as, users, url, events=("status_changed", "delivered")):
    response = api_as(users[Role.ADMIN]).post("/api/v1/webhooks/", {"url": url, "events": list(events)})
    assert response.status_code == 201, response.json()
    return response.json()


def move(api_as, users, problem, committed, **change):
    problem.refresh_from_db()
    with committed(execute=True):
        response = api_as(users[Role.PRODUCT_MANAGER]).patch(
            f"/api/v1/problems/{problem.pk}/", {"version": problem.version, **change}
        )
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_a_status_change_is_delivered_signed_and_retried_after_a_500(api_as, users, reported, committed, receiver):
    hook_receiver = receiver(answers=[500])
    hook = register(api_as, users, hook_receiver.url)
    problem = reported()

    move(api_as, users, problem, committed, status="triaged")

    assert len(hook_receiver.received) == 1  # the first attempt, after commit: answered 500
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at > timezone.now() + RETRY_DELAYS[0] - timedelta(seconds=5)
    assert outbox_sweep_task() == 0 and len(hook_receiver.received) == 1  # not due yet

    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    outbox_sweep_task()
    outbox_sweep_task()

    assert len(hook_receiver.received) == 2
    (first_headers, _), (headers, body) = hook_receiver.received
    assert headers["webhook-id"] == first_headers["webhook-id"] == f"msg_{delivery.event_id}_{hook['id']}"
    verified = Verifier(hook["secret"]).verify(body, headers)  # raises unless the signature is valid
    # The same signature by hand, as the Standard Webhooks spec defines it.
    key = base64.b64decode(hook["secret"].removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    assert headers["webhook-signature"] == "v1," + base64.b64encode(hmac.digest(key, signed, "sha256")).decode()
    assert verified["type"] == "status_changed"
    assert verified["data"]["from"] == "new" and verified["data"]["to"] == "triaged"
    assert verified["data"]["problem"]["id"] == problem.pk
    assert verified["data"]["problem"]["url"] == f"http://testserver/problems/{problem.pk}/"
    assert set(verified) == {"type", "timestamp", "data"}
    with pytest.raises(Exception, match="signature"):
        Verifier("whsec_" + "A" * 43 + "=").verify(body, headers)

    log = api_as(users[Role.ADMIN]).get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert [(a["event"], a["attempt"], a["status_code"]) for a in log] == [
        ("status_changed", 2, 200),
        ("status_changed", 1, 500),
    ]
    assert WebhookDelivery.objects.get().state == "delivered"


@pytest.mark.django_db
def test_only_the_events_asked_for_and_one_delivery_per_webhook(api_as, users, reported, committed, receiver):
    statuses, comments = receiver(), receiver()
    register(api_as, users, statuses.url, events=["status_changed"])
    register(api_as, users, comments.url, events=["comment_added"])
    problem = reported()

    move(api_as, users, problem, committed, status="triaged")
    with committed(execute=True):
        api_as(users[Role.IT_LEAD]).post(f"/api/v1/problems/{problem.pk}/comments/", {"body": "On it."})
    outbox_sweep_task()

    assert [json.loads(body)["type"] for _, body in statuses.received] == ["status_changed"]
    assert [json.loads(body)["type"] for _, body in comments.received] == ["comment_added"]


@pytest.mark.django_db
def test_a_410_disables_the_webhook(api_as, users, reported, committed, receiver):
    gone = receiver(answers=[410])
    hook = register(api_as, users, gone.url)
    problem = reported()

    move(api_as, users, problem, committed, status="triaged")
    move(api_as, users, problem, committed, status="planned")
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    outbox_sweep_task()

    assert len(gone.received) == 1
    assert Webhook.objects.get(pk=hook["id"]).active is False
    listed = api_as(users[Role.ADMIN]).get("/api/v1/webhooks/").json()["results"]
    assert [(w["id"], w["active"]) for w in listed] == [(hook["id"], False)]
    assert "secret" not in listed[0]


@pytest.mark.django_db
def test_retries_span_a_day_and_then_give_up(api_as, users, reported, committed, receiver):
    down = receiver(answers=[503] * MAX_ATTEMPTS)
    register(api_as, users, down.url)
    problem = reported()
    assert sum(RETRY_DELAYS, timedelta()) >= timedelta(hours=24)

    move(api_as, users, problem, committed, status="triaged")
    for _ in range(MAX_ATTEMPTS):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        outbox_sweep_task()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, len(down.received)) == ("failed", MAX_ATTEMPTS, MAX_ATTEMPTS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/x", "Only http(s) URLs can receive webhooks."),
        ("http://10.0.0.5/hook", "10.0.0.5 is not an allowed webhook host"),
        ("http://user:pw@127.0.0.1/hook", "Put no credentials in the URL"),
    ],
)
def test_only_http_urls_on_allowed_hosts_are_registered(api_as, users, settings, url, message):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]

    response = api_as(users[Role.ADMIN]).post("/api/v1/webhooks/", {"url": url, "events": ["merged"]})

    assert response.status_code == 400
    assert response.json()["url"][0].startswith(message)
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_webhooks_are_for_administrators_only(api_as, users, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.org"]
    admin = api_as(users[Role.ADMIN])
    hook = admin.post("/api/v1/webhooks/", {"url": "https://hooks.example.org/b", "events": ["merged"]}).json()

    for role in (Role.CLINICIAN, Role.PRODUCT_MANAGER, Role.IT_LEAD):
        client = api_as(users[role])
        assert client.get("/api/v1/webhooks/").status_code == 403
        assert client.get(f"/api/v1/webhooks/{hook['id']}/deliveries/").status_code == 403
        assert client.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 403
    assert admin.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 204
    assert admin.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 404


@pytest.mark.django_db
def test_registering_and_deleting_a_webhook_is_audited_without_its_secret(api_as, users, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.org"]
    admin = api_as(users[Role.ADMIN])
    created = admin.post("/api/v1/webhooks/", {"url": "https://hooks.example.org/bridge", "events": ["merged"]})
    assert created.status_code == 201, created.json()
    assert admin.delete(f"/api/v1/webhooks/{created.json()['id']}/").status_code == 204

    rows = AuditEvent.objects.filter(object_type="webhook").order_by("id")
    assert [(row.action, row.actor, row.object_id) for row in rows] == [
        ("webhook_create", users[Role.ADMIN], str(created.json()["id"])),
        ("webhook_delete", users[Role.ADMIN], str(created.json()["id"])),
    ]
    assert rows[0].after == {"url": "https://hooks.example.org/bridge", "events": ["merged"], "active": True}
    assert rows[1].before == rows[0].after
    assert created.json()["secret"] not in json.dumps([rows[0].after, rows[1].before])
