"""Where intake's outbox lands after commit (settings.BRIDGE_OUTBOX_NOTIFIER).

With Celery enabled, a fan-out task is queued; without a broker (`make run` on a bare machine) the
fan-out runs in-process right away. Either way the event is committed already, so nothing here may
fail the caller's request: a lost message only delays the notices until the sweep
(notify.tasks.outbox_sweep_task). Imports point one way: dispatch → tasks → fanout.
"""

from __future__ import annotations

import logging
import time
from smtplib import SMTPException

from django.conf import settings
from django.db import DatabaseError

from . import email, fanout, tasks, webhooks

logger = logging.getLogger(__name__)

# After a failed enqueue, skip the broker for a while (as scoring does): a broker that is down must
# not add its connection timeout to every write.
_broker_retry_at = 0.0


def events_recorded(event_ids: list[int]) -> None:
    global _broker_retry_at
    if settings.CELERY_ENABLED:
        if time.time() < _broker_retry_at:
            return
        try:
            tasks.outbox_fan_out_task.apply_async((event_ids,), retry=False)
        except Exception:  # noqa: BLE001 — a broker that is down must not fail a committed write
            _broker_retry_at = time.time() + settings.SCORE_BROKER_BACKOFF_SECONDS
            logger.warning("outbox: could not queue %d event(s); the sweep will fan them out", len(event_ids))
        return
    try:
        for event_id in event_ids:
            result = fanout.event_fan_out(event_id=event_id)
            for delivery_id in result.emails:
                email.email_send(delivery_id=delivery_id)
            for delivery_id in result.webhooks:
                webhooks.webhook_deliver(delivery_id=delivery_id)
    except (DatabaseError, SMTPException, OSError):
        logger.exception("outbox: in-process fan-out or e-mail failed; the sweep will retry")
