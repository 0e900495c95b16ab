"""The fan-out of one outbox event: who hears of it, and the notices they get.

Idempotent: the event row is locked (SKIP LOCKED, so the after-commit task and the sweep never
wait on each other) and only an event whose `processed_at` is empty is fanned out; notices are
unique per (event, recipient). A crash before the commit leaves the event for the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from intake.models import Comment, EventType, OutboxEvent, SiteReport, User
from intake.outbox import followers
from intake.roles import CLINICAL, PRODUCT_MANAGERS

from .email import email_deliveries_make
from .messages import SURVEY_INVITATION, event_message
from .models import Notification
from .webhooks import webhook_deliveries_make


def survey_invitees(problem_id: int) -> set[int]:
    """Providers at the sites the delivered problem affects (its own reports and those merged in)."""
    sites = (
        SiteReport.objects.filter(problem_id=problem_id)
        .values("site_id")
        .union(SiteReport.objects.filter(problem__merged_into_id=problem_id).values("site_id"))
    )
    return set(
        User.objects.filter(is_active=True, home_site_id__in=sites, groups__name__in=CLINICAL).values_list(
            "pk", flat=True
        )
    )


def product_managers() -> set[int]:
    return set(User.objects.filter(is_active=True, groups__name__in=PRODUCT_MANAGERS).values_list("pk", flat=True))


def recipients(event: OutboxEvent) -> tuple[set[int], set[int]]:
    """(everyone who hears of `event`, those of them invited to the outcome survey); never its actor."""
    heard = followers(event.problem_id)
    invited: set[int] = set()
    if event.event == EventType.DELIVERED:
        invited = survey_invitees(event.problem_id)
        heard |= invited
    if event.data.get("answered"):
        heard |= product_managers()
    heard.discard(event.actor_id)
    return heard, invited - {event.actor_id}


@dataclass(frozen=True)
class FanOut:
    notices: int = 0  # in-app notices made now
    emails: list[int] = field(default_factory=list)  # e-mails to send after commit (notify.email.email_send)
    webhooks: list[int] = field(default_factory=list)  # deliveries to make after commit (notify.webhooks)


def event_fan_out(*, event_id: int, email: bool = True) -> FanOut:
    """Fan event `event_id` out to in-app notices and e-mail rows, once (FanOut() if done before).

    `email=False` makes no e-mail (the demo's history)."""
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("problem", "actor")
            .filter(pk=event_id, processed_at__isnull=True)
            .first()
        )
        if event is None:
            return FanOut()
        comment_body = ""
        if event.event == EventType.COMMENT_ADDED:
            comment_body = (
                Comment.objects.filter(pk=event.data.get("comment")).values_list("body", flat=True).first() or ""
            )
        message = event_message(event, comment_body=comment_body)
        heard, invited = recipients(event)
        made = Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    event=event,
                    problem_id=event.problem_id,
                    message=message + (SURVEY_INVITATION if user_id in invited else ""),
                )
                for user_id in sorted(heard)
            ],
            ignore_conflicts=True,
        )
        emails = email_deliveries_make(event) if email else []
        hooks = webhook_deliveries_make(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return FanOut(notices=len(made), emails=emails, webhooks=hooks)


def unprocessed_event_ids(*, limit: int) -> list[int]:
    return list(
        OutboxEvent.objects.filter(processed_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
