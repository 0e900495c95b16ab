"""E-mail (docs/integrations.md) through Django's e-mail backends: one message per (event, recipient), or a
digest, never sent inside a request.

Each send locks its row (SKIP LOCKED) and marks it sent in the same transaction, so the after-commit
task and the sweep never send the same e-mail twice; a failed send rolls back and is retried.
Bodies are the notices' sentences (free text PHI-screened on the way in) and links.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intake.models import OutboxEvent, User

from .messages import event_subject
from .models import Digest, EmailDelivery, Notification, Preference

DIGEST_PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
DIGEST_MAX_ITEMS = 50


def _link(path: str) -> str:
    return settings.BRIDGE_BASE_URL.rstrip("/") + path


def _footer() -> str:
    return f"\n\nChoose what Bridge e-mails you: {_link(reverse('preferences'))}\n"


def email_deliveries_make(event: OutboxEvent) -> list[int]:
    """In the fan-out's transaction: an e-mail row for each notice of `event` whose recipient has an
    address, wants this event by e-mail, and takes it at once (not in a digest). Returns their ids."""
    notices = list(Notification.objects.filter(event=event, email__isnull=True).select_related("user"))
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=[n.user_id for n in notices])}
    wanted = [
        n
        for n in notices
        if n.user.email
        and (preferences.get(n.user_id) or Preference(user_id=n.user_id)).emails(event.event)
        and (preferences.get(n.user_id) or Preference(user_id=n.user_id)).digest == Digest.OFF
    ]
    made = EmailDelivery.objects.bulk_create(
        [EmailDelivery(event=event, user_id=n.user_id, notification=n) for n in wanted], ignore_conflicts=True
    )
    del made  # ignore_conflicts leaves the ids unset; read them back
    return list(EmailDelivery.objects.filter(event=event, sent_at__isnull=True).values_list("pk", flat=True))


def email_send(*, delivery_id: int) -> bool:
    """Send e-mail `delivery_id` unless it was sent already. True when sent now."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "notification", "event__problem")
            .filter(pk=delivery_id, sent_at__isnull=True)
            .first()
        )
        if delivery is None:
            return False
        problem = delivery.event.problem
        body = f"{delivery.notification.message}\n\nOpen the problem: {_link(problem.get_absolute_url())}" + _footer()
        send_mail(event_subject(delivery.event), body, None, [delivery.user.email])
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True


def unsent_email_ids(*, limit: int) -> list[int]:
    return list(
        EmailDelivery.objects.filter(sent_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def digests_due(now: datetime) -> list[int]:
    """Users on a daily or weekly digest whose period has passed since their last one."""
    due = []
    for user_id, digest, sent_at in Preference.objects.exclude(digest=Digest.OFF).values_list(
        "user_id", "digest", "digest_sent_at"
    ):
        if sent_at is None or sent_at <= now - DIGEST_PERIOD[digest]:
            due.append(user_id)
    return due


def digest_send(*, user_id: int, now: datetime) -> bool:
    """Send `user_id` one e-mail with the notices since their last digest (of the events they want by
    e-mail), if their period has passed. True when sent now."""
    with transaction.atomic():
        preference = (
            Preference.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(user_id=user_id)
            .exclude(digest=Digest.OFF)
            .first()
        )
        if preference is None:
            return False
        period = DIGEST_PERIOD[preference.digest]
        since = preference.digest_sent_at
        if since is not None and since > now - period:
            return False
        notices = Notification.objects.filter(user_id=user_id, created_at__lte=now).select_related("event", "problem")
        notices = notices.filter(created_at__gt=since if since is not None else now - period)
        wanted = [n for n in notices.order_by("created_at", "id") if preference.emails(n.event.event)]
        preference.digest_sent_at = now
        preference.save(update_fields=["digest_sent_at"])
        user: User = preference.user
        if not wanted or not user.email:
            return False
        lines = [f"- {n.message}\n  {_link(n.problem.get_absolute_url())}" for n in wanted[-DIGEST_MAX_ITEMS:]]
        more = len(wanted) - DIGEST_MAX_ITEMS
        if more > 0:
            lines.insert(0, f"(and {more} earlier; all of them at {_link(reverse('notifications'))})")
        label = "today" if preference.digest == Digest.DAILY else "this week"
        subject = f"[Bridge] {len(wanted)} update{'s' if len(wanted) != 1 else ''} {label} on problems you follow"
        send_mail(subject, "\n".join(lines) + _footer(), None, [user.email])
    return True
