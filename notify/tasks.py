"""Celery tasks of the fan-out: take ids, call notify.fanout and notify.email; idempotent (an event
is fanned out once, an e-mail sent once)."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import email, fanout, webhooks

logger = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
SEND_ERRORS = (*DB_ERRORS, SMTPException, OSError)


def _queue_emails(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        email_send_task.delay(delivery_id)


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=60, max_retries=10)
def outbox_fan_out_task(event_ids: list[int]) -> int:
    made = 0
    for event_id in event_ids:
        result = fanout.event_fan_out(event_id=event_id)
        made += result.notices
        _queue_emails(result.emails)
        for delivery_id in result.webhooks:
            webhook_deliver_task.delay(delivery_id)
    return made


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=60, max_retries=5)
def webhook_deliver_task(delivery_id: int) -> None:
    """One attempt; a failed one is retried by the sweep when its backoff is over (no long countdowns
    in the broker)."""
    webhooks.webhook_deliver(delivery_id=delivery_id)


# A mail server that is down is retried for about an hour here; after that the sweep keeps trying.
@shared_task(autoretry_for=SEND_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=10)
def email_send_task(delivery_id: int) -> bool:
    return email.email_send(delivery_id=delivery_id)


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=30, max_retries=3)
def outbox_sweep_task() -> int:
    """Periodic safety net (celery beat): fan out every event still unprocessed (its message was
    lost, the broker was down, or a worker died), send every e-mail still unsent, and make every
    webhook attempt that is due (first attempts whose message was lost, and retries). A broker
    outage delays a notice, never loses it."""
    made = 0
    batch = settings.NOTIFY_SWEEP_BATCH
    while ids := fanout.unprocessed_event_ids(limit=batch):
        made += sum(fanout.event_fan_out(event_id=event_id).notices for event_id in ids)
        if len(ids) < batch:
            break
    sent = 0
    for delivery_id in email.unsent_email_ids(limit=batch):
        try:
            sent += email.email_send(delivery_id=delivery_id)
        except SEND_ERRORS:
            logger.warning("outbox sweep: an e-mail could not be sent; the next sweep retries it")
            break
    attempted = 0
    for delivery_id in webhooks.due_delivery_ids(now=timezone.now(), limit=batch):
        attempted += webhooks.webhook_deliver(delivery_id=delivery_id) is not None
    if made or sent or attempted:
        logger.info(
            "outbox sweep made %d notice(s), sent %d e-mail(s), made %d webhook attempt(s)", made, sent, attempted
        )
    return made


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=60, max_retries=3)
def digests_send_task() -> int:
    """Periodic (celery beat): the daily and weekly digests that are due."""
    now = timezone.now()
    sent = 0
    for user_id in email.digests_due(now):
        try:
            sent += email.digest_send(user_id=user_id, now=now)
        except SEND_ERRORS:
            logger.warning("digests: one could not be sent; the next run retries it")
    return sent
