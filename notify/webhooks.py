"""Webhooks for integrations (docs/integrations.md), after the Standard Webhooks convention.

Each delivery is a JSON body `{"type", "timestamp", "data"}` with the headers `webhook-id` (the
same on every attempt of one event for one endpoint, so receivers drop repeats),
`webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
`{id}.{timestamp}.{body}`), signed by the `standardwebhooks` package. Attempts retry with
exponential backoff for a little over 24 hours (RETRY_DELAYS), every one logged; a 410 disables
the endpoint. Only http(s) URLs whose host is in settings.WEBHOOK_ALLOWED_HOSTS are registered or
called, redirects are not followed (SSRF), and nothing of a receiver's answer but its status is kept.
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Signer

from intake.audit.models import AuditAction
from intake.audit.services import audit_record
from intake.models import OutboxEvent, User
from intake.roles import Action, require

from .models import Webhook, WebhookAttempt, WebhookDelivery

# Delay before attempt n+1 after attempt n failed: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, then 8 h
# three times (31 h 42 min 30 s in all: at least 24 hours), then the delivery is given up.
RETRY_DELAYS = [
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=8),
    timedelta(hours=8),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10


def host_allowed(host: str) -> bool:
    """`host` is in WEBHOOK_ALLOWED_HOSTS: an exact name, or under an entry written `.example.org`."""
    host = host.lower().rstrip(".")
    for allowed in settings.WEBHOOK_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if host == allowed or (allowed.startswith(".") and (host.endswith(allowed) or host == allowed[1:])):
            return True
    return False


def url_refusal(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Only http(s) URLs can receive webhooks."
    if parts.username or parts.password:
        return "Put no credentials in the URL; verify the signature instead."
    if not host_allowed(parts.hostname):
        return f"{parts.hostname} is not an allowed webhook host; an administrator adds it to WEBHOOK_ALLOWED_HOSTS."
    return None


@transaction.atomic
def webhook_register(*, actor: User, url: str, events: list[str]) -> Webhook:
    require(actor, Action.ADMINISTER)
    refusal = url_refusal(url)
    if refusal:
        raise ValidationError({"url": [refusal]})
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    hook = Webhook.objects.create(url=url, events=sorted(set(events)), secret=secret, created_by=actor)
    audit_record(action=AuditAction.WEBHOOK_CREATE, actor=actor, target=hook, after=_webhook_state(hook))
    return hook


def _webhook_state(hook: Webhook) -> dict:
    """What the audit keeps of a webhook: where it calls and for what (never its secret)."""
    return {"url": hook.url, "events": list(hook.events), "active": hook.active}


@transaction.atomic
def webhook_delete(*, actor: User, webhook_id: int) -> None:
    require(actor, Action.ADMINISTER)
    hook = Webhook.objects.select_for_update().filter(pk=webhook_id).first()
    if hook is None:
        raise Webhook.DoesNotExist(webhook_id)
    audit_record(action=AuditAction.WEBHOOK_DELETE, actor=actor, target=hook, before=_webhook_state(hook))
    hook.delete()


def webhook_deliveries_make(event: OutboxEvent) -> list[int]:
    """In the fan-out's transaction: a delivery for every active webhook that takes this event."""
    hooks = [hook for hook in Webhook.objects.filter(active=True) if event.event in hook.events]
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=hook, event=event) for hook in hooks], ignore_conflicts=True
    )
    return list(
        WebhookDelivery.objects.filter(event=event, state=WebhookDelivery.State.PENDING).values_list("pk", flat=True)
    )


def payload(event: OutboxEvent) -> dict:
    problem = event.problem
    return {
        "type": event.event,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "problem": {
                "id": problem.pk,
                "title": problem.title,
                "status": problem.status,
                "external_ref": problem.external_ref,
                "version": problem.version,
                "url": settings.BRIDGE_BASE_URL.rstrip("/") + problem.get_absolute_url(),
            },
            "actor": event.actor.get_username() if event.actor else None,
            **event.data,
        },
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the answer: following it could reach a host that is not allowed


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        return answer.code, ""
    except (urllib.error.URLError, OSError) as exc:
        return None, type(exc).__name__


def webhook_deliver(*, delivery_id: int, now=None) -> WebhookDelivery | None:
    """Make the next attempt of delivery `delivery_id` if it is due. Returns it, or None when not due
    (delivered, given up, or another worker holds it)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook", "event__problem", "event__actor")
            .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        hook = delivery.webhook
        if not hook.active or url_refusal(hook.url):
            delivery.state = WebhookDelivery.State.CANCELLED
            delivery.save(update_fields=["state"])
            return delivery
        body = json.dumps(payload(delivery.event), separators=(",", ":"), ensure_ascii=False)
        sent_at = timezone.now()
        headers = {
            "content-type": "application/json",
            "user-agent": "Bridge-Webhooks/1",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Signer(hook.secret).sign(delivery.message_id, sent_at, body),
        }
        status_code, error = _post(hook.url, body.encode(), headers)
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery, attempt=delivery.attempts, status_code=status_code, error=error
        )
        if status_code is not None and 200 <= status_code < 300:
            delivery.state = WebhookDelivery.State.DELIVERED
        elif status_code == 410:
            # The receiver says it is gone for good: stop calling it.
            delivery.state = WebhookDelivery.State.CANCELLED
            hook.active, hook.disabled_at = False, sent_at
            hook.save(update_fields=["active", "disabled_at"])
            WebhookDelivery.objects.filter(webhook=hook, state=WebhookDelivery.State.PENDING).exclude(
                pk=delivery.pk
            ).update(state=WebhookDelivery.State.CANCELLED)
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = WebhookDelivery.State.FAILED
        else:
            delivery.next_attempt_at = sent_at + RETRY_DELAYS[delivery.attempts - 1]
        delivery.save(update_fields=["attempts", "state", "next_attempt_at"])
    return delivery


def due_delivery_ids(*, now, limit: int) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
