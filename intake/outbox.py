"""The transactional outbox (docs/integrations.md): a domain event is a row written in the same
transaction as the change it records, so it commits or rolls back with it.

After commit, the hook named by settings.BRIDGE_OUTBOX_NOTIFIER is told the new events' ids (config
wires it to notify.dispatch, which fans them out); if that message is lost, notify's periodic sweep
finds every event whose `processed_at` is still empty. intake knows nothing of the channels.

Who hears about a problem (its followers) is an intake rule too, since every part of it is intake's:
the submitter, everyone with a site report on it or on a problem merged into it, and whoever follows
it explicitly; a Follow row with following=False takes anyone off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from .models import EventType, Follow, OutboxEvent, Problem, SiteReport, User


def event_record(*, event: EventType, problem: Problem, actor: User | None, data: dict | None = None) -> OutboxEvent:
    """Record `event` in the caller's transaction; it is fanned out once that commits.

    `data` holds only ids, statuses and text that was PHI-screened on the way in."""
    row = OutboxEvent.objects.create(event=event, problem=problem, actor=actor, data=data or {})
    notifier = import_string(settings.BRIDGE_OUTBOX_NOTIFIER)
    event_ids = [row.pk]
    transaction.on_commit(lambda: notifier(event_ids))
    return row


def followers(problem_id: int) -> set[int]:
    """The ids of the users who follow problem `problem_id` (active users only)."""
    implicit = set(
        SiteReport.objects.filter(Q(problem_id=problem_id) | Q(problem__merged_into_id=problem_id)).values_list(
            "reporter_id", flat=True
        )
    )
    implicit |= set(
        Problem.objects.filter(Q(pk=problem_id) | Q(merged_into_id=problem_id)).values_list(
            "submitted_by_id", flat=True
        )
    )
    choices = dict(Follow.objects.filter(problem_id=problem_id).values_list("user_id", "following"))
    ids = (implicit | {user for user, following in choices.items() if following}) - {
        user for user, following in choices.items() if not following
    }
    return set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))


def is_following(user: User, problem_id: int) -> bool:
    return user.is_authenticated and user.pk in followers(problem_id)
