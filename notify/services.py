"""Writes of the notices themselves: marking them read. One transaction each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from intake.models import EventType, User

from .models import Notification, Preference


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark `user`'s notices read: those with `ids`, or all when `ids` is None. Others' ids are ignored."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user: User, email: dict[str, bool], digest: str) -> Preference:
    """Replace `user`'s e-mail preferences: per event on or off, and the digest."""
    preference, _ = Preference.objects.update_or_create(
        user=user, defaults={"email": {event: bool(email[event]) for event in EventType.values}, "digest": digest}
    )
    return preference
