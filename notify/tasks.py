"""Celery tasks of the fan-out: take ids, call notify.fanout; idempotent (an event is fanned out once)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import fanout

logger = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=60, max_retries=10)
def outbox_fan_out_task(event_ids: list[int]) -> int:
    return sum(len(fanout.event_fan_out(event_id=event_id)) for event_id in event_ids)


@shared_task(autoretry_for=DB_ERRORS, retry_backoff=True, retry_backoff_max=30, max_retries=3)
def outbox_sweep_task() -> int:
    """Periodic safety net (celery beat): fan out every event still unprocessed (its message was
    lost, the broker was down, or a worker died). A broker outage delays a notice, never loses it."""
    made = 0
    while ids := fanout.unprocessed_event_ids(limit=settings.NOTIFY_SWEEP_BATCH):
        made += sum(len(fanout.event_fan_out(event_id=event_id)) for event_id in ids)
        if len(ids) < settings.NOTIFY_SWEEP_BATCH:
            break
    if made:
        logger.info("outbox sweep made %d notice(s)", made)
    return made
